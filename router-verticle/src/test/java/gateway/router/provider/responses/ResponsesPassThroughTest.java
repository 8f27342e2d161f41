package gateway.router.provider.responses;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.json;
import static gateway.router.provider.WireSamples.replay;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.WireSamples;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI Responses relayed untranslated: read only for what the gateway needs, never changed. */
class ResponsesPassThroughTest {
  private final ResponsesPassThrough passThrough = new ResponsesPassThrough();

  @Test
  @DisplayName("every documented event is emitted as it came; only the lifecycle before the first delta is held back")
  void eventsAsTheyCame() {
    StreamTranslator stream = passThrough.streamTranslator();
    List<JsonObject> emitted = replay(stream, bytes("responses/stream-text.sse"));

    List<SseEvent> sent = WireSamples.events(bytes("responses/stream-text.sse"));
    assertThat(emitted).hasSameSizeAs(sent);
    for (int i = 0; i < sent.size(); i++) {
      assertThat(emitted.get(i)).isEqualTo(new JsonObject(sent.get(i).data()));
    }
    assertThat(emitted).extracting(stream::carriesContent)
        .containsExactly(false, false, false, false, true, true, true, true, true);
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isEqualTo(Usage.ZERO);
  }

  @Test
  @DisplayName("a function call item is content from its start, so a failure after it cannot fall back")
  void functionCallIsContent() {
    StreamTranslator stream = passThrough.streamTranslator();
    List<JsonObject> emitted = replay(stream, bytes("responses/stream-function-call.sse"));

    assertThat(stream.carriesContent(emitted.get(0))).isTrue();
    StringBuilder output = new StringBuilder();
    emitted.forEach(event -> stream.appendOutput(event, output));
    assertThat(output.toString()).isEqualTo("get_weather{\"location\":\"Paris, France\"}");
  }

  @Test
  @DisplayName("response.failed and error events are errors, not relayed: the gateway ends the client's stream itself")
  void failuresAreErrors() {
    StreamTranslator failed = passThrough.streamTranslator();
    List<JsonObject> emitted = replay(failed, bytes("responses/stream-failed.sse"));

    assertThat(emitted).extracting(e -> e.getString("type")).doesNotContain("response.failed");
    assertThat(failed.error().message()).contains("The model failed to generate a response.");
  }

  @Test
  @DisplayName("a stream folded for a whole-answer client is the response of its response.completed")
  void aggregatedIsTheCompletedResponse() {
    ChunkAggregator aggregator = passThrough.aggregator();
    replay(passThrough.streamTranslator(), bytes("responses/stream-text.sse")).forEach(aggregator::accept);

    List<SseEvent> sent = WireSamples.events(bytes("responses/stream-text.sse"));
    assertThat(aggregator.completion())
        .isEqualTo(new JsonObject(sent.get(sent.size() - 1).data()).getJsonObject("response"));
  }

  @Test
  @DisplayName("the client's body goes to {base_url}/responses as it came; stream asked for only when streaming")
  void requestAsItCame() {
    JsonObject body = json("responses/request-function-call-output.json").put("stream", true);
    UpstreamRequest whole = passThrough.request(body, WireSamples.route("openai", "https://api.openai.com/v1", "sk",
        new JsonObject(), "gpt-4.1"), false, Map.of());

    JsonObject sent = whole.body().toJsonObject();
    assertThat(whole.url()).isEqualTo("https://api.openai.com/v1/responses");
    assertThat(whole.headers().get("authorization")).isEqualTo("Bearer sk");
    JsonObject expected = body.copy();
    expected.remove("stream");
    assertThat(sent).isEqualTo(expected);
    assertThat(passThrough.completion(bytes("responses/response-create.json")).body())
        .isEqualTo(json("responses/response-create.json"));
  }
}
