package gateway.router.provider.gemini;

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

class GeminiResponseTest {
  private final GeminiAdapter adapter = new GeminiAdapter();

  private static JsonObject firstChoice(Completion completion) {
    return completion.body().getJsonArray("choices").getJsonObject(0);
  }

  @Test
  @DisplayName("a cached prompt: promptTokenCount includes the cached tokens, which are priced once, as cache reads")
  void cachedPrompt() {
    Completion completion = adapter.completion(WireSamples.bytes("gemini/generate-cached.json"));

    assertThat(completion.usage()).isEqualTo(new Usage(323388 - 323383, 323383, 0, 397, 0));
    JsonObject usage = completion.body().getJsonObject("usage");
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(323388);
    assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isEqualTo(323383);
    assertThat(usage.getLong("completion_tokens")).isEqualTo(397);
    JsonObject choice = firstChoice(completion);
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message").getString("content"))
        .startsWith("This is a transcript of the air-to-ground voice transmission");
    assertThat(completion.body().getString("object")).isEqualTo("chat.completion");
    assertThat(completion.body().getString("id")).startsWith("chatcmpl-");
  }

  @Test
  @DisplayName("a function call becomes a tool call with a generated id, JSON arguments, finish reason tool_calls")
  void functionCall() {
    Completion completion = adapter.completion(WireSamples.bytes("gemini/generate-function-call.json"));

    JsonObject choice = firstChoice(completion);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject message = choice.getJsonObject("message");
    assertThat(message.getValue("content")).isNull();
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).matches("call_[A-Za-z0-9]{24}");
    assertThat(call.getString("type")).isEqualTo("function");
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("find_theaters");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
        .isEqualTo(new JsonObject().put("movie", "Barbie").put("location", "Mountain View, CA"));
    assertThat(completion.usage()).isNull();
  }

  @Test
  @DisplayName("parallel function calls become as many tool calls, each with its own id")
  void parallelFunctionCalls() {
    Completion completion = adapter.completion(WireSamples.bytes("gemini/generate-parallel-calls.json"));

    JsonArray calls = firstChoice(completion).getJsonObject("message").getJsonArray("tool_calls");
    assertThat(calls).hasSize(3);
    assertThat(calls.stream().map(c -> ((JsonObject) c).getJsonObject("function").getString("name")))
        .containsExactly("power_disco_ball", "start_music", "dim_lights");
    assertThat(calls.stream().map(c -> ((JsonObject) c).getString("id")).distinct()).hasSize(3);
    assertThat(new JsonObject(calls.getJsonObject(2).getJsonObject("function").getString("arguments"))
        .getDouble("brightness")).isEqualTo(0.5);
    assertThat(completion.usage()).isEqualTo(new Usage(160, 0, 0, 21, 0));
    assertThat(completion.body().getString("model")).isEqualTo("gemini-2.5-flash");
    assertThat(completion.body().getString("id")).isEqualTo("chatcmpl-vKBhaPyKEpmhz7IPnNXKwQ4");
  }

  @Test
  @DisplayName("a function call's own id, when Gemini gives one, is kept")
  void ownCallId() {
    JsonObject call = new JsonObject().put("id", "fc-7").put("name", "ping").put("args", new JsonObject());
    JsonObject content = new JsonObject().put("role", "model")
        .put("parts", new JsonArray().add(new JsonObject().put("functionCall", call)));
    JsonObject response = new JsonObject().put("candidates", new JsonArray()
        .add(new JsonObject().put("finishReason", "STOP").put("content", content)));

    Completion completion = GeminiResponse.completion(response.toBuffer());

    assertThat(firstChoice(completion).getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0)
        .getString("id")).isEqualTo("fc-7");
  }

  @Test
  @DisplayName("a refused prompt (blockReason, no candidates) is a normal answer: empty content, finish content_filter")
  void promptBlocked() {
    Completion completion = adapter.completion(WireSamples.bytes("gemini/prompt-blocked.json"));

    JsonObject choice = firstChoice(completion);
    assertThat(choice.getString("finish_reason")).isEqualTo("content_filter");
    assertThat(choice.getJsonObject("message").getString("content")).isEmpty();
    assertThat(completion.body().getJsonArray("choices")).hasSize(1);
  }

  @Test
  @DisplayName("a candidate stopped for safety is a normal answer: empty content, finish content_filter, usage kept")
  void candidateStoppedForSafety() {
    Completion completion = adapter.completion(WireSamples.bytes("gemini/generate-candidate-safety.json"));

    JsonObject choice = firstChoice(completion);
    assertThat(choice.getString("finish_reason")).isEqualTo("content_filter");
    assertThat(choice.getJsonObject("message").getString("content")).isEmpty();
    assertThat(completion.usage()).isEqualTo(new Usage(12, 0, 0, 0, 0));
  }

  @Test
  @DisplayName("thought parts become reasoning_content; thinking tokens are output, reported as reasoning")
  void thinking() {
    Completion completion = adapter.completion(WireSamples.bytes("gemini/generate-thinking.json"));

    JsonObject message = firstChoice(completion).getJsonObject("message");
    assertThat(message.getString("content")).isEqualTo("27 × 453 = 12,231");
    assertThat(message.getString("reasoning_content")).startsWith("**Calculating the product**");
    assertThat(completion.usage()).isEqualTo(new Usage(10, 0, 0, 12 + 320, 320));
    assertThat(completion.body().getJsonObject("usage").getJsonObject("completion_tokens_details")
        .getLong("reasoning_tokens")).isEqualTo(320);
  }

  @Test
  @DisplayName("finish reasons: MAX_TOKENS is length; SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII content_filter")
  void finishReasons() {
    Map.of("STOP", "stop", "MAX_TOKENS", "length", "SAFETY", "content_filter", "RECITATION", "content_filter",
        "BLOCKLIST", "content_filter", "PROHIBITED_CONTENT", "content_filter", "SPII", "content_filter",
        "OTHER", "stop", "MALFORMED_FUNCTION_CALL", "stop")
        .forEach((gemini, openAi) -> assertThat(GeminiFinishReasons.toOpenAi(gemini, false)).as(gemini)
            .isEqualTo(openAi));
    assertThat(GeminiFinishReasons.toOpenAi("STOP", true)).isEqualTo("tool_calls");
    assertThat(GeminiFinishReasons.toOpenAi("MAX_TOKENS", true)).isEqualTo("length");
  }

  @Test
  @DisplayName("several candidates (n > 1) become as many choices")
  void severalCandidates() {
    JsonObject candidate = new JsonObject().put("finishReason", "STOP")
        .put("content", new JsonObject().put("role", "model").put("parts", new JsonArray().add(new JsonObject()
            .put("text", "A"))));
    Completion completion = GeminiResponse.completion(Buffer.buffer(new JsonObject().put("candidates", new JsonArray()
        .add(candidate.copy().put("index", 0))
        .add(candidate.copy().put("index", 1))).encode()));

    assertThat(completion.body().getJsonArray("choices")).hasSize(2);
    assertThat(completion.body().getJsonArray("choices").getJsonObject(1).getInteger("index")).isEqualTo(1);
  }

  @Test
  @DisplayName("a body that is not a GenerateContentResponse is refused")
  void notAResponse() {
    assertThatThrownBy(() -> GeminiResponse.completion(Buffer.buffer("{\"foo\": 1}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
