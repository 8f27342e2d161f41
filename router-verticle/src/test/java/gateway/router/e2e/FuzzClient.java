package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends fuzzed requests with a bound on the whole exchange (a reply that never ends is a hang, and
 * fails), and checks what every reply must be: no 5xx, an error in the endpoint's own shape, no
 * Java class name, and a 200 stream that ends as its protocol ends it.
 */
final class FuzzClient {
  /** Far above any answer of the fake upstream; only a request the gateway never ends reaches it. */
  static final Duration BOUND = Duration.ofSeconds(20);
  private static final List<String> LEAKS = List.of("java.", "io.vertx", "Exception", "\tat ", "jackson",
      "StreamReadConstraints");

  record Answer(int status, String contentType, String body, String requestId) {
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(BOUND).build();
  private final String baseUrl;

  FuzzClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Answer send(String method, String path, byte[] body, Map<String, String> headers, String what) {
    return send(method, path, body, "application/json", headers, what);
  }

  /** As {@link #send(String, String, byte[], Map, String)} with another content type (none when null). */
  Answer send(String method, String path, byte[] body, String contentType, Map<String, String> headers, String what) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(BOUND)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("content-type", contentType);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
          .get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
      return new Answer(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
          response.body(), response.headers().firstValue("x-request-id").orElse(null));
    } catch (TimeoutException e) {
      throw new AssertionError("no whole answer within " + BOUND + " (a hang): " + what);
    } catch (ExecutionException e) {
      throw new AssertionError("the exchange failed (" + e.getCause() + "): " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What every answer of a client endpoint must be; {@code anthropic} for {@code /v1/messages*}. */
  static void assertWellFormed(Answer answer, boolean anthropic, String what) {
    String shown = what + "\n→ " + answer.status() + " " + cut(answer.body());
    assertThat(answer.status()).as(shown).isLessThan(500).isGreaterThanOrEqualTo(200);
    for (String leak : LEAKS) {
      assertThat(answer.body()).as(shown).doesNotContain(leak);
    }
    if (answer.status() >= 400) {
      assertErrorShape(new JsonObject(answer.body()), anthropic, shown);
    } else if (answer.contentType().startsWith("text/event-stream")) {
      assertWholeStream(answer.body(), shown);
    } else {
      assertThat(answer.contentType()).as(shown).startsWith("application/json");
      new JsonObject(answer.body());
    }
  }

  static void assertErrorShape(JsonObject body, boolean anthropic, String shown) {
    if (anthropic) {
      assertThat(body.getString("type")).as(shown).isEqualTo("error");
      assertThat(body.getJsonObject("error").getValue("type")).as(shown).isInstanceOf(String.class);
      assertThat(body.getJsonObject("error").getValue("message")).as(shown).isInstanceOf(String.class);
    } else {
      JsonObject error = body.getJsonObject("error");
      assertThat(error.fieldNames()).as(shown).contains("message", "type", "code", "param");
      assertThat(error.getValue("message")).as(shown).isInstanceOf(String.class);
      assertThat(error.getValue("type")).as(shown).isInstanceOf(String.class);
    }
  }

  /** A stream of a 200 ends as its protocol ends a whole answer, with no error inside. */
  private static void assertWholeStream(String sse, String shown) {
    if (sse.contains("event: message_start")) {
      assertThat(sse).as(shown).contains("event: message_stop").doesNotContain("event: error");
    } else if (sse.contains("event: response.")) {
      assertThat(sse).as(shown).containsAnyOf("event: response.completed", "event: response.incomplete")
          .doesNotContain("event: response.failed");
    } else {
      assertThat(sse).as(shown).contains("data: [DONE]").doesNotContain("data: {\"error\"");
    }
  }

  private static String cut(String body) {
    return body.length() <= 600 ? body : body.substring(0, 600) + "…";
  }
}
