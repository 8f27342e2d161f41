package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: OpenAI Responses wire format")
class OpenAiResponsesWireTest extends FakeUpstreamTestBase {

  private static final String MODEL = "gpt-5-mini";
  private static final String PATH = "/v1/responses";
  private static final String ARGS = "{\"city\":\"Paris\",\"days\":3}";

  private Future<Exchange> post(boolean stream) {
    return client.post(PATH, Proto.RESPONSES.body(MODEL, stream), null);
  }

  private static List<String> names(List<SseEvent> events) {
    return events.stream().map(SseEvent::event).toList();
  }

  @Test
  @DisplayName("non-stream text is a completed response with one message item of output_text")
  void nonStreamText(VertxTestContext ctx) {
    check(ctx, post(false), exchange -> {
      JsonObject response = exchange.json();
      assertThat(response.getString("id")).startsWith("resp_");
      assertThat(response.getString("object")).isEqualTo("response");
      assertThat(response.getString("status")).isEqualTo("completed");
      assertThat(response.getString("model")).isEqualTo(MODEL);
      JsonArray output = response.getJsonArray("output");
      assertThat(output).hasSize(1);
      JsonObject message = output.getJsonObject(0);
      assertThat(message.getString("type")).isEqualTo("message");
      assertThat(message.getString("role")).isEqualTo("assistant");
      JsonObject part = message.getJsonArray("content").getJsonObject(0);
      assertThat(part.getString("type")).isEqualTo("output_text");
      assertThat(part.getString("text")).isEqualTo("Hello from " + MODEL);
      assertThat(part.getJsonArray("annotations")).isEmpty();
      JsonObject usage = response.getJsonObject("usage");
      assertThat(usage.getLong("input_tokens")).isEqualTo(12);
      assertThat(usage.getLong("output_tokens")).isEqualTo(3);
      assertThat(usage.getLong("total_tokens")).isEqualTo(15);
    });
  }

