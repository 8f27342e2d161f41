package gateway.router.e2e;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP connection to the gateway driven byte by byte, for clients no HTTP library would be: half a request head,
 * a body that stops, a connection that never says anything. Every read is bounded by {@link #READ_BOUND_MS}.
 */
final class RawSocket implements AutoCloseable {
  /** The longest any read waits: past it the test fails rather than hangs. */
  static final int READ_BOUND_MS = 20_000;

  private final Socket socket;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private RawSocket(Socket socket) {
    this.socket = socket;
  }

  static RawSocket open(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(READ_BOUND_MS);
      return new RawSocket(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawSocket send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads until the server closes the connection (end of stream or reset) and returns all it sent; fails when the
   * connection is still open after the read bound.
   */
  String readUntilClosed() {
    byte[] chunk = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(chunk)) >= 0) {
        received.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for " + READ_BOUND_MS + " ms; received: "
          + received.toString(StandardCharsets.ISO_8859_1));
    } catch (SocketException reset) {
      // a reset is a close too
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one whole response (head and a Content-Length body), leaving the connection as the server keeps it. */
  Response readResponse() {
    byte[] chunk = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
          Response head = Response.parse(text.substring(0, headEnd));
          int length = Integer.parseInt(head.header("content-length", "0"));
          if (text.length() >= headEnd + 4 + length) {
            byte[] rest = text.substring(headEnd + 4 + length).getBytes(StandardCharsets.ISO_8859_1);
            received.reset();
            received.write(rest);
            return new Response(head.status, head.headers, text.substring(headEnd + 4, headEnd + 4 + length));
          }
        }
        int n = in.read(chunk);
        if (n < 0) {
          throw new AssertionError("the server closed the connection before a whole response; received: " + text);
        }
        received.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no whole response within " + READ_BOUND_MS + " ms");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Completes when the server has closed the connection, with what it sent before. */
  CompletableFuture<String> closedByServer() {
    CompletableFuture<String> closed = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        closed.complete(readUntilClosed());
      } catch (Throwable e) {
        closed.completeExceptionally(e);
      }
    }, "raw-socket-reader");
    reader.setDaemon(true);
    reader.start();
    return closed;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** A response as read off the wire; header names in lower case. */
  record Response(int status, java.util.Map<String, String> headers, String body) {
    static Response parse(String head) {
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      return new Response(status, headers, "");
    }

    String header(String name, String fallback) {
      return headers.getOrDefault(name, fallback);
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    /** The OpenAI-shaped error object. */
    JsonObject error() {
      return json().getJsonObject("error");
    }
  }

  /** A request head; {@code headers} are complete lines, each ending in CRLF. */
  static String head(String method, String path, String headers) {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  }
}
