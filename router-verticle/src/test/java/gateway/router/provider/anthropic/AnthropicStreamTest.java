package gateway.router.provider.anthropic;

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
import gateway.router.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnthropicStreamTest {

  private static String events(String... events) {
    StringBuilder sse = new StringBuilder();
    for (String data : events) {
      JsonObject json = new JsonObject(data);
      sse.append("event: ").append(json.getString("type")).append('\n').append("data: ").append(data).append("\n\n");
    }
    return sse.toString();
  }

  @Test
  @DisplayName("the basic stream: a role-only first chunk, the text, a finish chunk, then the usage chunk")
  void basicStream() {
    AnthropicStream stream = new AnthropicStream();
    List<JsonObject> chunks = replay(stream, bytes("anthropic/stream-basic.sse"));

    JsonObject first = chunks.get(0);
    assertThat(first.getString("id")).isEqualTo("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY");
    assertThat(first.getString("object")).isEqualTo("chat.completion.chunk");
    assertThat(first.getString("model")).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(deltas(chunks).get(0)).isEqualTo(new JsonObject().put("role", "assistant").put("content", ""));
    assertThat(joined(chunks, "content")).isEqualTo("Hello!");
    assertThat(finishReasons(chunks)).containsExactly("stop");
    JsonObject last = chunks.get(chunks.size() - 1);
    assertThat(last.getJsonArray("choices")).isEmpty();
    assertThat(last.getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(25);
    assertThat(last.getJsonObject("usage").getLong("completion_tokens")).isEqualTo(15);
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isEqualTo(new Usage(25, 0, 0, 15, 0));
    assertThat(stream.error()).isNull();
  }

  @Test
  @DisplayName("text before a tool call: the call is tool call 0 although it is content block 1, and streams as OpenAI's do")
  void toolCallIndexIsNotTheBlockIndex() {
    AnthropicStream stream = new AnthropicStream();
    List<JsonObject> chunks = replay(stream, bytes("anthropic/stream-tool-use.sse"));

    assertThat(joined(chunks, "content")).isEqualTo("Okay, let's check the weather for San Francisco, CA:");
    List<JsonObject> calls = toolCallDeltas(chunks);
    assertThat(calls.get(0)).isEqualTo(new JsonObject().put("index", 0).put("id", "toolu_01T1x1fJ34qAmk2tNTrN7Up6")
        .put("type", "function").put("function", new JsonObject().put("name", "get_weather").put("arguments", "")));
    assertThat(calls.subList(1, calls.size())).allSatisfy(later -> {
      assertThat(later.fieldNames()).containsExactlyInAnyOrder("index", "function");
      assertThat(later.getInteger("index")).isZero();
      assertThat(later.getJsonObject("function").fieldNames()).containsExactly("arguments");
    });
    assertThat(new JsonObject(toolArguments(chunks, 0)))
        .isEqualTo(new JsonObject().put("location", "San Francisco, CA").put("unit", "fahrenheit"));
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
    assertThat(stream.usage()).isEqualTo(new Usage(472, 0, 0, 89, 0));
  }

  @Test
  @DisplayName("thinking deltas become reasoning_content; a stream without usage reports none, so the gateway counts")
  void thinking() {
    AnthropicStream stream = new AnthropicStream();
    List<JsonObject> chunks = replay(stream, bytes("anthropic/stream-thinking.sse"));

    assertThat(joined(chunks, "reasoning_content")).isEqualTo("Let me solve this step by step:\n\n"
        + "1. First break down 27 * 453\n2. 453 = 400 + 50 + 3\n3. 27 * 400 = 10,800\n4. 27 * 50 = 1,350\n"
        + "5. 27 * 3 = 81\n6. 10,800 + 1,350 + 81 = 12,231");
    assertThat(joined(chunks, "content")).isEqualTo("27 * 453 = 12,231");
    assertThat(chunks).noneMatch(c -> c.encode().contains("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"));
    assertThat(chunks).noneMatch(c -> c.containsKey("usage"));
    assertThat(finishReasons(chunks)).containsExactly("stop");
    assertThat(stream.completed()).isTrue();
    assertThat(stream.usage()).isNull();
  }

  @Test
  @DisplayName("split at every awkward byte boundary, with LF or CRLF line ends, the stream translates the same")
  void awkwardSplits() {
    for (String sample : List.of("anthropic/stream-basic.sse", "anthropic/stream-tool-use.sse",
        "anthropic/stream-thinking.sse")) {
      Buffer transcript = bytes(sample);
      Buffer crlf = Buffer.buffer(transcript.toString(StandardCharsets.UTF_8).replace("\n", "\r\n"));
      List<JsonObject> whole = timeless(replay(new AnthropicStream(), transcript));
      for (int piece = 1; piece <= 13; piece++) {
        assertThat(timeless(replay(new AnthropicStream(), transcript, piece))).as("%s in %d-byte pieces", sample, piece)
            .isEqualTo(whole);
        assertThat(timeless(replay(new AnthropicStream(), crlf, piece))).as("%s with CRLF in %d-byte pieces", sample,
            piece).isEqualTo(whole);
      }
    }
  }

  @Test
  @DisplayName("an error event is the stream's error, with the status of an overloaded Anthropic (529, retryable)")
  void errorEvent() {
    AnthropicStream stream = new AnthropicStream();
    Buffer transcript = Buffer.buffer(events(
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}"))
        .appendBuffer(bytes("anthropic/stream-error-overloaded.sse"));

    List<JsonObject> chunks = replay(stream, transcript);

    assertThat(joined(chunks, "content")).isEqualTo("Hel");
    UpstreamError error = stream.error();
    assertThat(error.status()).isEqualTo(529);
    assertThat(error.type()).isEqualTo("overloaded_error");
    assertThat(error.message()).isEqualTo("Overloaded");
    assertThat(error.retryable()).isTrue();
    assertThat(stream.completed()).isFalse();
    assertThat(stream.usage()).isEqualTo(new Usage(9, 0, 0, 1, 0));
  }

  @Test
  @DisplayName("thinking, then two tool calls in blocks 1 and 2: they are tool calls 0 and 1")
  void toolCallsAfterThinking() {
    AnthropicStream stream = new AnthropicStream();
    List<JsonObject> chunks = replay(stream, Buffer.buffer(events(
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"model\":\"claude\",\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Two cities.\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_A\",\"name\":\"get_weather\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"Paris\\\"}\"}}",
        "{\"type\":\"content_block_stop\",\"index\":1}",
        "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_B\",\"name\":\"get_weather\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"Rome\\\"}\"}}",
        "{\"type\":\"content_block_stop\",\"index\":2}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":70}}",
        "{\"type\":\"message_stop\"}")));

    List<JsonObject> starts = toolCallDeltas(chunks).stream().filter(c -> c.containsKey("id")).toList();
    assertThat(starts).extracting(c -> c.getInteger("index")).containsExactly(0, 1);
    assertThat(starts).extracting(c -> c.getString("id")).containsExactly("toolu_A", "toolu_B");
    assertThat(new JsonObject(toolArguments(chunks, 0)).getString("location")).isEqualTo("Paris");
    assertThat(new JsonObject(toolArguments(chunks, 1)).getString("location")).isEqualTo("Rome");
    assertThat(joined(chunks, "reasoning_content")).isEqualTo("Two cities.");
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
  }

  @Test
  @DisplayName("cache reads and writes reported at message_start, output at message_delta: each counted once")
  void cacheUsage() {
    AnthropicStream stream = new AnthropicStream();
    List<JsonObject> chunks = replay(stream, Buffer.buffer(events(
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"model\":\"claude\",\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":1200,\"output_tokens\":1}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15,\"cache_read_input_tokens\":null}}",
        "{\"type\":\"message_stop\"}")));

    assertThat(stream.usage()).isEqualTo(new Usage(25, 1200, 300, 15, 0));
    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    assertThat(usage.getLong("prompt_tokens")).isEqualTo(1525);
    assertThat(usage.getJsonObject("prompt_tokens_details").getLong("cached_tokens")).isEqualTo(1200);
    assertThat(finishReasons(chunks)).containsExactly("length");
  }

  @Test
  @DisplayName("pings, content_block_stop and event types Anthropic may add emit nothing")
  void lifecycleEventsEmitNothing() {
    AnthropicStream stream = new AnthropicStream();
    List<JsonObject> chunks = replay(stream, Buffer.buffer(events(
        "{\"type\":\"ping\"}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"some_future_event\",\"payload\":{}}")));

    assertThat(chunks).isEmpty();
    assertThat(stream.completed()).isFalse();
    assertThat(new JsonArray(chunks)).isEmpty();
  }
}