  @Test
  @DisplayName("non-stream tool call is a function_call item with call_id, name and the arguments string")
  void nonStreamToolCall(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.toolCall("get_weather", ARGS));
    check(ctx, post(false), exchange -> {
      JsonArray output = exchange.json().getJsonArray("output");
      assertThat(output).hasSize(1);
      JsonObject call = output.getJsonObject(0);
      assertThat(call.getString("type")).isEqualTo("function_call");
      assertThat(call.getString("call_id")).startsWith("call_");
      assertThat(call.getString("id")).startsWith("fc_");
      assertThat(call.getString("name")).isEqualTo("get_weather");
      assertThat(call.getString("arguments")).isEqualTo(ARGS);
    });
  }

  @Test
  @DisplayName("a text stream emits the lifecycle events in order with consecutive sequence numbers")
  void streamText(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("Hello there friend"));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(names(events)).containsExactly(
          "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
          "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
          "response.output_text.done", "response.content_part.done", "response.output_item.done",
          "response.completed");
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).json().getString("type")).isEqualTo(events.get(i).event());
        assertThat(events.get(i).json().getInteger("sequence_number")).isEqualTo(i);
      }
      assertThat(Proto.RESPONSES.text(events)).isEqualTo("Hello there friend");
      assertThat(events.get(7).json().getString("text")).isEqualTo("Hello there friend");
      JsonObject created = events.get(0).json().getJsonObject("response");
      JsonObject completed = events.get(10).json().getJsonObject("response");
      assertThat(created.getString("status")).isEqualTo("in_progress");
      assertThat(created.getValue("usage")).isNull();
      assertThat(completed.getString("id")).isEqualTo(created.getString("id"));
      assertThat(completed.getString("status")).isEqualTo("completed");
      assertThat(completed.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
          .getString("text")).isEqualTo("Hello there friend");
      assertThat(completed.getJsonObject("usage").getLong("output_tokens")).isEqualTo(3);
      assertThat(exchange.body()).doesNotContain("[DONE]");
    });
  }

  @Test
  @DisplayName("a tool-call stream sends argument deltas that stitch to the arguments, then the done event")
  void streamToolCall(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.toolCall("get_weather", ARGS));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      List<String> names = names(events);
      assertThat(names.get(2)).isEqualTo("response.output_item.added");
      assertThat(names).contains("response.function_call_arguments.done", "response.completed");
      assertThat(names).doesNotContain("response.output_text.delta");
      JsonObject item = events.get(2).json().getJsonObject("item");
      assertThat(item.getString("type")).isEqualTo("function_call");
      assertThat(item.getString("name")).isEqualTo("get_weather");
      assertThat(item.getString("arguments")).isEmpty();
      StringBuilder arguments = new StringBuilder();
      long fragments = 0;
      for (SseEvent event : events) {
        if ("response.function_call_arguments.delta".equals(event.event())) {
          assertThat(event.json().getString("item_id")).isEqualTo(item.getString("id"));
          arguments.append(event.json().getString("delta"));
          fragments++;
        }
        if ("response.function_call_arguments.done".equals(event.event())) {
          assertThat(event.json().getString("arguments")).isEqualTo(ARGS);
        }
      }
      assertThat(fragments).isGreaterThanOrEqualTo(2);
      assertThat(arguments.toString()).isEqualTo(ARGS);
      JsonObject done = events.get(events.size() - 1).json().getJsonObject("response");
      assertThat(done.getJsonArray("output").getJsonObject(0).getString("call_id")).isEqualTo(item.getString("call_id"));
    });
  }

  @Test
  @DisplayName("usage: cached tokens inside input_tokens, reasoning inside output_tokens, with a reasoning item")
  void usageSemantics(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("ok").usage(1000, 300).cachedTokens(800).reasoningTokens(200));
    Future<Exchange> plain = post(false);
    Future<Exchange> streamed = post(true);
    check(ctx, Future.all(plain, streamed), all -> {
      List<SseEvent> events = streamed.result().events();
      JsonObject completed = events.get(events.size() - 1).json().getJsonObject("response");
      for (JsonObject response : List.of(plain.result().json(), completed)) {
        JsonObject usage = response.getJsonObject("usage");
        assertThat(usage.getLong("input_tokens")).isEqualTo(1000);
        assertThat(usage.getJsonObject("input_tokens_details").getLong("cached_tokens")).isEqualTo(800);
        assertThat(usage.getLong("output_tokens")).isEqualTo(300);
        assertThat(usage.getJsonObject("output_tokens_details").getLong("reasoning_tokens")).isEqualTo(200);
        assertThat(usage.getLong("total_tokens")).isEqualTo(1300);
        assertThat(response.getJsonArray("output").getJsonObject(0).getString("type")).isEqualTo("reasoning");
        assertThat(response.getJsonArray("output").getJsonObject(1).getString("type")).isEqualTo("message");
      }
    });
  }

  @Test
  @DisplayName("the in-stream error is an error event with code and message, and no response.completed")
  void inStreamError(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("one two three").errorEventAfterChunks(1, "server overloaded"));
    check(ctx, post(true), exchange -> {
      List<SseEvent> events = exchange.events();
      SseEvent last = events.get(events.size() - 1);
      assertThat(last.event()).isEqualTo("error");
      assertThat(last.json().getString("type")).isEqualTo("error");
      assertThat(last.json().getString("message")).isEqualTo("server overloaded");
      assertThat(last.json().getString("code")).isEqualTo("server_error");
      assertThat(last.json().getInteger("sequence_number")).isEqualTo(events.size() - 1);
      assertThat(names(events)).doesNotContain("response.completed");
    });
  }

  @Test
  @DisplayName("finish reason length makes the response incomplete with max_output_tokens")
  void incomplete(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("cut").finishReason("length"));
    Future<Exchange> plain = post(false);
    Future<Exchange> streamed = post(true);
    check(ctx, Future.all(plain, streamed), all -> {
      JsonObject response = plain.result().json();
      assertThat(response.getString("status")).isEqualTo("incomplete");
      assertThat(response.getJsonObject("incomplete_details").getString("reason")).isEqualTo("max_output_tokens");
      List<SseEvent> events = streamed.result().events();
      assertThat(events.get(events.size() - 1).event()).isEqualTo("response.incomplete");
    });
  }

  @Test
  @DisplayName("errors use OpenAI's error body; the prompt estimate counts instructions and input items")
  void errorsAndPromptEstimate(VertxTestContext ctx) {
    fake.script("limited", Behavior.error(429, "Rate limit reached"));
    Future<Exchange> limited = client.post(PATH, Proto.RESPONSES.body("limited", false), null);
    JsonObject body = new JsonObject().put("model", MODEL).put("instructions", "i".repeat(20))
        .put("input", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "input_text").put("text", "t".repeat(40)))))
            .add(new JsonObject().put("type", "function_call_output").put("call_id", "c").put("output", "o".repeat(20))));
    Future<Exchange> estimated = client.post(PATH, body, null);
    check(ctx, Future.all(limited, estimated), all -> {
      assertThat(limited.result().status()).isEqualTo(429);
      assertThat(limited.result().error().getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(estimated.result().json().getJsonObject("usage").getLong("input_tokens")).isEqualTo(20);
    });
  }
}
