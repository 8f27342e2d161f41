package gateway.router.inbound.messages;

import static gateway.router.provider.WireSamples.bytes;
import static gateway.router.provider.WireSamples.json;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import gateway.router.exchange.ChunkWriter;
import gateway.router.exchange.Priced;
import gateway.router.inbound.RecordingResponse;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import gateway.router.provider.openai.OpenAiAdapter;
import gateway.router.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI chat answers, as OpenAI's API reference documents them, written as Anthropic Messages answers. */
class ChatToMessagesTest {
  /** 60 uncached, 40 cached and 20 output tokens, costing 2,400 µcr. */
  private static final Priced PRICED = new Priced(new Usage(60, 40, 0, 20, 0), 2_400);

  @Test
  @DisplayName("the documented completion: one text block, end_turn, Anthropic's usage buckets with the cost")
  void documentedCompletion() {
    JsonObject completion = json("openai-chat/completion.json").put("model", "claude-alias");

    JsonObject message = ChatToMessagesResponse.from(completion, PRICED);

    assertThat(message.getString("id")).isEqualTo("msg_123");
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("role")).isEqualTo("assistant");
    assertThat(message.getString("model")).isEqualTo("claude-alias");
    assertThat(message.getJsonArray("content")).containsExactly(new JsonObject().put("type", "text")
        .put("text", "\n\nHello there, how may I assist you today?"));
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    assertThat(message.containsKey("stop_sequence")).isTrue();
    assertThat(message.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 60L)
        .put("cache_creation_input_tokens", 0L).put("cache_read_input_tokens", 40L).put("output_tokens", 20L)
        .put("cost", new BigDecimal("0.0024")));
  }

  @Test
  @DisplayName("finish reasons map to stop reasons; tool calls become tool_use blocks with their arguments as input")
  void finishReasonsAndToolCalls() {
    assertThat(ChatToMessagesResponse.stopReason("length")).isEqualTo("max_tokens");
    assertThat(ChatToMessagesResponse.stopReason("tool_calls")).isEqualTo("tool_use");
    assertThat(ChatToMessagesResponse.stopReason("content_filter")).isEqualTo("refusal");
    assertThat(ChatToMessagesResponse.stopReason(null)).isEqualTo("end_turn");
    JsonObject completion = json("openai-chat/completion.json");
    completion.getJsonArray("choices").getJsonObject(0).put("finish_reason", "tool_calls")
        .put("message", new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_DdmO9pD3xa9XTPNJ32zg2hcA").put("type", "function")
                .put("function", new JsonObject().put("name", "get_weather")
                    .put("arguments", "{\"location\":\"Paris, France\"}")))));

    JsonObject message = ChatToMessagesResponse.from(completion, PRICED);

    assertThat(message.getJsonArray("content")).containsExactly(new JsonObject().put("type", "tool_use")
        .put("id", "call_DdmO9pD3xa9XTPNJ32zg2hcA").put("name", "get_weather")
        .put("input", new JsonObject().put("location", "Paris, France")));
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  @DisplayName("the documented chunk stream: message_start, a text block, message_delta with usage and cost, message_stop")
  void documentedTextStream() {
    List<SseEvent> events = write(bytes("openai-chat/stream-basic.sse").toString(), writer -> writer.complete(PRICED, null));

    assertThat(events).extracting(SseEvent::type).containsExactly("message_start", "content_block_start",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    JsonObject start = data(events.get(0)).getJsonObject("message");
    assertThat(start.getString("model")).isEqualTo("claude-alias");
    assertThat(start.getJsonArray("content")).isEmpty();
    assertThat(data(events.get(2))).isEqualTo(new JsonObject().put("type", "content_block_delta").put("index", 0)
        .put("delta", new JsonObject().put("type", "text_delta").put("text", "Hello")));
    JsonObject delta = data(events.get(4));
    assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("end_turn");
    assertThat(delta.getJsonObject("usage").getLong("input_tokens")).isEqualTo(60);
    assertThat(delta.getJsonObject("usage").getLong("cache_read_input_tokens")).isEqualTo(40);
    assertThat(new BigDecimal(delta.getJsonObject("usage").getValue("cost").toString())).isEqualByComparingTo("0.0024");
  }

  @Test
  @DisplayName("the function calling guide's tool-call stream: one tool_use block opened with id and name, then input_json_delta fragments")
  void documentedToolCallStream() {
    List<SseEvent> events = write(bytes("openai-chat/stream-tool-call.sse").toString(),
        writer -> writer.complete(PRICED, null));

    JsonObject start = data(events.get(1));
    assertThat(start.getJsonObject("content_block")).isEqualTo(new JsonObject().put("type", "tool_use")
        .put("id", "call_DdmO9pD3xa9XTPNJ32zg2hcA").put("name", "get_weather").put("input", new JsonObject()));
    String input = events.stream().map(ChatToMessagesTest::data)
        .filter(e -> "content_block_delta".equals(e.getString("type")))
        .map(e -> e.getJsonObject("delta").getString("partial_json")).collect(Collectors.joining());
    assertThat(new JsonObject(input)).isEqualTo(new JsonObject().put("location", "Paris, France"));
    assertThat(data(events.get(events.size() - 2)).getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  @DisplayName("a provider failing mid-stream: Anthropic's error event last, no message_stop")
  void failureEndsWithAnErrorEvent() {
    List<SseEvent> events = write(bytes("openai-chat/stream-basic.sse").toString(),
        writer -> writer.fail(new UpstreamError(529, "overloaded_error", "overloaded_error", "Overloaded", true)));

    SseEvent last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo("error");
    assertThat(data(last).getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
    assertThat(events).extracting(SseEvent::type).doesNotContain("message_stop");
  }

  @Test
  @DisplayName("message_start carries the gateway's prompt count; events wait for it, in order, and the end with them")
  void messageStartCarriesThePromptCount() {
    RecordingResponse out = new RecordingResponse();
    Promise<Long> count = Promise.promise();
    ChunkWriter writer = new ChatToMessagesStream(out.response(), "claude-alias", count.future());
    writer.begin();
    WireSamples.replay(new OpenAiAdapter().streamTranslator(), bytes("openai-chat/stream-basic.sse"))
        .forEach(writer::chunk);
    writer.complete(new Priced(new Usage(900, 0, 0, 12, 0), 1234), null);
    assertThat(out.body()).isEmpty();
    assertThat(out.ended()).isFalse();

    count.complete(317L);

    List<SseEvent> events = out.events();
    assertThat(events.get(0).type()).isEqualTo("message_start");
    assertThat(data(events.get(0)).getJsonObject("message").getJsonObject("usage").getLong("input_tokens"))
        .isEqualTo(317);
    SseEvent delta = events.get(events.size() - 2);
    assertThat(delta.type()).isEqualTo("message_delta");
    assertThat(data(delta).getJsonObject("usage").getLong("input_tokens")).isEqualTo(900);
    assertThat(events.get(events.size() - 1).type()).isEqualTo("message_stop");
    assertThat(events).extracting(SseEvent::type).filteredOn("message_start"::equals).hasSize(1);
    assertThat(out.ended()).isTrue();
  }

  /** Replays chat chunks through the OpenAI chat translator into the Messages writer, then ends it. */
  private static List<SseEvent> write(String chatStream, java.util.function.Consumer<ChunkWriter> end) {
    RecordingResponse out = new RecordingResponse();
    ChunkWriter writer = new ChatToMessagesStream(out.response(), "claude-alias", Future.succeededFuture(42L));
    writer.begin();
    WireSamples.replay(new OpenAiAdapter().streamTranslator(), io.vertx.core.buffer.Buffer.buffer(chatStream))
        .forEach(writer::chunk);
    end.accept(writer);
    assertThat(out.ended()).isTrue();
    return out.events();
  }

  private static JsonObject data(SseEvent event) {
    return new JsonObject(event.data());
  }
}
