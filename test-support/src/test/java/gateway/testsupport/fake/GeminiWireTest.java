package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: Google Gemini wire format")
class GeminiWireTest extends FakeUpstreamTestBase {

  private static final String MODEL = "gemini-2.5-flash";
  private static final String ARGS = "{\"city\":\"Paris\",\"days\":3}";

  private Future<Exchange> post(boolean stream) {
    return client.post(Proto.GEMINI.uri(MODEL, stream), Proto.GEMINI.body(MODEL, stream), null);
  }

  private static JsonObject candidate(JsonObject response) {
    return response.getJsonArray("candidates").getJsonObject(0);
  }

  @Test
  @DisplayName("non-stream text has one model candidate, finishReason STOP and usageMetadata")
  void nonStreamText(VertxTestContext ctx) {
    check(ctx, post(false), exchange -> {
      JsonObject response = exchange.json();
      JsonObject candidate = candidate(response);
      assertThat(candidate.getJsonObject("content").getString("role")).isEqualTo("model");
      assertThat(candidate.getJsonObject("content").getJsonArray("parts"))
          .containsExactly(new JsonObject().put("text", "Hello from " + MODEL));
      assertThat(candidate.getString("finishReason")).isEqualTo("STOP");
      assertThat(candidate.getInteger("index")).isZero();
      JsonObject usage = response.getJsonObject("usageMetadata");
      assertThat(usage.getLong("promptTokenCount")).isEqualTo(12);
      assertThat(usage.getLong("candidatesTokenCount")).isEqualTo(3);
      assertThat(usage.getLong("totalTokenCount")).isEqualTo(15);
      assertThat(response.getString("modelVersion")).isEqualTo(MODEL);
      assertThat(response.getString("responseId")).isNotBlank();
      assertThat(fake.requests().get(0).model()).isEqualTo(MODEL);
      assertThat(fake.requests().get(0).stream()).isFalse();
    });
  }

