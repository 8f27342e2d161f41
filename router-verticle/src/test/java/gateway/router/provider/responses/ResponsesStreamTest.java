package gateway.router.provider.responses;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.deltas;
import static gateway.router.provider.WireSamples.finishReasons;
import static gateway.router.provider.WireSamples.joined;
import static gateway.router.provider.WireSamples.replay;
import static gateway.router.provider.WireSamples.timeless;
import static gateway.router.provider.WireSamples.toolArguments;
import static gateway.router.provider.WireSamples.toolCallDeltas;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI Responses event streams, made of the API reference's documented events, read as chat chunks. */
class ResponsesStreamTest {

  @Test
  @DisplayName("a text stream: the role chunk at response.created, the text delta, a finish and the usage chunk at response.completed")
  void textStream() {
    ResponsesStream stream = new ResponsesStream();
    List<JsonObject> chunks = replay(stream, bytes("responses/stream-text.sse"));

    assertThat(chunks.get(0).getString("id")).isEqualTo("resp_67ccfcdd16748190a91872c75d38539e09e4d4aac714747c");
    assertThat(chunks.get(0).getString("model")).isEqualTo("gpt-4o-2024-08-06");
    assertThat(deltas(chunks).get(0)).isEqualTo(new JsonObject().put("role", "assistant").put("content", ""));
    assertThat(joined(chunks, "content")).isEqualTo("In");
    assertThat(finishReasons(chunks)).containsExactly("stop");
    assertThat(chunks.get(chunks.size() - 1).getJsonArray("choices")).isEmpty();
    assertThat(chunks.get(chunks.size() - 1).getJsonObject("usage").getLong("prompt_tokens")).isZero();
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isEqualTo(new Usage(0, 0, 0, 0, 0));
    assertThat(stream.error()).isNull();
  }

  @Test
  @DisplayName("the same stream cut into 7-byte pieces gives the same chunks")
  void piecesGiveTheSameChunks() {
    assertThat(timeless(replay(new ResponsesStream(), bytes("responses/stream-text.sse"), 7)))
        .isEqualTo(timeless(replay(new ResponsesStream(), bytes("responses/stream-text.sse"))));
  }

  @Test
  @DisplayName("the function calling guide's stream: the call opens with its call_id and name, then its argument fragments")
  void functionCallStream() {
    ResponsesStream stream = new ResponsesStream();
    List<JsonObject> chunks = replay(stream, bytes("responses/stream-function-call.sse"));

    JsonObject start = toolCallDeltas(chunks).get(0);
    assertThat(start.getInteger("index")).isZero();
    assertThat(start.getString("id")).isEqualTo("call_1234xyz");
    assertThat(start.getJsonObject("function").getString("name")).isEqualTo("get_weather");
    assertThat(toolCallDeltas(chunks).subList(1, toolCallDeltas(chunks).size()))
        .allSatisfy(delta -> assertThat(delta.containsKey("id")).isFalse());
    assertThat(new JsonObject(toolArguments(chunks, 0))).isEqualTo(new JsonObject().put("location", "Paris, France"));
    // The guide's excerpt stops before response.completed.
    assertThat(stream.completed()).isFalse();
  }

  @Test
  @DisplayName("response.failed and the error event are the provider's in-stream errors, with their message")
  void failures() {
    ResponsesStream failed = new ResponsesStream();
    replay(failed, bytes("responses/stream-failed.sse"));
    ResponsesStream error = new ResponsesStream();
    replay(error, bytes("responses/stream-error.sse"));

    assertThat(failed.error().message()).contains("The model failed to generate a response.");
    assertThat(failed.error().retryable()).isTrue();
    assertThat(failed.completed()).isFalse();
    assertThat(error.error().message()).contains("ERR_SOMETHING").contains("Something went wrong");
  }

  @Test
  @DisplayName("response.incomplete completes the stream with finish reason length")
  void incomplete() {
    ResponsesStream stream = new ResponsesStream();
    List<JsonObject> chunks = replay(stream, bytes("responses/stream-incomplete.sse"));

    assertThat(finishReasons(chunks)).containsExactly("length");
    assertThat(stream.completed()).isTrue();
  }
}
