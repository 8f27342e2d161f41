package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: OpenAI Chat Completions wire format")
class OpenAiChatWireTest extends FakeUpstreamTestBase {

  private static final String MODEL = "gpt-4o-mini";
  private static final String PATH = "/v1/chat/completions";
  private static final String ARGS = "{\"city\":\"Paris\",\"days\":3,\"units\":\"metric\"}";

  private Future<Exchange> post(JsonObject body) {
    return client.post(PATH, body, null);
  }

  private static JsonObject request(boolean stream, boolean includeUsage) {
    JsonObject body = Proto.CHAT.body(MODEL, stream);
    return includeUsage ? body.put("stream_options", new JsonObject().put("include_usage", true)) : body;
  }

  private static JsonObject choice(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0);
  }

  @Test
  @DisplayName("non-stream text is a chat.completion with a stop finish and default usage estimates")
  void nonStreamText(VertxTestContext ctx) {
    check(ctx, post(request(false, false)), exchange -> {
      JsonObject body = exchange.json();
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.headers().get("content-type")).startsWith("application/json");
      assertThat(body.getString("id")).startsWith("chatcmpl-");
      assertThat(body.getString("object")).isEqualTo("chat.completion");
      assertThat(body.getLong("created")).isPositive();
      assertThat(body.getString("model")).isEqualTo(MODEL);
      assertThat(body.getString("system_fingerprint")).startsWith("fp_");
      JsonObject choice = choice(body);
      assertThat(choice.getInteger("index")).isZero();
      assertThat(choice.getString("finish_reason")).isEqualTo("stop");
      assertThat(choice.containsKey("logprobs")).isTrue();
      JsonObject message = choice.getJsonObject("message");
      assertThat(message.getString("role")).isEqualTo("assistant");
      assertThat(message.getString("content")).isEqualTo("Hello from " + MODEL);
      assertThat(message.containsKey("refusal")).isTrue();
      assertThat(message.containsKey("tool_calls")).isFalse();
      JsonObject usage = body.getJsonObject("usage");
      assertThat(usage.getLong("prompt_tokens")).isEqualTo(12);
      assertThat(usage.getLong("completion_tokens")).isEqualTo(3);
      assertThat(usage.getLong("total_tokens")).isEqualTo(15);
      assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isZero();
      assertThat(usage.getJsonObject("completion_tokens_details").getLong("reasoning_tokens")).isZero();
    });
  }

  @Test
  @DisplayName("non-stream tool call has null content, a call_ id, the arguments as a string and finish tool_calls")
  void nonStreamToolCall(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.toolCall("get_weather", ARGS));
    check(ctx, post(request(false, false)), exchange -> {
      JsonObject choice = choice(exchange.json());
      JsonObject message = choice.getJsonObject("message");
      assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
      assertThat(message.containsKey("content")).isTrue();
      assertThat(message.getValue("content")).isNull();
      JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
      assertThat(call.getString("id")).startsWith("call_");
      assertThat(call.getString("type")).isEqualTo("function");
      assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
      assertThat(call.getJsonObject("function").getString("arguments")).isEqualTo(ARGS);
    });
  }

  @Test
  @DisplayName("a stream starts with the role chunk, carries the text and ends finish chunk then [DONE], no usage")
  void streamText(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Hello there friend"));
    check(ctx, post(request(true, false)), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(exchange.body()).contains("data: [DONE]\n\n").doesNotContain("\r");
      assertThat(events).hasSize(6);
      JsonObject first = events.get(0).json();
      assertThat(first.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(choice(first).getJsonObject("delta").getString("role")).isEqualTo("assistant");
      assertThat(choice(first).getJsonObject("delta").getString("content")).isEmpty();
      assertThat(Proto.CHAT.text(events)).isEqualTo("Hello there friend");
      JsonObject finish = events.get(4).json();
      assertThat(choice(finish).getJsonObject("delta")).isEqualTo(new JsonObject());
      assertThat(choice(finish).getString("finish_reason")).isEqualTo("stop");
      assertThat(events.get(5).isDone()).isTrue();
      String id = first.getString("id");
      for (SseEvent event : events.subList(0, 5)) {
        assertThat(event.json().getString("id")).isEqualTo(id);
        assertThat(event.json().containsKey("usage")).as("no usage key without include_usage").isFalse();
      }
    });
  }

  @Test
  @DisplayName("with include_usage every chunk has usage null and one last chunk has no choices and the usage")
  void streamIncludeUsage(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Hello there").usage(100, 20).cachedTokens(60).reasoningTokens(5));
    check(ctx, post(request(true, true)), exchange -> {
      List<SseEvent> events = exchange.events();
      SseEvent usageEvent = events.get(events.size() - 2);
      for (SseEvent event : events.subList(0, events.size() - 2)) {
        assertThat(event.json().containsKey("usage")).isTrue();
        assertThat(event.json().getValue("usage")).isNull();
      }
      assertThat(usageEvent.json().getJsonArray("choices")).isEmpty();
      JsonObject usage = usageEvent.json().getJsonObject("usage");
      assertThat(usage.getLong("prompt_tokens")).isEqualTo(100);
      assertThat(usage.getLong("completion_tokens")).isEqualTo(20);
      assertThat(usage.getLong("total_tokens")).isEqualTo(120);
      assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isEqualTo(60);
      assertThat(usage.getJsonObject("completion_tokens_details").getLong("reasoning_tokens")).isEqualTo(5);
      assertThat(events.get(events.size() - 1).isDone()).isTrue();
      assertThat(choice(events.get(events.size() - 3).json()).getString("finish_reason")).isEqualTo("stop");
    });
  }

  @Test
  @DisplayName("stream tool calls: the first delta of each call names it, later deltas carry argument fragments")
  void streamToolCalls(VertxTestContext ctx) {
    String secondArgs = "{\"query\":\"weather in Paris tomorrow\"}";
    fake.script(MODEL, Behavior.toolCall("get_weather", ARGS).withToolCall("search", secondArgs));
    check(ctx, post(request(true, false)), exchange -> {
      List<SseEvent> events = exchange.events();
      JsonObject firstDelta = choice(events.get(0).json()).getJsonObject("delta");
      assertThat(firstDelta.getString("role")).isEqualTo("assistant");
      assertThat(firstDelta.getValue("content")).isNull();
      StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
      String[] names = new String[2];
      int[] fragments = new int[2];
      for (SseEvent event : events) {
        if (event.isDone() || choice(event.json()).getJsonObject("delta").getJsonArray("tool_calls") == null) {
          continue;
        }
        JsonArray calls = choice(event.json()).getJsonObject("delta").getJsonArray("tool_calls");
        JsonObject call = calls.getJsonObject(0);
        int index = call.getInteger("index");
        if (call.containsKey("id")) {
          assertThat(names[index]).as("a call is announced once").isNull();
          assertThat(call.getString("id")).startsWith("call_");
          assertThat(call.getString("type")).isEqualTo("function");
          assertThat(call.getJsonObject("function").getString("arguments")).isEmpty();
          names[index] = call.getJsonObject("function").getString("name");
        } else {
          assertThat(call.fieldNames()).containsExactlyInAnyOrder("index", "function");
          assertThat(call.getJsonObject("function").fieldNames()).containsExactly("arguments");
          arguments[index].append(call.getJsonObject("function").getString("arguments"));
          fragments[index]++;
        }
      }
      assertThat(names).containsExactly("get_weather", "search");
      assertThat(arguments[0].toString()).isEqualTo(ARGS);
      assertThat(arguments[1].toString()).isEqualTo(secondArgs);
      assertThat(fragments[0]).isGreaterThanOrEqualTo(2);
      assertThat(fragments[1]).isGreaterThanOrEqualTo(2);
      assertThat(choice(events.get(events.size() - 2).json()).getString("finish_reason")).isEqualTo("tool_calls");
    });
  }

  @Test
  @DisplayName("scripted usage: cached tokens are inside prompt_tokens, reasoning tokens inside completion_tokens")
  void usageSemantics(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("ok").usage(1000, 300).cachedTokens(800).reasoningTokens(200));
    check(ctx, post(request(false, false)), exchange -> {
      JsonObject usage = exchange.json().getJsonObject("usage");
      assertThat(usage.getLong("prompt_tokens")).isEqualTo(1000);
      assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isEqualTo(800);
      assertThat(usage.getLong("completion_tokens")).isEqualTo(300);
      assertThat(usage.getJsonObject("completion_tokens_details").getLong("reasoning_tokens")).isEqualTo(200);
      assertThat(usage.getLong("total_tokens")).isEqualTo(1300);
    });
  }

  @Test
  @DisplayName("omitUsage leaves usage out of the body and out of the stream even with include_usage")
  void omitUsage(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("no usage here").omitUsage());
    Future<Exchange> plain = post(request(false, false));
    Future<Exchange> streamed = post(request(true, true));
    check(ctx, Future.all(plain, streamed), all -> {
      assertThat(plain.result().json().containsKey("usage")).isFalse();
      List<SseEvent> events = streamed.result().events();
      assertThat(events.stream().filter(e -> !e.isDone()))
          .allSatisfy(e -> assertThat(e.json().containsKey("usage")).isFalse());
      assertThat(Proto.CHAT.text(events)).isEqualTo("no usage here");
      assertThat(events.get(events.size() - 1).isDone()).isTrue();
    });
  }

  @Test
  @DisplayName("stream_options on a non-stream request is refused like OpenAI does")
  void streamOptionsWithoutStream(VertxTestContext ctx) {
    check(ctx, post(request(false, true)), exchange -> {
      assertThat(exchange.status()).isEqualTo(400);
      assertThat(exchange.error().getString("type")).isEqualTo("invalid_request_error");
      assertThat(exchange.error().getString("param")).isEqualTo("stream_options");
      assertThat(exchange.error().getString("message")).contains("only allowed when 'stream' is enabled");
    });
  }

  @Test
  @DisplayName("error bodies carry message, type, param and code as OpenAI sets them per status")
  void errorBodies(VertxTestContext ctx) {
    fake.script("m400", Behavior.error(400, "bad"));
    fake.script("m401", Behavior.error(401, "who"));
    fake.script("m429", Behavior.error(429, "slow down").header("retry-after", "2"));
    fake.script("m500", Behavior.error(500, "broken"));
    Future<Exchange> e400 = post(Proto.CHAT.body("m400", false));
    Future<Exchange> e401 = post(Proto.CHAT.body("m401", false));
    Future<Exchange> e429 = post(Proto.CHAT.body("m429", false));
    Future<Exchange> e500 = post(Proto.CHAT.body("m500", true));
    check(ctx, Future.all(e400, e401, e429, e500), all -> {
      for (Future<Exchange> f : List.of(e400, e401, e429, e500)) {
        assertThat(f.result().error().fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
      }
      assertThat(e400.result().status()).isEqualTo(400);
      assertThat(e400.result().error().getString("type")).isEqualTo("invalid_request_error");
      assertThat(e401.result().error().getString("code")).isEqualTo("invalid_api_key");
      assertThat(e429.result().status()).isEqualTo(429);
      assertThat(e429.result().error().getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(e429.result().headers().get("retry-after")).isEqualTo("2");
      assertThat(e500.result().status()).isEqualTo(500);
      assertThat(e500.result().headers().get("content-type")).startsWith("application/json");
      assertThat(e500.result().error().getString("type")).isEqualTo("server_error");
      assertThat(e500.result().error().getString("message")).isEqualTo("broken");
    });
  }

  @Test
  @DisplayName("the in-stream error is a data line with an error object, and no [DONE] follows")
  void inStreamError(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("one two three").errorEventAfterChunks(2, "overloaded"));
    check(ctx, post(request(true, true)), exchange -> {
      List<SseEvent> events = exchange.events();
      JsonObject error = events.get(events.size() - 1).json().getJsonObject("error");
      assertThat(error.getString("message")).isEqualTo("overloaded");
      assertThat(error.getString("type")).isEqualTo("server_error");
      assertThat(Proto.CHAT.text(events)).isEqualTo("one two");
      assertThat(events.stream().noneMatch(SseEvent::isDone)).isTrue();
    });
  }

  @Test
  @DisplayName("finishReason is reported as given")
  void finishReason(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("cut short").finishReason("length"));
    Future<Exchange> plain = post(request(false, false));
    Future<Exchange> streamed = post(request(true, false));
    check(ctx, Future.all(plain, streamed), all -> {
      assertThat(choice(plain.result().json()).getString("finish_reason")).isEqualTo("length");
      List<SseEvent> events = streamed.result().events();
      assertThat(choice(events.get(events.size() - 2).json()).getString("finish_reason")).isEqualTo("length");
    });
  }

  @Test
  @DisplayName("content deltas carry OpenAI's obfuscation padding unless stream_options.include_obfuscation is false")
  void obfuscation(VertxTestContext ctx) {
    JsonObject optedOut = request(true, false)
        .put("stream_options", new JsonObject().put("include_obfuscation", false));
    Future<Exchange> padded = post(request(true, false));
    Future<Exchange> plain = post(optedOut);
    check(ctx, Future.all(padded, plain), all -> {
      List<SseEvent> paddedEvents = padded.result().events();
      assertThat(paddedEvents.stream().filter(e -> Proto.CHAT.textDelta(e) != null))
          .allSatisfy(e -> assertThat(e.json().getString("obfuscation")).isNotEmpty());
      assertThat(plain.result().body()).doesNotContain("obfuscation");
      assertThat(Proto.CHAT.text(plain.result().events())).isEqualTo("Hello from " + MODEL);
    });
  }

  @Test
  @DisplayName("missing model or messages are refused with OpenAI's 400s")
  void validation(VertxTestContext ctx) {
    Future<Exchange> noModel = post(new JsonObject().put("messages", new JsonArray()));
    Future<Exchange> noMessages = post(new JsonObject().put("model", MODEL));
    check(ctx, Future.all(noModel, noMessages), all -> {
      assertThat(noModel.result().status()).isEqualTo(400);
      assertThat(noModel.result().error().getString("message")).isEqualTo("you must provide a model parameter");
      assertThat(noMessages.result().status()).isEqualTo(400);
      assertThat(noMessages.result().error().getString("param")).isEqualTo("messages");
      assertThat(noMessages.result().error().getString("code")).isEqualTo("missing_required_parameter");
    });
  }

  @Test
  @DisplayName("the default prompt estimate counts the text of string and array message contents")
  void promptEstimate(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("model", MODEL).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "x".repeat(40)))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "y".repeat(40)))
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "u"))))));
    check(ctx, post(body), exchange ->
        assertThat(exchange.json().getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(20));
  }
}