  @Test
  @DisplayName("non-stream function call is a functionCall part with args as an object")
  void nonStreamToolCall(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.toolCall("get_weather", ARGS));
    check(ctx, post(false), exchange -> {
      JsonArray parts = candidate(exchange.json()).getJsonObject("content").getJsonArray("parts");
      assertThat(parts).hasSize(1);
      JsonObject call = parts.getJsonObject(0).getJsonObject("functionCall");
      assertThat(call.getString("name")).isEqualTo("get_weather");
      assertThat(call.getJsonObject("args")).isEqualTo(new JsonObject(ARGS));
      assertThat(candidate(exchange.json()).getString("finishReason")).isEqualTo("STOP");
    });
  }

  @Test
  @DisplayName("an SSE stream is CRLF-framed data records with partial parts; the last has finishReason and usage")
  void streamText(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Hello there friend"));
    check(ctx, post(true), exchange -> {
      assertThat(exchange.headers().get("content-type")).startsWith("text/event-stream");
      assertThat(exchange.body()).startsWith("data: {").endsWith("}\r\n\r\n").doesNotContain("[DONE]");
      assertThat(exchange.body().split("\r\n\r\n")).hasSize(3);
      List<SseEvent> events = exchange.events();
      assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.event()).isNull());
      assertThat(Proto.GEMINI.text(events)).isEqualTo("Hello there friend");
      assertThat(candidate(events.get(0).json()).containsKey("finishReason")).isFalse();
      JsonObject last = events.get(2).json();
      assertThat(candidate(last).getString("finishReason")).isEqualTo("STOP");
      assertThat(last.getJsonObject("usageMetadata").getLong("candidatesTokenCount")).isEqualTo(3);
      assertThat(last.getJsonObject("usageMetadata").getLong("totalTokenCount")).isEqualTo(15);
      assertThat(events.get(0).json().getJsonObject("usageMetadata").getLong("promptTokenCount")).isEqualTo(12);
    });
  }

  @Test
  @DisplayName("a function-call stream carries the whole call with object args after the text")
  void streamToolCall(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Checking").withToolCall("get_weather", ARGS).withToolCall("search", "{}"));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(Proto.GEMINI.text(events)).isEqualTo("Checking");
      JsonObject last = events.get(events.size() - 1).json();
      JsonArray parts = candidate(last).getJsonObject("content").getJsonArray("parts");
      assertThat(parts).hasSize(2);
      assertThat(parts.getJsonObject(0).getJsonObject("functionCall").getJsonObject("args"))
          .isEqualTo(new JsonObject(ARGS));
      assertThat(parts.getJsonObject(1).getJsonObject("functionCall").getString("name")).isEqualTo("search");
      assertThat(candidate(last).getString("finishReason")).isEqualTo("STOP");
    });
  }

  @Test
  @DisplayName("usage: cached tokens inside promptTokenCount, thoughts outside candidatesTokenCount")
  void usageSemantics(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("ok").usage(1000, 300).cachedTokens(800).reasoningTokens(200));
    Future<Exchange> plain = post(false);
    Future<Exchange> streamed = post(true);
    check(ctx, Future.all(plain, streamed), all -> {
      List<SseEvent> events = streamed.result().events();
      for (JsonObject response : List.of(plain.result().json(), events.get(events.size() - 1).json())) {
        JsonObject usage = response.getJsonObject("usageMetadata");
        assertThat(usage.getLong("promptTokenCount")).isEqualTo(1000);
        assertThat(usage.getLong("cachedContentTokenCount")).isEqualTo(800);
        assertThat(usage.getLong("candidatesTokenCount")).isEqualTo(100);
        assertThat(usage.getLong("thoughtsTokenCount")).isEqualTo(200);
        assertThat(usage.getLong("totalTokenCount")).isEqualTo(1300);
      }
    });
  }

  @Test
  @DisplayName("content_filter is a SAFETY finish with no content")
  void safetyBlock(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("never shown").finishReason("content_filter"));
    Future<Exchange> plain = post(false);
    Future<Exchange> streamed = post(true);
    check(ctx, Future.all(plain, streamed), all -> {
      JsonObject candidate = candidate(plain.result().json());
      assertThat(candidate.getString("finishReason")).isEqualTo("SAFETY");
      assertThat(candidate.containsKey("content")).isFalse();
      assertThat(candidate.getJsonArray("safetyRatings")).isNotEmpty();
      List<SseEvent> events = streamed.result().events();
      assertThat(events).hasSize(1);
      assertThat(candidate(events.get(0).json()).getString("finishReason")).isEqualTo("SAFETY");
      assertThat(Proto.GEMINI.text(events)).isEmpty();
    });
  }

  @Test
  @DisplayName("error bodies carry code, message and the google.rpc status name")
  void errorBodies(VertxTestContext ctx) {
    fake.script("m429", Behavior.error(429, "Resource has been exhausted"));
    fake.script("m503", Behavior.error(503, "The model is overloaded."));
    Future<Exchange> e429 = client.post(Proto.GEMINI.uri("m429", false), Proto.GEMINI.body("m429", false), null);
    Future<Exchange> e503 = client.post(Proto.GEMINI.uri("m503", true), Proto.GEMINI.body("m503", true), null);
    check(ctx, Future.all(e429, e503), all -> {
      assertThat(e429.result().status()).isEqualTo(429);
      assertThat(e429.result().error().getInteger("code")).isEqualTo(429);
      assertThat(e429.result().error().getString("status")).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(e429.result().error().getString("message")).isEqualTo("Resource has been exhausted");
      assertThat(e503.result().status()).isEqualTo(503);
      assertThat(e503.result().error().getString("status")).isEqualTo("UNAVAILABLE");
    });
  }

  @Test
  @DisplayName("the key is accepted in x-goog-api-key or ?key=; a wrong key is 400 API_KEY_INVALID, none is 403")
  void apiKey(VertxTestContext ctx) {
    fake.expectApiKey("AIza-right");
    String uri = Proto.GEMINI.uri(MODEL, true);
    Future<Exchange> header = client.post(uri, Proto.GEMINI.body(MODEL, true), Proto.GEMINI.headers("AIza-right"));
    Future<Exchange> query = client.post(uri + "&key=AIza-right", Proto.GEMINI.body(MODEL, true), null);
    Future<Exchange> wrong = client.post(uri, Proto.GEMINI.body(MODEL, true), Proto.GEMINI.headers("AIza-wrong"));
    Future<Exchange> missing = client.post(uri, Proto.GEMINI.body(MODEL, true), null);
    check(ctx, Future.all(header, query, wrong, missing), all -> {
      assertThat(header.result().status()).isEqualTo(200);
      assertThat(query.result().status()).isEqualTo(200);
      assertThat(wrong.result().status()).isEqualTo(400);
      assertThat(wrong.result().error().getString("status")).isEqualTo("INVALID_ARGUMENT");
      assertThat(wrong.result().error().getJsonArray("details").getJsonObject(0).getString("reason"))
          .isEqualTo("API_KEY_INVALID");
      assertThat(missing.result().status()).isEqualTo(403);
      assertThat(missing.result().error().getString("status")).isEqualTo("PERMISSION_DENIED");
    });
  }

  @Test
  @DisplayName("the in-stream error is the JSON error object as a data record")
  void inStreamError(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("one two three").errorEventAfterChunks(1, "The model is overloaded."));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(events).hasSize(2);
      JsonObject error = events.get(1).json().getJsonObject("error");
      assertThat(error.getInteger("code")).isEqualTo(503);
      assertThat(error.getString("status")).isEqualTo("UNAVAILABLE");
      assertThat(error.getString("message")).isEqualTo("The model is overloaded.");
      assertThat(exchange.body()).endsWith("\r\n\r\n");
    });
  }

  @Test
  @DisplayName("without alt=sse the stream is one JSON array; contents are required")
  void jsonArrayStreamAndValidation(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Hello there"));
    Future<Exchange> array = client.post("/v1beta/models/" + MODEL + ":streamGenerateContent",
        Proto.GEMINI.body(MODEL, true), null);
    Future<Exchange> empty = client.post(Proto.GEMINI.uri(MODEL, false), new JsonObject(), null);
    check(ctx, Future.all(array, empty), all -> {
      assertThat(array.result().headers().get("content-type")).startsWith("application/json");
      JsonArray chunks = new JsonArray(array.result().body());
      assertThat(chunks).hasSize(2);
      assertThat(candidate(chunks.getJsonObject(1)).getString("finishReason")).isEqualTo("STOP");
      assertThat(empty.result().status()).isEqualTo(400);
      assertThat(empty.result().error().getString("status")).isEqualTo("INVALID_ARGUMENT");
    });
  }

  @Test
  @DisplayName("the prompt estimate counts systemInstruction and contents parts")
  void promptEstimate(VertxTestContext ctx) {
    JsonObject body = new JsonObject()
        .put("systemInstruction", new JsonObject().put("parts", new JsonArray()
            .add(new JsonObject().put("text", "s".repeat(40)))))
        .put("contents", new JsonArray().add(new JsonObject().put("role", "user").put("parts", new JsonArray()
            .add(new JsonObject().put("text", "u".repeat(40))))));
    check(ctx, client.post(Proto.GEMINI.uri(MODEL, false), body, null), exchange ->
        assertThat(exchange.json().getJsonObject("usageMetadata").getLong("promptTokenCount")).isEqualTo(20));
  }
}
