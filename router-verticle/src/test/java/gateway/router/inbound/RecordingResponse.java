package gateway.router.inbound;

import gateway.router.provider.WireSamples;
import gateway.router.sse.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.reflect.Proxy;

/**
 * An {@link HttpServerResponse} that keeps what is written to it, for testing the writers of
 * client formats without a server: the status, whether it ended, and the body as bytes.
 */
public final class RecordingResponse {
  private final Buffer body = Buffer.buffer();
  private int status = 200;
  private boolean ended;
  private final HttpServerResponse response;

  public RecordingResponse() {
    response = (HttpServerResponse) Proxy.newProxyInstance(HttpServerResponse.class.getClassLoader(),
        new Class<?>[] {HttpServerResponse.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "write", "end" -> {
              if (args != null && args.length > 0 && args[0] instanceof Buffer chunk) {
                body.appendBuffer(chunk);
              } else if (args != null && args.length > 0 && args[0] instanceof String text) {
                body.appendString(text);
              }
              ended |= method.getName().equals("end");
              return method.getReturnType() == HttpServerResponse.class ? proxy : null;
            }
            case "setStatusCode" -> status = (Integer) args[0];
            case "writeQueueFull", "ended", "closed", "headWritten" -> {
              return method.getName().equals("ended") && ended;
            }
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "equals" -> {
              return proxy == args[0];
            }
            case "toString" -> {
              return "RecordingResponse";
            }
            default -> { }
          }
          return method.getReturnType().isInstance(proxy) ? proxy : null;
        });
  }

  public HttpServerResponse response() {
    return response;
  }

  public int status() {
    return status;
  }

  public boolean ended() {
    return ended;
  }

  public String body() {
    return body.toString();
  }

  /** The body as server-sent events, each its type and JSON data. */
  public java.util.List<SseEvent> events() {
    return WireSamples.events(Buffer.buffer(body()));
  }
}
