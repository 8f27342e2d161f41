package gateway.router.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The self-service API as a script calls it: a cookie jar, and the CSRF token read from the
 * {@code XSRF-TOKEN} cookie and sent back in {@code X-XSRF-TOKEN} on every state-changing call.
 */
final class SelfServiceClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  record Reply(int status, JsonObject body, HttpResponse<String> raw) {
    JsonObject error() {
      return body == null ? null : body.getJsonObject("error");
    }
  }

  final CookieManager cookies = new CookieManager();
  private final HttpClient http;
  private String baseUrl;
  private boolean sendCsrf = true;

  SelfServiceClient(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).cookieHandler(cookies).build();
  }

  /** The same cookie jar against another router (cookies are per host, and both are 127.0.0.1). */
  SelfServiceClient at(String otherBaseUrl) {
    this.baseUrl = otherBaseUrl;
    return this;
  }

  SelfServiceClient withoutCsrf() {
    sendCsrf = false;
    return this;
  }

  SelfServiceClient withCsrf() {
    sendCsrf = true;
    return this;
  }

  /** Starts a session and takes its first CSRF token. */
  SelfServiceClient begin() {
    Reply csrf = get("/api/csrf");
    if (csrf.status() != 200) {
      throw new AssertionError("GET /api/csrf answered " + csrf.status());
    }
    return this;
  }

  Reply login(String email, String password) {
    return post("/api/login", new JsonObject().put("email", email).put("password", password));
  }

  /** Signs in or fails the test. */
  SelfServiceClient signedIn(String email, String password) {
    begin();
    Reply reply = login(email, password);
    if (reply.status() != 200) {
      throw new AssertionError("login of " + email + " answered " + reply.status() + ": " + reply.raw().body());
    }
    return this;
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply post(String path, JsonObject body) {
    return send("POST", path, body);
  }

  Reply patch(String path, JsonObject body) {
    return send("PATCH", path, body);
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }

  JsonObject ok(String method, String path, JsonObject body) {
    Reply reply = send(method, path, body);
    if (reply.status() / 100 != 2) {
      throw new AssertionError(method + " " + path + " answered " + reply.status() + ": " + reply.raw().body());
    }
    return reply.body();
  }

  String csrfToken() {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
        .map(HttpCookie::getValue).findFirst().orElse(null);
  }

  /**
   * Replaces the value of the {@code XSRF-TOKEN} cookie in the jar, as an attacker who can write cookies for
   * the site would (a sibling subdomain, a man in the middle on plain HTTP).
   */
  void plantCsrfCookie(String value) {
    cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst()
        .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie to replace")).setValue(value);
  }

  Reply send(String method, String path, JsonObject body) {
    return send(method, path, body == null ? null : body.encode(), "application/json");
  }

  Reply send(String method, String path, String body, String contentType) {
    String token = sendCsrf && !method.equals("GET") ? csrfToken() : null;
    return send(method, path, body, contentType, token);
  }

  /** With exactly this {@code X-XSRF-TOKEN} header (none when null), whatever the jar holds. */
  Reply sendWithToken(String method, String path, JsonObject body, String token) {
    return send(method, path, body == null ? null : body.encode(), "application/json", token);
  }

  private Reply send(String method, String path, String body, String contentType, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", contentType);
    }
    if (token != null) {
      request.header("X-XSRF-TOKEN", token);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      boolean json = response.headers().firstValue("content-type").orElse("").startsWith("application/json");
      return new Reply(response.statusCode(), json && !response.body().isBlank() ? new JsonObject(response.body())
          : null, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Any bytes as the body, with the session's cookies and CSRF token, for hostile input: the answer unparsed, and an
   * AssertionError naming {@code what} when no whole answer comes within {@link FuzzClient#BOUND} (a hang).
   */
  FuzzClient.Answer sendRaw(String method, String path, byte[] body, String contentType, String what) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(FuzzClient.BOUND)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("content-type", contentType);
    }
    String token = csrfToken();
    if (sendCsrf && token != null && !method.equals("GET")) {
      request.header("X-XSRF-TOKEN", token);
    }
    try {
      HttpResponse<String> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
          .get(FuzzClient.BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return new FuzzClient.Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
          response.body(), response.headers().firstValue("x-request-id").orElse(null));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no whole answer within " + FuzzClient.BOUND + " (a hang): " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("the exchange failed (" + e.getCause() + "): " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET whose body is read as a stream, for exports. */
  HttpResponse<InputStream> stream(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofMinutes(5)).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
