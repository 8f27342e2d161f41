package gateway.router.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The admin API over plain HTTP, as an operator's script would call it. */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  record Reply(int status, JsonObject body, HttpResponse<String> raw) {
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String baseUrl;
  private final String token;

  AdminClient(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  Reply send(String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(TIMEOUT)
        .header("authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      boolean json = response.headers().firstValue("content-type").orElse("").startsWith("application/json");
      return new Reply(response.statusCode(), text.isBlank() || !json ? null : new JsonObject(text), response);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #send} but the call must succeed (2xx). */
  JsonObject ok(String method, String path, JsonObject body) {
    Reply reply = send(method, path, body);
    if (reply.status() / 100 != 2) {
      throw new AssertionError(method + " " + path + " answered " + reply.status() + ": " + reply.raw().body());
    }
    return reply.body();
  }
}
