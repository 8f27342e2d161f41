package gateway.router.inbound.messages;

import static gateway.router.provider.WireSamples.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Anthropic Messages requests, as Anthropic's docs write them, as OpenAI chat requests. */
class MessagesRequestToChatTest {

  @Test
  @DisplayName("the documented tool-result turn: tool_use becomes a tool call with JSON arguments, tool_result a tool message")
  void documentedToolRoundTrip() {
    JsonObject chat = MessagesRequestToChat.translate(json("anthropic/request-tool-result.json"));

    assertThat(chat.getString("model")).isEqualTo("claude-3-opus-20240229");
    assertThat(chat.getInteger("max_completion_tokens")).isEqualTo(1024);
    assertThat(chat.getJsonArray("messages")).containsExactly(
        new JsonObject().put("role", "user").put("content", "What is the weather like in San Francisco?"),
        new JsonObject().put("role", "assistant")
            .put("content", "<thinking>I need to use get_weather, and the user wants SF, which is likely San Francisco, CA.</thinking>")
            .put("tool_calls", new JsonArray().add(new JsonObject()
                .put("id", "toolu_01A09q90qw90lq917835lq9").put("type", "function")
                .put("function", new JsonObject().put("name", "get_weather")
                    .put("arguments", "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}")))),
        new JsonObject().put("role", "tool").put("tool_call_id", "toolu_01A09q90qw90lq917835lq9")
            .put("content", "15 degrees"));
    JsonObject tool = chat.getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getString("type")).isEqualTo("function");
    assertThat(tool.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(tool.getJsonObject("function").getJsonObject("parameters"))
        .isEqualTo(json("anthropic/request-tool-result.json").getJsonArray("tools").getJsonObject(0)
            .getJsonObject("input_schema"));
  }

  @Test
  @DisplayName("thinking blocks, cache_control and the thinking switch have no chat form and are left out")
  void leavesOutWhatOnlyAnthropicReads() {
    JsonObject chat = MessagesRequestToChat.translate(json("anthropic/request-thinking-cache-control.json"));

    assertThat(chat.fieldNames()).doesNotContain("thinking", "system");
    assertThat(chat.getJsonArray("messages")).containsExactly(
        new JsonObject().put("role", "system").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "You are a careful calculator."))),
        new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "What is 27 * 453?"))),
        new JsonObject().put("role", "assistant").put("content", "27 * 453 = 12,231"),
        new JsonObject().put("role", "user").put("content", "And 27 * 454?"));
  }

  @Test
  @DisplayName("tool_choice maps word for word, a named tool by name; disable_parallel_tool_use turns parallel calls off")
  void toolChoices() {
    assertThat(choice(new JsonObject().put("type", "auto"))).isEqualTo("auto");
    assertThat(choice(new JsonObject().put("type", "any"))).isEqualTo("required");
    assertThat(choice(new JsonObject().put("type", "none"))).isEqualTo("none");
    assertThat(choice(new JsonObject().put("type", "tool").put("name", "get_weather")))
        .isEqualTo(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "get_weather")));
    JsonObject chat = MessagesRequestToChat.translate(withTools(new JsonObject().put("type", "auto")
        .put("disable_parallel_tool_use", true)));
    assertThat(chat.getBoolean("parallel_tool_calls")).isFalse();
  }

  @Test
  @DisplayName("server tools only Anthropic runs are left out; with no client tool left there is no tool_choice either")
  void serverToolsLeftOut() {
    JsonObject request = new JsonObject().put("model", "m").put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "web_search_20250305").put("name", "web_search")))
        .put("tool_choice", new JsonObject().put("type", "auto"));

    JsonObject chat = MessagesRequestToChat.translate(request);

    assertThat(chat.fieldNames()).doesNotContain("tools", "tool_choice");
  }

  @Test
  @DisplayName("images become data or http URLs, PDFs file parts; a failed tool's result says so; stop_sequences become stop")
  void contentKinds() {
    JsonObject request = new JsonObject().put("model", "m").put("max_tokens", 10)
        .put("stop_sequences", new JsonArray().add("END")).put("temperature", 0.3).put("top_k", 5)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
                .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "read")
                    .put("input", new JsonObject()))))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Look:"))
                .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_1").put("is_error", true)
                    .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "no such file"))))
                .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
                    .put("media_type", "image/png").put("data", "iVBORw0")))
                .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "url")
                    .put("url", "https://example.com/a.jpg")))
                .add(new JsonObject().put("type", "document").put("source", new JsonObject().put("type", "base64")
                    .put("media_type", "application/pdf").put("data", "JVBERi0"))))));

    JsonObject chat = MessagesRequestToChat.translate(request);

    assertThat(chat.getJsonArray("stop")).containsExactly("END");
    assertThat(chat.getDouble("temperature")).isEqualTo(0.3);
    assertThat(chat.containsKey("top_k")).isFalse();
    JsonArray messages = chat.getJsonArray("messages");
    assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "toolu_1")
        .put("content", "Error: no such file"));
    assertThat(messages.getJsonObject(2).getJsonArray("content")).containsExactly(
        new JsonObject().put("type", "text").put("text", "Look:"),
        new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBORw0")),
        new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "https://example.com/a.jpg")),
        new JsonObject().put("type", "file").put("file", new JsonObject().put("filename", "document.pdf")
            .put("file_data", "data:application/pdf;base64,JVBERi0")));
  }

  private static Object choice(JsonObject toolChoice) {
    return MessagesRequestToChat.translate(withTools(toolChoice)).getValue("tool_choice");
  }

  private static JsonObject withTools(JsonObject toolChoice) {
    return json("anthropic/request-tool-result.json").put("tool_choice", toolChoice);
  }
}
