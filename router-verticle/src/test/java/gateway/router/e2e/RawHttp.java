package gateway.router.e2e;

import gateway.router.sse.SseReader;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** Plain HTTP calls a client could make, including broken ones the SDKs never send. */
final class RawHttp {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String baseUrl;

  RawHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> post(String path, String key, String body) {
    return await(postAsync(path, key, body));
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, String key, String body) {
    return http.sendAsync(request(path, key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A POST with extra headers, e.g. an Anthropic client's {@code x-api-key} or {@code anthropic-beta}. */
  HttpResponse<String> post(String path, String key, String body, java.util.Map<String, String> headers) {
    HttpRequest.Builder request = request(path, key).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return await(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** The events of a server-sent event stream: each its {@code event:} type and its JSON data. */
  static java.util.List<Event> events(String sse) {
    java.util.List<Event> events = new ArrayList<>();
    gateway.router.sse.SseReader reader = new gateway.router.sse.SseReader(
        e -> events.add(new Event(e.type(), new JsonObject(e.data()))));
    reader.feed(io.vertx.core.buffer.Buffer.buffer(sse));
    reader.end();
    return events;
  }

  record Event(String type, JsonObject data) {
  }

  HttpResponse<String> get(String path, String key) {
    return await(http.sendAsync(request(path, key).GET().build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** Reads SSE data lines until {@code stopWhen} accepts one, then hangs up mid-stream. */
  List<String> readStreamThenHangUp(String path, String key, String body, Predicate<String> stopWhen) {
    HttpResponse<InputStream> response = await(http.sendAsync(
        request(path, key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofInputStream()));
    List<String> lines = new ArrayList<>();
    try (InputStream in = response.body();
         BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data: ")) {
          lines.add(line.substring(6));
          if (stopWhen.test(line.substring(6))) {
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  /** All SSE data payloads of a streamed answer, read to its end. */
  static List<String> dataLines(String sse) {
    List<String> data = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        data.add(line.substring(6));
      }
    }
    return data;
  }

  static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  private HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .header("content-type", "application/json");
    return key == null ? builder : builder.header("authorization", "Bearer " + key);
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
