package gateway.router.provider.responses;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.money.Usage;
import gateway.router.provider.Completion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI Responses answers, as the API reference documents them, read as chat completions. */
class ResponsesResponseTest {

  @Test
  @DisplayName("the documented response: its output text as the content, its usage in chat's shape and normalized")
  void documentedResponse() {
    Completion completion = ResponsesResponse.completion(bytes("responses/response-create.json"));

    JsonObject body = completion.body();
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("id")).isEqualTo("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");
    assertThat(body.getString("model")).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(body.getLong("created")).isEqualTo(1741476542L);
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message").getString("content")).startsWith("In a peaceful grove beneath a silver moon");
    assertThat(body.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(36);
    assertThat(body.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(87);
    assertThat(completion.usage()).isEqualTo(new Usage(36, 0, 0, 87, 0));
  }

  @Test
  @DisplayName("the documented parallel function calls: each a tool call whose id is the call_id, finish reason tool_calls")
  void functionCalls() {
    JsonObject response = new JsonObject().put("id", "resp_1").put("status", "completed").put("model", "gpt-4.1")
        .put("output", new JsonArray(bytes("responses/output-function-calls.json").toString()));

    JsonObject choice = ResponsesResponse.completion(response).body().getJsonArray("choices").getJsonObject(0);

    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getValue("content")).isNull();
    JsonArray calls = message.getJsonArray("tool_calls");
    assertThat(calls).hasSize(3);
    assertThat(calls.getJsonObject(0)).isEqualTo(new JsonObject().put("id", "call_12345xyz").put("type", "function")
        .put("function", new JsonObject().put("name", "get_weather").put("arguments", "{\"location\":\"Paris, France\"}")));
    assertThat(calls.getJsonObject(2).getJsonObject("function").getString("name")).isEqualTo("send_email");
  }

  @Test
  @DisplayName("cached and reasoning tokens: inside the input and output counts, taken out once into their own buckets")
  void cachedAndReasoningTokens() {
    JsonObject response = json("responses/response-create.json");
    response.put("usage", new JsonObject().put("input_tokens", 12033)
        .put("input_tokens_details", new JsonObject().put("cached_tokens", 11904))
        .put("output_tokens", 44).put("output_tokens_details", new JsonObject().put("reasoning_tokens", 10)));

    assertThat(ResponsesResponse.completion(response).usage()).isEqualTo(new Usage(129, 11904, 0, 44, 10));
  }

  @Test
  @DisplayName("an incomplete response says why in its finish reason; reasoning summaries become reasoning_content")
  void incompleteAndReasoning() {
    JsonObject response = json("responses/response-create.json").put("status", "incomplete")
        .put("incomplete_details", new JsonObject().put("reason", "max_output_tokens"));
    response.getJsonArray("output").add(0, new JsonObject().put("type", "reasoning").put("id", "rs_1")
        .put("summary", new JsonArray().add(new JsonObject().put("type", "summary_text").put("text", "Thinking."))));

    JsonObject choice = ResponsesResponse.completion(response).body().getJsonArray("choices").getJsonObject(0);

    assertThat(choice.getString("finish_reason")).isEqualTo("length");
    assertThat(choice.getJsonObject("message").getString("reasoning_content")).isEqualTo("Thinking.");
  }

  @Test
  @DisplayName("something that is not a response is refused, for the exchange to treat as the channel's failure")
  void notAResponse() {
    assertThatThrownBy(() -> ResponsesResponse.completion(Buffer.buffer("{\"choices\":[]}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
