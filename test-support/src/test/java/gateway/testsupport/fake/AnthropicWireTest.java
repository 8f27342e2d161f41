package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: Anthropic Messages wire format")
class AnthropicWireTest extends FakeUpstreamTestBase {

  private static final String MODEL = "claude-sonnet-4-6";
  private static final String PATH = "/v1/messages";
  private static final String ARGS = "{\"city\":\"Paris\",\"days\":3,\"units\":\"metric\"}";

  private Future<Exchange> post(boolean stream) {
    return client.post(PATH, Proto.ANTHROPIC.body(MODEL, stream), Proto.ANTHROPIC.headers(null));
  }

  private static List<String> names(List<SseEvent> events) {
    return events.stream().map(SseEvent::event).toList();
  }

  @Test
  @DisplayName("anthropic-version, max_tokens and model are required as the real API requires them")
  void validation(VertxTestContext ctx) {
    Future<Exchange> noVersion = client.post(PATH, Proto.ANTHROPIC.body(MODEL, false), MultiMap.caseInsensitiveMultiMap());
    JsonObject noMax = Proto.ANTHROPIC.body(MODEL, false);
    noMax.remove("max_tokens");
    Future<Exchange> noMaxTokens = client.post(PATH, noMax, Proto.ANTHROPIC.headers(null));
    check(ctx, Future.all(noVersion, noMaxTokens), all -> {
      for (Exchange exchange : List.of(noVersion.result(), noMaxTokens.result())) {
        assertThat(exchange.status()).isEqualTo(400);
        assertThat(exchange.json().getString("type")).isEqualTo("error");
        assertThat(exchange.error().getString("type")).isEqualTo("invalid_request_error");
      }
      assertThat(noVersion.result().error().getString("message")).contains("anthropic-version");
      assertThat(noMaxTokens.result().error().getString("message")).contains("max_tokens");
    });
  }

  @Test
  @DisplayName("non-stream text is a message with one text block, end_turn and usage")
  void nonStreamText(VertxTestContext ctx) {
    check(ctx, post(false), exchange -> {
      JsonObject message = exchange.json();
      assertThat(message.getString("id")).startsWith("msg_");
      assertThat(message.getString("type")).isEqualTo("message");
      assertThat(message.getString("role")).isEqualTo("assistant");
      assertThat(message.getString("model")).isEqualTo(MODEL);
      assertThat(message.getJsonArray("content")).containsExactly(
          new JsonObject().put("type", "text").put("text", "Hello from " + MODEL));
      assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
      assertThat(message.containsKey("stop_sequence")).isTrue();
      JsonObject usage = message.getJsonObject("usage");
      assertThat(usage.getLong("input_tokens")).isEqualTo(12);
      assertThat(usage.getLong("output_tokens")).isEqualTo(3);
      assertThat(usage.getLong("cache_creation_input_tokens")).isZero();
      assertThat(usage.getLong("cache_read_input_tokens")).isZero();
    });
  }

