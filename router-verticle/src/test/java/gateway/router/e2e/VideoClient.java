package gateway.router.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The video endpoints over plain HTTP, as a client without an SDK calls them. */
final class VideoClient {
  /** The synchronous endpoint answers when the video is ready: clients need a long timeout. */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  record Reply(int status, JsonObject body, String contentType) {
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String v1;

  VideoClient(String v1) {
    this.v1 = v1;
  }

  Reply post(String path, String key, JsonObject body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(v1 + path)).timeout(TIMEOUT)
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return json(send(request, HttpResponse.BodyHandlers.ofString()));
  }

  Reply postRaw(String path, String key, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(v1 + path)).timeout(TIMEOUT)
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return json(send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /** {@code key} null: no key at all, as the public {@code /v1/models} is read. */
  Reply get(String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(v1 + path)).timeout(TIMEOUT).GET();
    if (key != null) {
      request.header("authorization", "Bearer " + key);
    }
    return json(send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** Any absolute URL, no key: how a browser or a CDN fetches a stored file. */
  HttpResponse<byte[]> fetch(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> fetch(String path, String key) {
    return send(HttpRequest.newBuilder(URI.create(v1 + path)).timeout(TIMEOUT)
        .header("authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Reply json(HttpResponse<String> response) {
    String type = response.headers().firstValue("content-type").orElse("");
    return new Reply(response.statusCode(), type.startsWith("application/json") ? new JsonObject(response.body())
        : null, type);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
