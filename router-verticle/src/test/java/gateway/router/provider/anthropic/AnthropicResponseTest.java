package gateway.router.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.money.Usage;
import gateway.router.provider.Completion;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnthropicResponseTest {

  @Test
  @DisplayName("the documented message becomes a chat.completion, ignoring the fields an OpenAI client has no use for")
  void apiReferenceMessage() {
    Completion completion = new AnthropicAdapter().completion(WireSamples.bytes("anthropic/message-api-reference.json"));

    JsonObject body = completion.body();
    assertThat(body.getString("id")).isEqualTo("msg_013Zva2CMHLNnXjNJJKqJ2EF");
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo("claude-opus-5");
    assertThat(body.getLong("created")).isPositive();
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getInteger("index")).isZero();
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message")).isEqualTo(new JsonObject()
        .put("role", "assistant").put("content", "Hi! My name is Claude.").putNull("refusal"));
  }

  @Test
  @DisplayName("input_tokens excludes cache reads and writes: each is counted once, and prompt_tokens is their sum")
  void cacheUsageCountedOnce() {
    Completion completion = new AnthropicAdapter().completion(WireSamples.bytes("anthropic/message-api-reference.json"));

    assertThat(completion.usage()).isEqualTo(new Usage(2095, 2051, 2051, 503, 0));
    JsonObject usage = completion.body().getJsonObject("usage");
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(2095 + 2051 + 2051);
    assertThat(usage.getLong("completion_tokens")).isEqualTo(503);
    assertThat(usage.getLong("total_tokens")).isEqualTo(2095 + 2051 + 2051 + 503);
    assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isEqualTo(2051);
    assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cache_write_tokens")).isEqualTo(2051);
  }

  @Test
  @DisplayName("text before a tool_use block: the text is the content, the block a tool call with its id and JSON arguments")
  void toolUse() {
    Completion completion = new AnthropicAdapter().completion(WireSamples.bytes("anthropic/message-tool-use.json"));

    JsonObject choice = completion.body().getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getString("content")).isEqualTo("I'll check the current weather in San Francisco for you.");
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(call.getString("type")).isEqualTo("function");
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("location", "San Francisco, CA").put("unit", "celsius"));
    assertThat(completion.usage()).isNull();
    assertThat(completion.body().containsKey("usage")).isFalse();
  }

  @Test
  @DisplayName("tool calls alone leave the content null, as OpenAI does")
  void toolCallsOnly() {
    Completion completion = AnthropicResponse.completion(Buffer.buffer(new JsonObject()
        .put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "claude")
        .put("stop_reason", "tool_use")
        .put("content", new JsonArray().add(new JsonObject().put("type", "tool_use").put("id", "toolu_1")
            .put("name", "now").put("input", new JsonObject())))
        .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 5)).encode()));

    JsonObject message = completion.body().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.containsKey("content")).isTrue();
    assertThat(message.getValue("content")).isNull();
    assertThat(message.getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function").getString("arguments"))
        .isEqualTo("{}");
  }

  @Test
  @DisplayName("thinking blocks become reasoning_content; redacted thinking and signatures are left out")
  void thinking() {
    Completion completion = AnthropicResponse.completion(Buffer.buffer(new JsonObject()
        .put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "claude")
        .put("stop_reason", "end_turn")
        .put("content", new JsonArray()
            .add(new JsonObject().put("type", "thinking").put("thinking", "Let me analyze this step by step...")
                .put("signature", "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsU"))
            .add(new JsonObject().put("type", "redacted_thinking").put("data", "EmwKAhgBEgy3va3pzix"))
            .add(new JsonObject().put("type", "text").put("text", "Based on my analysis...")))
        .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 50)).encode()));

    JsonObject message = completion.body().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("reasoning_content")).isEqualTo("Let me analyze this step by step...");
    assertThat(message.getString("content")).isEqualTo("Based on my analysis...");
  }

  @Test
  @DisplayName("stop reasons: end_turn and stop_sequence stop, max_tokens is length, tool_use tool_calls, refusal content_filter")
  void stopReasons() {
    Map.of("end_turn", "stop", "stop_sequence", "stop", "max_tokens", "length", "tool_use", "tool_calls",
        "refusal", "content_filter", "model_context_window_exceeded", "length", "a_reason_added_later", "stop")
        .forEach((anthropic, openAi) -> assertThat(AnthropicResponse.finishReason(anthropic)).as(anthropic)
            .isEqualTo(openAi));
  }

  @Test
  @DisplayName("a body that is not a message is refused, so the exchange treats it as the channel's failure")
  void notAMessage() {
    assertThatThrownBy(() -> AnthropicResponse.completion(Buffer.buffer("<html>Bad gateway</html>")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