  @Test
  @DisplayName("non-stream tool call is a tool_use block whose input is the parsed arguments")
  void nonStreamToolCall(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.toolCall("get_weather", ARGS));
    check(ctx, post(false), exchange -> {
      JsonArray content = exchange.json().getJsonArray("content");
      assertThat(content).hasSize(1);
      JsonObject toolUse = content.getJsonObject(0);
      assertThat(toolUse.getString("type")).isEqualTo("tool_use");
      assertThat(toolUse.getString("id")).startsWith("toolu_");
      assertThat(toolUse.getString("name")).isEqualTo("get_weather");
      assertThat(toolUse.getJsonObject("input")).isEqualTo(new JsonObject(ARGS));
      assertThat(exchange.json().getString("stop_reason")).isEqualTo("tool_use");
    });
  }

  @Test
  @DisplayName("a text stream follows message_start, block start, ping, deltas, block stop, message_delta, stop")
  void streamText(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Hello there friend"));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(names(events)).containsExactly("message_start", "content_block_start", "ping",
          "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
          "message_delta", "message_stop");
      for (SseEvent event : events) {
        assertThat(event.json().getString("type")).isEqualTo(event.event());
      }
      JsonObject start = events.get(0).json().getJsonObject("message");
      assertThat(start.getJsonArray("content")).isEmpty();
      assertThat(start.getValue("stop_reason")).isNull();
      assertThat(start.getJsonObject("usage").getLong("input_tokens")).isEqualTo(12);
      assertThat(start.getJsonObject("usage").getLong("output_tokens")).isEqualTo(1);
      assertThat(Proto.ANTHROPIC.text(events)).isEqualTo("Hello there friend");
      JsonObject delta = events.get(7).json();
      assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
      assertThat(delta.getJsonObject("usage").getLong("output_tokens")).isEqualTo(3);
    });
  }

  @Test
  @DisplayName("text then tool_use blocks, each its own index; input_json_delta fragments stitch to the arguments")
  void streamToolCalls(VertxTestContext ctx) {
    String secondArgs = "{\"query\":\"weather in Paris tomorrow\"}";
    fake.script(MODEL, Behavior.reply("Let me check.").withToolCall("get_weather", ARGS)
        .withToolCall("search", secondArgs));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      StringBuilder[] partial = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
      String[] blockTypes = new String[3];
      int[] fragments = new int[3];
      for (SseEvent event : events) {
        JsonObject data = event.json();
        if ("content_block_start".equals(event.event())) {
          blockTypes[data.getInteger("index")] = data.getJsonObject("content_block").getString("type");
          if (data.getInteger("index") > 0) {
            assertThat(data.getJsonObject("content_block").getJsonObject("input")).isEqualTo(new JsonObject());
            assertThat(data.getJsonObject("content_block").getString("id")).startsWith("toolu_");
          }
        }
        if ("content_block_delta".equals(event.event())
            && "input_json_delta".equals(data.getJsonObject("delta").getString("type"))) {
          String fragment = data.getJsonObject("delta").getString("partial_json");
          partial[data.getInteger("index")].append(fragment);
          fragments[data.getInteger("index")] += fragment.isEmpty() ? 0 : 1;
        }
      }
      assertThat(blockTypes).containsExactly("text", "tool_use", "tool_use");
      assertThat(Proto.ANTHROPIC.text(events)).isEqualTo("Let me check.");
      assertThat(new JsonObject(partial[1].toString())).isEqualTo(new JsonObject(ARGS));
      assertThat(new JsonObject(partial[2].toString())).isEqualTo(new JsonObject(secondArgs));
      assertThat(fragments[1]).isGreaterThanOrEqualTo(2);
      assertThat(names(events).stream().filter("ping"::equals)).hasSize(1);
      JsonObject messageDelta = events.get(events.size() - 2).json();
      assertThat(messageDelta.getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
    });
  }

  @Test
  @DisplayName("usage: input_tokens excludes cache reads and writes, which are reported on their own")
  void usageSemantics(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("ok").usage(1000, 300).cachedTokens(600).cacheWriteTokens(150)
        .reasoningTokens(100));
    Future<Exchange> plain = post(false);
    Future<Exchange> streamed = post(true);
    check(ctx, Future.all(plain, streamed), all -> {
      JsonObject usage = plain.result().json().getJsonObject("usage");
      assertThat(usage.getLong("input_tokens")).isEqualTo(250);
      assertThat(usage.getLong("cache_read_input_tokens")).isEqualTo(600);
      assertThat(usage.getLong("cache_creation_input_tokens")).isEqualTo(150);
      assertThat(usage.getLong("output_tokens")).isEqualTo(300);
      List<SseEvent> events = streamed.result().events();
      JsonObject startUsage = events.get(0).json().getJsonObject("message").getJsonObject("usage");
      assertThat(startUsage.getLong("input_tokens")).isEqualTo(250);
      assertThat(startUsage.getLong("cache_read_input_tokens")).isEqualTo(600);
      assertThat(startUsage.getLong("cache_creation_input_tokens")).isEqualTo(150);
      assertThat(events.get(events.size() - 2).json().getJsonObject("usage").getLong("output_tokens")).isEqualTo(300);
    });
  }

  @Test
  @DisplayName("error bodies use Anthropic's shape and types: 529 overloaded_error, 429 rate_limit_error, 500 api_error")
  void errorBodies(VertxTestContext ctx) {
    fake.script("m529", Behavior.error(529, "Overloaded"));
    fake.script("m429", Behavior.error(429, "Too many").header("retry-after", "30"));
    fake.script("m500", Behavior.error(500, "Internal"));
    Future<Exchange> e529 = client.post(PATH, Proto.ANTHROPIC.body("m529", true), Proto.ANTHROPIC.headers(null));
    Future<Exchange> e429 = client.post(PATH, Proto.ANTHROPIC.body("m429", false), Proto.ANTHROPIC.headers(null));
    Future<Exchange> e500 = client.post(PATH, Proto.ANTHROPIC.body("m500", false), Proto.ANTHROPIC.headers(null));
    check(ctx, Future.all(e529, e429, e500), all -> {
      assertThat(e529.result().status()).isEqualTo(529);
      assertThat(e529.result().json().getString("type")).isEqualTo("error");
      assertThat(e529.result().error().getString("type")).isEqualTo("overloaded_error");
      assertThat(e529.result().error().getString("message")).isEqualTo("Overloaded");
      assertThat(e429.result().error().getString("type")).isEqualTo("rate_limit_error");
      assertThat(e429.result().headers().get("retry-after")).isEqualTo("30");
      assertThat(e500.result().error().getString("type")).isEqualTo("api_error");
    });
  }

  @Test
  @DisplayName("the in-stream error is an error event with overloaded_error and no message_stop follows")
  void inStreamError(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("one two three").errorEventAfterChunks(2, "Overloaded"));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      SseEvent last = events.get(events.size() - 1);
      assertThat(last.event()).isEqualTo("error");
      assertThat(last.json().getString("type")).isEqualTo("error");
      assertThat(last.json().getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
      assertThat(last.json().getJsonObject("error").getString("message")).isEqualTo("Overloaded");
      assertThat(names(events)).doesNotContain("message_stop", "message_delta");
    });
  }

  @Test
  @DisplayName("a missing or wrong x-api-key gets 401 authentication_error")
  void apiKey(VertxTestContext ctx) {
    fake.expectApiKey("sk-ant-right");
    Future<Exchange> missing = post(false);
    Future<Exchange> wrong = client.post(PATH, Proto.ANTHROPIC.body(MODEL, false),
        Proto.ANTHROPIC.headers("sk-ant-wrong"));
    Future<Exchange> bearer = client.post(PATH, Proto.ANTHROPIC.body(MODEL, false),
        Proto.ANTHROPIC.headers(null).add("Authorization", "Bearer sk-ant-right"));
    check(ctx, Future.all(missing, wrong, bearer), all -> {
      for (Exchange exchange : List.of(missing.result(), wrong.result(), bearer.result())) {
        assertThat(exchange.status()).isEqualTo(401);
        assertThat(exchange.error().getString("type")).isEqualTo("authentication_error");
      }
      assertThat(missing.result().error().getString("message")).isEqualTo("x-api-key header is required");
      assertThat(wrong.result().error().getString("message")).isEqualTo("invalid x-api-key");
    });
  }

  @Test
  @DisplayName("finish reasons map to Anthropic's stop reasons; the prompt estimate counts system and blocks")
  void finishReasonsAndPromptEstimate(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("cut").finishReason("length"));
    JsonObject body = new JsonObject().put("model", MODEL).put("max_tokens", 10)
        .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", "s".repeat(40))))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "u".repeat(20)))
            .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "t").put("content", "r".repeat(20))))));
    check(ctx, client.post(PATH, body, Proto.ANTHROPIC.headers(null)), exchange -> {
      assertThat(exchange.json().getString("stop_reason")).isEqualTo("max_tokens");
      assertThat(exchange.json().getJsonObject("usage").getLong("input_tokens")).isEqualTo(20);
    });
  }
}
