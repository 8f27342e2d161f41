package gateway.router.provider.gemini;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.deltas;
import static gateway.router.provider.WireSamples.finishReasons;
import static gateway.router.provider.WireSamples.joined;
import static gateway.router.provider.WireSamples.replay;
import static gateway.router.provider.WireSamples.anonymous;
import static gateway.router.provider.WireSamples.toolArguments;
import static gateway.router.provider.WireSamples.toolCallDeltas;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import gateway.router.provider.UpstreamError;
import gateway.router.sse.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeminiStreamTest {

  private static Buffer asEvent(JsonObject response) {
    return Buffer.buffer("data: " + response.encode() + "\r\n\r\n");
  }

  @Test
  @DisplayName("text then parallel calls: role chunk, text, each call opened with id and name then its arguments, tool_calls, usage")
  void textThenParallelCalls() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> chunks = replay(stream, bytes("gemini/stream-text-then-parallel-calls.sse"));

    assertThat(deltas(chunks).get(0)).isEqualTo(new JsonObject().put("role", "assistant").put("content", ""));
    assertThat(chunks.get(0).getString("id")).isEqualTo("chatcmpl-vKBhaPyKEpmhz7IPnNXKwQ4");
    assertThat(chunks.get(0).getString("model")).isEqualTo("gemini-2.5-flash");
    assertThat(joined(chunks, "content")).isEqualTo("Let me turn this place into a party.");
    List<JsonObject> calls = toolCallDeltas(chunks);
    assertThat(calls).hasSize(4);
    assertThat(calls.get(0).getInteger("index")).isZero();
    assertThat(calls.get(0).getString("id")).startsWith("call_");
    assertThat(calls.get(0).getJsonObject("function")).isEqualTo(new JsonObject()
        .put("name", "power_disco_ball").put("arguments", ""));
    assertThat(calls.get(1).fieldNames()).containsExactlyInAnyOrder("index", "function");
    assertThat(calls.get(2).getInteger("index")).isEqualTo(1);
    assertThat(calls.get(2).getString("id")).isNotEqualTo(calls.get(0).getString("id"));
    assertThat(new JsonObject(toolArguments(chunks, 0))).isEqualTo(new JsonObject().put("power", true));
    assertThat(new JsonObject(toolArguments(chunks, 1)))
        .isEqualTo(new JsonObject().put("energetic", true).put("loud", true));
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
    JsonObject last = chunks.get(chunks.size() - 1);
    assertThat(last.getJsonArray("choices")).isEmpty();
    assertThat(last.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(160);
    assertThat(last.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(28);
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isEqualTo(new Usage(160, 0, 0, 28, 0));
  }

  @Test
  @DisplayName("there is no terminator: the stream is complete on the event carrying the finish reason, not before")
  void completeOnFinishReason() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> chunks = new ArrayList<>();
    List<Boolean> completedAfter = new ArrayList<>();
    for (String line : bytes("gemini/stream-text-then-parallel-calls.sse").toString().split("\r\n\r\n")) {
      stream.accept(new SseEvent(null, line.substring("data: ".length())), chunks::add);
      completedAfter.add(stream.completed());
    }

    assertThat(completedAfter).containsExactly(false, false, true);
  }

  @Test
  @DisplayName("the recorded gemini-pro stream, split at every awkward byte (CRLF pairs, UTF-8 characters), translates the same")
  void recordedStreamAwkwardSplits() {
    Buffer transcript = bytes("gemini/stream-gemini-pro-2024.sse");
    List<JsonObject> whole = replay(new GeminiStream(), transcript);

    assertThat(joined(whole, "content")).startsWith("In the quaint, sunlit cottage")
        .contains("\"冒险伙伴\" (Adventure Buddies)").endsWith(" other and for adventure stronger than ever.");
    for (int piece = 1; piece <= 11; piece++) {
      assertThat(anonymous(replay(new GeminiStream(), transcript, piece))).as("%d-byte pieces", piece)
          .isEqualTo(anonymous(whole));
    }
  }

  @Test
  @DisplayName("gemini-pro (2024) put a finish reason on every event: complete at the first, one finish chunk in all")
  void finishReasonOnEveryEvent() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> afterFirst = new ArrayList<>();
    String first = bytes("gemini/stream-gemini-pro-2024.sse").toString().split("\r\n", 2)[0];
    stream.accept(new SseEvent(null, first.substring("data: ".length())), afterFirst::add);

    assertThat(stream.completed()).isTrue();
    assertThat(finishReasons(afterFirst)).containsExactly("stop");
    assertThat(finishReasons(replay(new GeminiStream(), bytes("gemini/stream-gemini-pro-2024.sse"))))
        .containsExactly("stop");
    assertThat(stream.usage()).isNull();
  }

  @Test
  @DisplayName("an error event after content is the stream's error, retryable like the 503 it stands for")
  void errorEvent() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> chunks = replay(stream, bytes("gemini/stream-error-unavailable.sse"));

    assertThat(joined(chunks, "content")).isEqualTo("Here is the");
    UpstreamError error = stream.error();
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.retryable()).isTrue();
    assertThat(stream.completed()).isFalse();
  }

  @Test
  @DisplayName("a prompt blocked in a stream ends it at once as a normal answer: finish content_filter")
  void promptBlocked() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> chunks = replay(stream, asEvent(bytes("gemini/prompt-blocked.json").toJsonObject()));

    assertThat(finishReasons(chunks)).containsExactly("content_filter");
    assertThat(joined(chunks, "content")).isEmpty();
    assertThat(stream.completed()).isTrue();
    assertThat(stream.error()).isNull();
  }

  @Test
  @DisplayName("a candidate stopped for safety mid-stream finishes with content_filter and keeps its usage")
  void candidateStoppedForSafety() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> chunks = replay(stream, asEvent(bytes("gemini/generate-candidate-safety.json").toJsonObject()));

    assertThat(finishReasons(chunks)).containsExactly("content_filter");
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isEqualTo(new Usage(12, 0, 0, 0, 0));
  }

  @Test
  @DisplayName("thought parts stream as reasoning_content; thinking tokens count as output")
  void thinking() {
    GeminiStream stream = new GeminiStream();
    List<JsonObject> chunks = replay(stream, asEvent(bytes("gemini/generate-thinking.json").toJsonObject()));

    assertThat(joined(chunks, "reasoning_content")).startsWith("**Calculating the product**");
    assertThat(joined(chunks, "content")).isEqualTo("27 × 453 = 12,231");
    assertThat(stream.usage()).isEqualTo(new Usage(10, 0, 0, 332, 320));
  }
}
