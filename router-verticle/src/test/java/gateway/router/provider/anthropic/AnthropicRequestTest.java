package gateway.router.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.GatewayException;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.WireSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import java.util.Map;

class AnthropicRequestTest {
  private static final JsonObject NO_SETTINGS = new JsonObject();

  private static JsonObject request(Object... messages) {
    return new JsonObject().put("model", "claude-sonnet-4-5").put("messages", new JsonArray(java.util.List.of(messages)));
  }

  private static JsonObject message(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static JsonObject weatherTool() {
    return new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", "get_weather")
        .put("description", "Get the current weather in a given location")
        .put("parameters", new JsonObject().put("type", "object")
            .put("properties", new JsonObject().put("location", new JsonObject().put("type", "string")))
            .put("required", new JsonArray().add("location"))));
  }

  private static JsonObject toolCall(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  @Test
  @DisplayName("system and developer messages become the top-level system, and the turns keep their order")
  void systemPromptsAndTurns() {
    JsonObject body = AnthropicRequest.from(request(
        message("system", "You are terse."),
        message("developer", new JsonArray().add(text("Answer in French."))),
        message("user", "Capital of France?"),
        message("assistant", "Paris."),
        message("user", "And of Italy?")), NO_SETTINGS, false);

    assertThat(body.getString("model")).isEqualTo("claude-sonnet-4-5");
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray()
        .add(text("You are terse.")).add(text("Answer in French.")));
    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(text("Capital of France?"))));
    assertThat(messages.getJsonObject(1).getString("role")).isEqualTo("assistant");
    assertThat(messages.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("And of Italy?");
    assertThat(body.containsKey("stream")).isFalse();
  }

  @Test
  @DisplayName("consecutive messages of one role merge into one turn, since Anthropic wants the roles to alternate")
  void sameRoleMessagesMerge() {
    JsonObject body = AnthropicRequest.from(request(
        message("user", "First part."),
        message("user", "Second part."),
        message("assistant", "One."),
        message("assistant", "Two.")), NO_SETTINGS, false);

    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.getJsonObject(0).getJsonArray("content"))
        .isEqualTo(new JsonArray().add(text("First part.")).add(text("Second part.")));
    assertThat(messages.getJsonObject(1).getJsonArray("content"))
        .isEqualTo(new JsonArray().add(text("One.")).add(text("Two.")));
  }

  @Test
  @DisplayName("an assistant's tool calls become tool_use blocks and the tool results one user turn of tool_result blocks")
  void toolRoundTrip() {
    JsonObject body = AnthropicRequest.from(request(
        message("user", "Weather in Paris and Rome?"),
        message("assistant", "Checking both.").put("tool_calls", new JsonArray()
            .add(toolCall("toolu_01", "get_weather", "{\"location\":\"Paris\"}"))
            .add(toolCall("toolu_02", "get_weather", "{\"location\":\"Rome\"}"))),
        new JsonObject().put("role", "tool").put("tool_call_id", "toolu_01").put("content", "18°C"),
        new JsonObject().put("role", "tool").put("tool_call_id", "toolu_02")
            .put("content", new JsonArray().add(text("24°C"))),
        message("user", "Thanks, which is warmer?")), NO_SETTINGS, false);

    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages).hasSize(3);
    JsonArray assistant = messages.getJsonObject(1).getJsonArray("content");
    assertThat(assistant.getJsonObject(0)).isEqualTo(text("Checking both."));
    assertThat(assistant.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "tool_use").put("id", "toolu_01")
        .put("name", "get_weather").put("input", new JsonObject().put("location", "Paris")));
    assertThat(assistant.getJsonObject(2).getJsonObject("input").getString("location")).isEqualTo("Rome");
    JsonObject results = messages.getJsonObject(2);
    assertThat(results.getString("role")).isEqualTo("user");
    assertThat(results.getJsonArray("content")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_01").put("content", "18°C"))
        .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_02")
            .put("content", new JsonArray().add(text("24°C"))))
        .add(text("Thanks, which is warmer?")));
  }

  @Test
  @DisplayName("tool results come first in their user turn even when the client put text before them")
  void toolResultsFirst() {
    JsonObject body = AnthropicRequest.from(request(
        message("user", "Go."),
        message("assistant", null).put("tool_calls", new JsonArray().add(toolCall("toolu_01", "ping", "{}"))),
        message("user", "(a note)"),
        new JsonObject().put("role", "tool").put("tool_call_id", "toolu_01").put("content", "pong")), NO_SETTINGS,
        false);

    JsonArray turn = body.getJsonArray("messages").getJsonObject(2).getJsonArray("content");
    assertThat(turn.getJsonObject(0).getString("type")).isEqualTo("tool_result");
    assertThat(turn.getJsonObject(1)).isEqualTo(text("(a note)"));
    JsonObject call = body.getJsonArray("messages").getJsonObject(1).getJsonArray("content").getJsonObject(0);
    assertThat(call.getJsonObject("input")).isEqualTo(new JsonObject());
  }

  @Test
  @DisplayName("tool definitions become name, description and input_schema")
  void toolDefinitions() {
    JsonObject body = AnthropicRequest.from(request(message("user", "hi")).put("tools", new JsonArray()
        .add(weatherTool())
        .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "now")))),
        NO_SETTINGS, false);

    JsonArray tools = body.getJsonArray("tools");
    assertThat(tools.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("name", "get_weather")
        .put("description", "Get the current weather in a given location")
        .put("input_schema", weatherTool().getJsonObject("function").getJsonObject("parameters")));
    assertThat(tools.getJsonObject(1)).isEqualTo(new JsonObject().put("name", "now")
        .put("input_schema", new JsonObject().put("type", "object").put("properties", new JsonObject())));
    assertThat(body.containsKey("tool_choice")).isFalse();
  }

  @Test
  @DisplayName("the tool_choice words map to Anthropic's, 'none' included (it must not crash)")
  void toolChoiceWords() {
    Map.of("auto", "auto", "none", "none", "required", "any").forEach((openAi, anthropic) -> {
      JsonObject body = AnthropicRequest.from(request(message("user", "hi"))
          .put("tools", new JsonArray().add(weatherTool())).put("tool_choice", openAi), NO_SETTINGS, false);

      assertThat(body.getJsonObject("tool_choice")).as(openAi).isEqualTo(new JsonObject().put("type", anthropic));
      assertThat(body.getJsonArray("tools")).hasSize(1);
    });
  }

  @Test
  @DisplayName("a named tool_choice forces that tool; parallel_tool_calls false disables parallel use")
  void namedToolChoiceAndNoParallelCalls() {
    JsonObject named = AnthropicRequest.from(request(message("user", "hi"))
        .put("tools", new JsonArray().add(weatherTool()))
        .put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "get_weather")))
        .put("parallel_tool_calls", false), NO_SETTINGS, false);
    JsonObject defaulted = AnthropicRequest.from(request(message("user", "hi"))
        .put("tools", new JsonArray().add(weatherTool())).put("parallel_tool_calls", false), NO_SETTINGS, false);

    assertThat(named.getJsonObject("tool_choice")).isEqualTo(new JsonObject()
        .put("type", "tool").put("name", "get_weather").put("disable_parallel_tool_use", true));
    assertThat(defaulted.getJsonObject("tool_choice")).isEqualTo(new JsonObject()
        .put("type", "auto").put("disable_parallel_tool_use", true));
  }

  @Test
  @DisplayName("a tool_choice without tools is dropped, since Anthropic would refuse it")
  void toolChoiceWithoutTools() {
    JsonObject body = AnthropicRequest.from(request(message("user", "hi")).put("tool_choice", "none"),
        NO_SETTINGS, false);

    assertThat(body.containsKey("tool_choice")).isFalse();
    assertThat(body.containsKey("tools")).isFalse();
  }

  @Test
  @DisplayName("images: a data URL becomes a base64 source, an http URL a url source")
  void images() {
    JsonObject body = AnthropicRequest.from(request(message("user", new JsonArray()
        .add(text("What is in these?"))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo=").put("detail", "high")))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "https://example.com/cat.jpg"))))), NO_SETTINGS, false);

    JsonArray content = body.getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertThat(content.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "base64").put("media_type", "image/png").put("data", "iVBORw0KGgo=")));
    assertThat(content.getJsonObject(2)).isEqualTo(new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "url").put("url", "https://example.com/cat.jpg")));
  }

  @Test
  @DisplayName("max_tokens is always sent: the client's, else the channel's default, else 4096")
  void maxTokens() {
    JsonObject channelDefault = new JsonObject().put("default_max_tokens", 2048);

    assertThat(AnthropicRequest.from(request(message("user", "hi")).put("max_completion_tokens", 300)
        .put("max_tokens", 100), channelDefault, false).getInteger("max_tokens")).isEqualTo(300);
    assertThat(AnthropicRequest.from(request(message("user", "hi")).put("max_tokens", 100), channelDefault, false)
        .getInteger("max_tokens")).isEqualTo(100);
    assertThat(AnthropicRequest.from(request(message("user", "hi")), channelDefault, false)
        .getInteger("max_tokens")).isEqualTo(2048);
    assertThat(AnthropicRequest.from(request(message("user", "hi")), NO_SETTINGS, false)
        .getInteger("max_tokens")).isEqualTo(AnthropicRequest.DEFAULT_MAX_TOKENS);
  }

  @Test
  @DisplayName("sampling: temperature clamped to 0..1, top_p as is, stop as stop_sequences, user as metadata.user_id")
  void samplingAndStop() {
    JsonObject hot = AnthropicRequest.from(request(message("user", "hi"))
        .put("temperature", 1.7).put("top_p", 0.9).put("stop", "END").put("user", "user-42"), NO_SETTINGS, true);
    JsonObject cold = AnthropicRequest.from(request(message("user", "hi"))
        .put("temperature", -0.5).put("stop", new JsonArray().add("A").add("B")), NO_SETTINGS, false);

    assertThat(hot.getDouble("temperature")).isEqualTo(1.0);
    assertThat(hot.getDouble("top_p")).isEqualTo(0.9);
    assertThat(hot.getJsonArray("stop_sequences")).containsExactly("END");
    assertThat(hot.getJsonObject("metadata")).isEqualTo(new JsonObject().put("user_id", "user-42"));
    assertThat(hot.getBoolean("stream")).isTrue();
    assertThat(cold.getDouble("temperature")).isEqualTo(0.0);
    assertThat(cold.getJsonArray("stop_sequences")).containsExactly("A", "B");
  }

  @Test
  @DisplayName("fields with no Anthropic meaning are dropped, not passed through")
  void unknownFieldsDropped() {
    JsonObject body = AnthropicRequest.from(request(message("user", "hi"))
        .put("n", 2).put("frequency_penalty", 0.5).put("presence_penalty", 0.5).put("logprobs", true)
        .put("seed", 7).put("response_format", new JsonObject().put("type", "json_object"))
        .put("stream_options", new JsonObject().put("include_usage", true)).put("enable_thinking", true)
        .put("vendor_options", new JsonObject().put("tier", "fast")), NO_SETTINGS, true);

    assertThat(body.fieldNames()).containsExactlyInAnyOrder("model", "max_tokens", "messages", "stream");
  }

  @Test
  @DisplayName("tool-call arguments that are not a JSON object are the client's 400, not a broken upstream request")
  void malformedToolArguments() {
    JsonObject request = request(message("user", "hi"),
        message("assistant", null).put("tool_calls", new JsonArray().add(toolCall("toolu_01", "f", "{not json"))));

    assertThatThrownBy(() -> AnthropicRequest.from(request, NO_SETTINGS, false))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("toolu_01");
    JsonObject oddId = request(message("user", "hi"),
        message("assistant", null).put("tool_calls", new JsonArray().add(toolCall("id\u0000x", "f", "{not json"))));
    assertThatThrownBy(() -> AnthropicRequest.from(oddId, NO_SETTINGS, false))
        .isInstanceOf(GatewayException.class)
        .hasMessageNotContaining("\u0000")
        .hasMessageContaining("a tool call");
  }

  @Test
  @DisplayName("the call goes to {base_url}/messages with x-api-key, anthropic-version and the channel's extra headers")
  void urlAndHeaders() {
    UpstreamRequest upstream = new AnthropicAdapter().chatRequest(request(message("user", "hi")),
        WireSamples.route("anthropic", "https://api.anthropic.com/v1", "sk-ant-channel",
            new JsonObject().put("headers", new JsonObject().put("anthropic-beta", "prompt-caching-2024-07-31")),
            "claude-sonnet-4-5"), true);

    assertThat(upstream.url()).isEqualTo("https://api.anthropic.com/v1/messages");
    assertThat(upstream.headers().get("x-api-key")).isEqualTo("sk-ant-channel");
    assertThat(upstream.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(upstream.headers().get("content-type")).isEqualTo("application/json");
    assertThat(upstream.headers().get("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
    assertThat(upstream.headers().contains("authorization")).isFalse();
    assertThat(upstream.body().toJsonObject().getBoolean("stream")).isTrue();
  }
}
