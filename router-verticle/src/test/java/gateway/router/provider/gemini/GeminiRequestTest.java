package gateway.router.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.WireSamples;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeminiRequestTest {

  private static JsonObject request(Object... messages) {
    return new JsonObject().put("model", "gemini-2.5-flash").put("messages", new JsonArray(List.of(messages)));
  }

  private static JsonObject message(String role, Object content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("text", text);
  }

  private static JsonObject tool(String name, JsonObject parameters) {
    JsonObject function = new JsonObject().put("name", name).put("description", "Does " + name);
    if (parameters != null) {
      function.put("parameters", parameters);
    }
    return new JsonObject().put("type", "function").put("function", function);
  }

  private static JsonObject toolCall(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  @Test
  @DisplayName("system and developer messages become the systemInstruction; user and assistant turns user and model")
  void rolesAndSystemInstruction() {
    JsonObject body = GeminiRequest.from(request(
        message("system", "You are terse."),
        message("developer", "Answer in French."),
        message("user", "Capital of France?"),
        message("assistant", "Paris."),
        message("user", "And of Italy?")));

    assertThat(body.getJsonObject("systemInstruction")).isEqualTo(new JsonObject()
        .put("parts", new JsonArray().add(text("You are terse.")).add(text("Answer in French."))));
    assertThat(body.getJsonArray("contents")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "user").put("parts", new JsonArray().add(text("Capital of France?"))))
        .add(new JsonObject().put("role", "model").put("parts", new JsonArray().add(text("Paris."))))
        .add(new JsonObject().put("role", "user").put("parts", new JsonArray().add(text("And of Italy?")))));
    assertThat(body.containsKey("model")).isFalse();
  }

  @Test
  @DisplayName("images: a data URL becomes inlineData, an http URL fileData with the media type of its extension")
  void images() {
    JsonObject body = GeminiRequest.from(request(message("user", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Compare these."))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:image/jpeg;base64,/9j/4AAQSkZJRg==")))
        .add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "https://example.com/scones.png?size=large"))))));

    JsonArray parts = body.getJsonArray("contents").getJsonObject(0).getJsonArray("parts");
    assertThat(parts.getJsonObject(1)).isEqualTo(new JsonObject().put("inlineData",
        new JsonObject().put("mimeType", "image/jpeg").put("data", "/9j/4AAQSkZJRg==")));
    assertThat(parts.getJsonObject(2)).isEqualTo(new JsonObject().put("fileData",
        new JsonObject().put("mimeType", "image/png").put("fileUri", "https://example.com/scones.png?size=large")));
  }

  @Test
  @DisplayName("tools become functionDeclarations with their schema cut to what Gemini accepts, at every depth")
  void toolSchemasCleaned() {
    JsonObject parameters = new JsonObject()
        .put("$schema", "http://json-schema.org/draft-07/schema#")
        .put("type", "object")
        .put("additionalProperties", false)
        .put("properties", new JsonObject()
            .put("location", new JsonObject().put("type", "string").put("description", "City"))
            .put("unit", new JsonObject().put("type", new JsonArray().add("string").add("null"))
                .put("enum", new JsonArray().add("c").add("f")))
            .put("days", new JsonObject().put("type", "array").put("items", new JsonObject()
                .put("type", "object").put("additionalProperties", false)
                .put("properties", new JsonObject().put("date", new JsonObject().put("type", "string"))))))
        .put("required", new JsonArray().add("location"));

    JsonObject body = GeminiRequest.from(request(message("user", "hi")).put("tools", new JsonArray()
        .add(tool("get_weather", parameters))
        .add(tool("now", new JsonObject().put("type", "object").put("properties", new JsonObject())))
        .add(tool("ping", null))));

    JsonArray declarations = body.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations");
    assertThat(declarations.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("name", "get_weather").put("description", "Does get_weather")
        .put("parameters", new JsonObject()
            .put("type", "object")
            .put("properties", new JsonObject()
                .put("location", new JsonObject().put("type", "string").put("description", "City"))
                .put("unit", new JsonObject().put("type", "string").put("nullable", true)
                    .put("enum", new JsonArray().add("c").add("f")))
                .put("days", new JsonObject().put("type", "array").put("items", new JsonObject()
                    .put("type", "object")
                    .put("properties", new JsonObject().put("date", new JsonObject().put("type", "string"))))))
            .put("required", new JsonArray().add("location"))));
    assertThat(declarations.getJsonObject(1).containsKey("parameters")).as("empty object schema").isFalse();
    assertThat(declarations.getJsonObject(2).containsKey("parameters")).isFalse();
    assertThat(body.encode()).doesNotContain("additionalProperties", "$schema");
  }

  @Test
  @DisplayName("tool_choice becomes functionCallingConfig: auto AUTO, none NONE, required ANY, a name ANY restricted to it")
  void toolChoice() {
    Map.of("auto", "AUTO", "none", "NONE", "required", "ANY").forEach((openAi, mode) -> {
      JsonObject body = GeminiRequest.from(request(message("user", "hi"))
          .put("tools", new JsonArray().add(tool("ping", null))).put("tool_choice", openAi));
      assertThat(body.getJsonObject("toolConfig")).as(openAi).isEqualTo(new JsonObject()
          .put("functionCallingConfig", new JsonObject().put("mode", mode)));
    });
    JsonObject named = GeminiRequest.from(request(message("user", "hi"))
        .put("tools", new JsonArray().add(tool("ping", null)))
        .put("tool_choice", new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "ping"))));
    assertThat(named.getJsonObject("toolConfig").getJsonObject("functionCallingConfig")).isEqualTo(new JsonObject()
        .put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add("ping")));
  }

  @Test
  @DisplayName("tool calls become functionCall parts; results become functionResponse parts named after their call, in one turn")
  void toolRoundTrip() {
    JsonObject body = GeminiRequest.from(request(
        message("user", "Turn this place into a party!"),
        message("assistant", "").put("tool_calls", new JsonArray()
            .add(toolCall("call_A", "power_disco_ball", "{\"power\":true}"))
            .add(toolCall("call_B", "start_music", "{\"energetic\":true,\"loud\":true}"))),
        new JsonObject().put("role", "tool").put("tool_call_id", "call_A").put("content", "{\"status\":\"spinning\"}"),
        new JsonObject().put("role", "tool").put("tool_call_id", "call_B").put("content", "Playing: Daft Punk")));

    JsonArray contents = body.getJsonArray("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "model").put("parts", new JsonArray()
        .add(new JsonObject().put("functionCall", new JsonObject().put("name", "power_disco_ball")
            .put("args", new JsonObject().put("power", true))))
        .add(new JsonObject().put("functionCall", new JsonObject().put("name", "start_music")
            .put("args", new JsonObject().put("energetic", true).put("loud", true))))));
    assertThat(contents.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "user").put("parts", new JsonArray()
        .add(new JsonObject().put("functionResponse", new JsonObject().put("name", "power_disco_ball")
            .put("response", new JsonObject().put("status", "spinning"))))
        .add(new JsonObject().put("functionResponse", new JsonObject().put("name", "start_music")
            .put("response", new JsonObject().put("content", "Playing: Daft Punk"))))));
  }

  @Test
  @DisplayName("a function response that is JSON but not an object is wrapped, since Gemini wants an object")
  void nonObjectResponsesWrapped() {
    JsonObject body = GeminiRequest.from(request(
        message("user", "Numbers?"),
        message("assistant", null).put("tool_calls", new JsonArray().add(toolCall("call_1", "numbers", "{}"))),
        new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "[1, 2, 3]")));

    JsonObject response = body.getJsonArray("contents").getJsonObject(2).getJsonArray("parts").getJsonObject(0)
        .getJsonObject("functionResponse");
    assertThat(response.getString("name")).isEqualTo("numbers");
    assertThat(response.getJsonObject("response"))
        .isEqualTo(new JsonObject().put("content", new JsonArray().add(1).add(2).add(3)));
  }

  @Test
  @DisplayName("sampling goes under generationConfig; fields Gemini has no meaning for are dropped")
  void generationConfig() {
    JsonObject body = GeminiRequest.from(request(message("user", "hi"))
        .put("max_tokens", 256).put("temperature", 0.4).put("top_p", 0.9).put("n", 2)
        .put("stop", new JsonArray().add("END")).put("seed", 7)
        .put("logprobs", true).put("user", "u-1").put("stream_options", new JsonObject().put("include_usage", true))
        .put("vendor_options", new JsonObject().put("tier", "fast")).put("parallel_tool_calls", true));

    assertThat(body.getJsonObject("generationConfig")).isEqualTo(new JsonObject()
        .put("maxOutputTokens", 256).put("temperature", 0.4).put("topP", 0.9).put("candidateCount", 2)
        .put("stopSequences", new JsonArray().add("END")).put("seed", 7));
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("contents", "generationConfig");
  }

  @Test
  @DisplayName("max_completion_tokens wins over max_tokens; a JSON-schema response format becomes responseSchema")
  void maxTokensAndResponseFormat() {
    JsonObject body = GeminiRequest.from(request(message("user", "hi"))
        .put("max_completion_tokens", 500).put("max_tokens", 100)
        .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject()
            .put("name", "answer").put("strict", true).put("schema", new JsonObject().put("type", "object")
                .put("additionalProperties", false)
                .put("properties", new JsonObject().put("answer", new JsonObject().put("type", "string")))))));

    JsonObject config = body.getJsonObject("generationConfig");
    assertThat(config.getInteger("maxOutputTokens")).isEqualTo(500);
    assertThat(config.getString("responseMimeType")).isEqualTo("application/json");
    assertThat(config.getJsonObject("responseSchema")).isEqualTo(new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("answer", new JsonObject().put("type", "string"))));
  }

  @Test
  @DisplayName("the call goes to /models/{model}:generateContent, or :streamGenerateContent?alt=sse, keyed by x-goog-api-key")
  void urlAndHeaders() {
    GeminiAdapter adapter = new GeminiAdapter();
    String base = "https://generativelanguage.googleapis.com/v1beta";

    UpstreamRequest plain = adapter.chatRequest(request(message("user", "hi")),
        WireSamples.route("gemini", base, "AIza-channel-key", new JsonObject(), "gemini-2.5-flash"), false);
    UpstreamRequest stream = adapter.chatRequest(request(message("user", "hi")).put("model", "models/gemini-2.5-pro"),
        WireSamples.route("gemini", base, "AIza-channel-key", new JsonObject(), "gemini-2.5-pro"), true);

    assertThat(plain.url()).isEqualTo(base + "/models/gemini-2.5-flash:generateContent");
    assertThat(stream.url()).isEqualTo(base + "/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    assertThat(plain.headers().get("x-goog-api-key")).isEqualTo("AIza-channel-key");
    assertThat(plain.headers().contains("authorization")).isFalse();
    assertThat(plain.url()).doesNotContain("AIza");
  }
}
