package gateway.router.provider.anthropic;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.json;
import static gateway.router.provider.WireSamples.replay;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.WireSamples;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Anthropic Messages relayed untranslated, on the samples of Anthropic's docs. */
class AnthropicPassThroughTest {
  private final AnthropicPassThrough passThrough = new AnthropicPassThrough();

  @Test
  @DisplayName("the thinking stream is emitted event for event, signature included; empty block starts are not content")
  void thinkingStreamAsItCame() {
    StreamTranslator stream = passThrough.streamTranslator();
    List<JsonObject> emitted = replay(stream, bytes("anthropic/stream-thinking.sse"), 11);

    List<SseEvent> sent = WireSamples.events(bytes("anthropic/stream-thinking.sse"));
    assertThat(emitted).hasSameSizeAs(sent);
    for (int i = 0; i < sent.size(); i++) {
      assertThat(emitted.get(i)).isEqualTo(new JsonObject(sent.get(i).data()));
    }
    assertThat(emitted).filteredOn(stream::carriesContent).extracting(e -> e.getString("type"))
        .containsOnly("content_block_delta");
    assertThat(emitted).filteredOn(e -> e.encode().contains("signature_delta")).hasSize(1);
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isNull(); // the sample reports none: the gateway counts
  }

  @Test
  @DisplayName("a tool_use block is content from its start; its name and input fragments are the output counted")
  void toolUseIsContent() {
    StreamTranslator stream = passThrough.streamTranslator();
    List<JsonObject> emitted = replay(stream, bytes("anthropic/stream-tool-use.sse"));

    JsonObject toolStart = emitted.stream().filter(e -> "content_block_start".equals(e.getString("type"))
        && "tool_use".equals(e.getJsonObject("content_block").getString("type"))).findFirst().orElseThrow();
    assertThat(stream.carriesContent(toolStart)).isTrue();
    StringBuilder output = new StringBuilder();
    emitted.forEach(e -> stream.appendOutput(e, output));
    assertThat(output.toString()).contains("get_weather").contains("San Francisco");
    assertThat(stream.usage()).isEqualTo(new Usage(472, 0, 0, 89, 0));
  }

  @Test
  @DisplayName("an error event is the provider's in-stream error (overloaded: 529), never relayed as is")
  void errorEvent() {
    StreamTranslator stream = passThrough.streamTranslator();
    List<JsonObject> emitted = replay(stream, bytes("anthropic/stream-error-overloaded.sse"));

    assertThat(emitted).extracting(e -> e.getString("type")).doesNotContain("error");
    assertThat(stream.error().status()).isEqualTo(529);
    assertThat(stream.error().type()).isEqualTo("overloaded_error");
  }

  @Test
  @DisplayName("folded for a whole-answer client: the thinking block with its signature, then the text")
  void aggregatedThinking() {
    ChunkAggregator aggregator = passThrough.aggregator();
    replay(passThrough.streamTranslator(), bytes("anthropic/stream-thinking.sse")).forEach(aggregator::accept);

    JsonObject message = aggregator.completion();
    JsonArray content = message.getJsonArray("content");
    assertThat(content.getJsonObject(0).getString("type")).isEqualTo("thinking");
    assertThat(content.getJsonObject(0).getString("thinking")).startsWith("Let me solve this step by step");
    assertThat(content.getJsonObject(0).getString("signature"))
        .isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...");
    assertThat(content.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "text").put("text", "27 * 453 = 12,231"));
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.getString("id")).isEqualTo("msg_01...");
  }

  @Test
  @DisplayName("folded tool use: the input JSON fragments joined into the tool's input object")
  void aggregatedToolUse() {
    ChunkAggregator aggregator = passThrough.aggregator();
    replay(passThrough.streamTranslator(), bytes("anthropic/stream-tool-use.sse")).forEach(aggregator::accept);

    JsonObject message = aggregator.completion();
    JsonObject tool = message.getJsonArray("content").getJsonObject(1);
    assertThat(tool.getString("type")).isEqualTo("tool_use");
    assertThat(tool.getJsonObject("input").getString("location")).isEqualTo("San Francisco, CA");
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(message.getJsonObject("usage").getLong("output_tokens")).isEqualTo(89);
  }

  @Test
  @DisplayName("the documented message comes back unchanged, its three input buckets normalized for billing")
  void wholeMessage() {
    Completion completion = passThrough.completion(bytes("anthropic/message-api-reference.json"));

    assertThat(completion.body()).isEqualTo(json("anthropic/message-api-reference.json"));
    assertThat(completion.usage()).isEqualTo(new Usage(2095, 2051, 2051, 503, 0));
  }

  @Test
  @DisplayName("the client's body goes upstream as it came, with the anthropic-beta the channel allows; a channel's own header wins")
  void requestAsItCame() {
    JsonObject body = json("anthropic/request-thinking-cache-control.json");
    JsonObject allowing = new JsonObject().put("allow", new JsonObject()
        .put("anthropic_beta", new JsonArray().add("interleaved-thinking-2025-05-14")));
    UpstreamRequest plain = passThrough.request(body, WireSamples.route("anthropic", "https://api.anthropic.com/v1",
        "sk-ant", allowing, "claude-sonnet-4-5"), true,
        Map.of("anthropic-beta", "interleaved-thinking-2025-05-14,context-1m-2025-08-07"));
    UpstreamRequest unlisted = passThrough.request(body, WireSamples.route("anthropic", "https://api.anthropic.com/v1",
        "sk-ant", new JsonObject(), "claude-sonnet-4-5"), true, Map.of("anthropic-beta", "interleaved-thinking-2025-05-14"));
    UpstreamRequest overridden = passThrough.request(body, WireSamples.route("anthropic", "https://api.anthropic.com/v1",
        "sk-ant", new JsonObject().put("headers", new JsonObject().put("anthropic-beta", "context-1m-2025-08-07")),
        "claude-sonnet-4-5"), false, Map.of("anthropic-beta", "interleaved-thinking-2025-05-14"));

    assertThat(plain.url()).isEqualTo("https://api.anthropic.com/v1/messages");
    assertThat(plain.body().toJsonObject()).isEqualTo(body.copy().put("stream", true));
    assertThat(plain.headers().get("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
    assertThat(unlisted.headers().contains("anthropic-beta")).isFalse();
    assertThat(plain.headers().get("x-api-key")).isEqualTo("sk-ant");
    assertThat(plain.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(overridden.headers().get("anthropic-beta")).isEqualTo("context-1m-2025-08-07");
    assertThat(overridden.body().toJsonObject()).isEqualTo(body);
  }
}
