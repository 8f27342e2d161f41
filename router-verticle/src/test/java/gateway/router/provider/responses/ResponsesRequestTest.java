package gateway.router.provider.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI chat requests as OpenAI Responses requests, for channels with {@code wire_api: responses}. */
class ResponsesRequestTest {

  private static final JsonObject WEATHER = new JsonObject().put("type", "object").put("properties",
      new JsonObject().put("location", new JsonObject().put("type", "string")));

  @Test
  @DisplayName("a tool round trip: messages become input items, the call a function_call, the result a function_call_output")
  void toolRoundTrip() {
    JsonObject chat = new JsonObject().put("model", "gpt-4.1").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Be brief."))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "Weather here?"))
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
                .put("url", "https://example.com/sky.jpg").put("detail", "low")))))
        .add(new JsonObject().put("role", "assistant").put("content", "Checking.").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
                .put("name", "get_weather").put("arguments", "{\"location\":\"Paris\"}")))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "18°C")));

    JsonArray input = ResponsesRequest.from(chat, false).getJsonArray("input");

    assertThat(input).containsExactly(
        new JsonObject().put("type", "message").put("role", "system").put("content", "Be brief."),
        new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "input_text").put("text", "Weather here?"))
            .add(new JsonObject().put("type", "input_image").put("image_url", "https://example.com/sky.jpg")
                .put("detail", "low"))),
        new JsonObject().put("type", "message").put("role", "assistant").put("content", "Checking."),
        new JsonObject().put("type", "function_call").put("call_id", "call_1").put("name", "get_weather")
            .put("arguments", "{\"location\":\"Paris\"}"),
        new JsonObject().put("type", "function_call_output").put("call_id", "call_1").put("output", "18°C"));
  }

  @Test
  @DisplayName("tools flatten, tool_choice names the function, bounds and formats move to their Responses fields")
  void fieldsMoveToTheirPlaces() {
    JsonObject chat = new JsonObject().put("model", "gpt-4.1")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", "get_weather").put("description", "Weather").put("parameters", WEATHER).put("strict", true))))
        .put("tool_choice", new JsonObject().put("type", "function").put("function",
            new JsonObject().put("name", "get_weather")))
        .put("max_completion_tokens", 300).put("temperature", 0.2).put("parallel_tool_calls", false)
        .put("reasoning_effort", "low").put("stop", "END").put("n", 2).put("logprobs", true)
        .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject()
            .put("name", "weather").put("schema", WEATHER).put("strict", true)));

    JsonObject body = ResponsesRequest.from(chat, true);

    assertThat(body.getJsonArray("tools")).containsExactly(new JsonObject().put("type", "function")
        .put("name", "get_weather").put("description", "Weather").put("parameters", WEATHER).put("strict", true));
    assertThat(body.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "function")
        .put("name", "get_weather"));
    assertThat(body.getInteger("max_output_tokens")).isEqualTo(300);
    assertThat(body.getDouble("temperature")).isEqualTo(0.2);
    assertThat(body.getBoolean("parallel_tool_calls")).isFalse();
    assertThat(body.getJsonObject("reasoning")).isEqualTo(new JsonObject().put("effort", "low"));
    assertThat(body.getJsonObject("text").getJsonObject("format")).isEqualTo(new JsonObject().put("type", "json_schema")
        .put("name", "weather").put("schema", WEATHER).put("strict", true));
    assertThat(body.getBoolean("store")).isFalse();
    assertThat(body.getBoolean("stream")).isTrue();
    assertThat(body.fieldNames()).doesNotContain("stop", "n", "logprobs", "messages", "max_completion_tokens");
  }
}
