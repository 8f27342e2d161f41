package gateway.router.e2e;

import gateway.testsupport.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-service and admin APIs called from a chosen local address (the whole of 127.0.0.0/8 is
 * loopback on Linux, so 127.0.0.2 is a second peer beside the usual 127.0.0.1), with headers of its
 * own on every call, as a proxy in front of the gateway would send them. Keeps cookies and sends the
 * CSRF token back as {@link SelfServiceClient} does.
 */
final class PeerClient implements AutoCloseable {
  private static final String CSRF_COOKIE = "XSRF-TOKEN";

  record Reply(int status, List<String> setCookies, JsonObject body) {
    JsonObject error() {
      return body == null ? null : body.getJsonObject("error");
    }

    /** The Set-Cookie header of this cookie, or null. */
    String setCookie(String name) {
      return setCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final int port;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, String> cookies = new LinkedHashMap<>();

  /**
   * Whether this machine lets a socket bind to {@code address}: all of 127.0.0.0/8 on Linux, only 127.0.0.1 on
   * macOS unless aliased. Tests that need a second peer skip with this message otherwise.
   */
  static boolean canBind(String address) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress(address, 0));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static final String SECOND_LOOPBACK = "127.0.0.2";
  static final String NO_SECOND_LOOPBACK = "this machine cannot bind 127.0.0.2 (macOS: sudo ifconfig lo0 alias 127.0.0.2)";

  PeerClient(Vertx vertx, String localAddress, int port) {
    this.vertx = vertx;
    this.port = port;
    this.http = vertx.createHttpClient(new HttpClientOptions().setLocalAddress(localAddress));
  }

  /** Sent on every call from now on, e.g. {@code X-Forwarded-For}. */
  PeerClient header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** Starts a session and takes its first CSRF token. */
  PeerClient begin() {
    Reply csrf = send(HttpMethod.GET, "/api/csrf", null);
    if (csrf.status() != 200) {
      throw new AssertionError("GET /api/csrf answered " + csrf.status());
    }
    return this;
  }

  Reply login(String email, String password) {
    return send(HttpMethod.POST, "/api/login", new JsonObject().put("email", email).put("password", password));
  }

  Reply send(HttpMethod method, String path, JsonObject body) {
    return Await.onEventLoop(vertx, () -> http.request(new RequestOptions().setMethod(method).setHost("127.0.0.1")
            .setPort(port).setURI(path))
        .compose(request -> {
          headers.forEach(request::putHeader);
          if (!cookies.isEmpty()) {
            request.putHeader("cookie", String.join("; ", cookies.entrySet().stream()
                .map(c -> c.getKey() + "=" + c.getValue()).toList()));
          }
          if (method != HttpMethod.GET && cookies.containsKey(CSRF_COOKIE)) {
            request.putHeader("X-XSRF-TOKEN", cookies.get(CSRF_COOKIE));
          }
          if (body == null) {
            return request.send();
          }
          return request.putHeader("content-type", "application/json").send(body.toBuffer());
        })
        .compose(response -> response.body().map(bytes -> {
          List<String> setCookies = response.headers().getAll("set-cookie");
          setCookies.forEach(this::keep);
          boolean json = response.getHeader("content-type") != null
              && response.getHeader("content-type").startsWith("application/json") && bytes.length() > 0;
          return new Reply(response.statusCode(), setCookies, json ? new JsonObject(bytes) : null);
        })));
  }

  private void keep(String setCookie) {
    String pair = setCookie.split(";", 2)[0];
    int equals = pair.indexOf('=');
    String name = pair.substring(0, equals).trim();
    String value = pair.substring(equals + 1).trim();
    if (value.isEmpty() || setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
      cookies.remove(name);
    } else {
      cookies.put(name, value);
    }
  }

  @Override
  public void close() {
    Await.result(http.close());
  }
}
