package gateway.router.inbound.responses;

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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** OpenAI chat answers, as OpenAI's API reference documents them, written as OpenAI Responses answers. */
class ChatToResponsesTest {
  private static final Priced PRICED = new Priced(new Usage(60, 40, 0, 20, 0), 2_400);
  private static final JsonObject REQUEST = new JsonObject().put("model", "gpt-alias").put("input", "hi")
      .put("instructions", "Be brief.").put("max_output_tokens", 300);

  @Test
  @DisplayName("the documented completion: a completed response with one message item and usage with its cost")
  void documentedCompletion() {
    JsonObject completion = json("openai-chat/completion.json").put("model", "gpt-alias");

    JsonObject response = ChatToResponsesResponse.from(completion, REQUEST, PRICED);

    assertThat(response.getString("id")).startsWith("resp_");
    assertThat(response.getString("object")).isEqualTo("response");
    assertThat(response.getString("status")).isEqualTo("completed");
    assertThat(response.getString("model")).isEqualTo("gpt-alias");
    assertThat(response.getString("instructions")).isEqualTo("Be brief.");
    assertThat(response.getInteger("max_output_tokens")).isEqualTo(300);
    JsonObject message = response.getJsonArray("output").getJsonObject(0);
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("id")).startsWith("msg_");
    assertThat(message.getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("\n\nHello there, how may I assist you today?");
    JsonObject usage = response.getJsonObject("usage");
    assertThat(usage.getLong("input_tokens")).isEqualTo(100);
    assertThat(usage.getJsonObject("input_tokens_details").getLong("cached_tokens")).isEqualTo(40);
    assertThat(usage.getLong("output_tokens")).isEqualTo(20);
    assertThat(usage.getLong("total_tokens")).isEqualTo(120);
    assertThat(new BigDecimal(usage.getValue("cost").toString())).isEqualByComparingTo("0.0024");
  }

  @Test
  @DisplayName("a length finish is an incomplete response naming max_output_tokens")
  void lengthIsIncomplete() {
    JsonObject completion = json("openai-chat/completion.json");
    completion.getJsonArray("choices").getJsonObject(0).put("finish_reason", "length");

    JsonObject response = ChatToResponsesResponse.from(completion, REQUEST, PRICED);

    assertThat(response.getString("status")).isEqualTo("incomplete");
    assertThat(response.getJsonObject("incomplete_details")).isEqualTo(new JsonObject().put("reason", "max_output_tokens"));
  }

  @Test
  @DisplayName("the documented chunk stream: created, in_progress, the message item's events, completed; numbered from 0")
  void documentedTextStream() {
    List<SseEvent> events = write(bytes("openai-chat/stream-basic.sse"), writer -> writer.complete(PRICED, null));

    assertThat(events).extracting(SseEvent::type).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(data(events.get(i)).getInteger("sequence_number")).isEqualTo(i);
      assertThat(data(events.get(i)).getString("type")).isEqualTo(events.get(i).type());
    }
    assertThat(data(events.get(4)).getString("delta")).isEqualTo("Hello");
    JsonObject completed = data(events.get(8)).getJsonObject("response");
    assertThat(completed.getString("status")).isEqualTo("completed");
    assertThat(completed.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getString("text")).isEqualTo("Hello");
    assertThat(completed.getJsonObject("usage").getValue("cost")).isNotNull();
    assertThat(data(events.get(0)).getJsonObject("response").getString("id")).isEqualTo(completed.getString("id"));
  }

  @Test
  @DisplayName("the function calling guide's tool-call stream: a function_call item, its argument deltas, its done events")
  void documentedToolCallStream() {
    List<SseEvent> events = write(bytes("openai-chat/stream-tool-call.sse"), writer -> writer.complete(PRICED, null));

    JsonObject added = data(events.get(2));
    assertThat(added.getString("type")).isEqualTo("response.output_item.added");
    assertThat(added.getJsonObject("item").getString("type")).isEqualTo("function_call");
    assertThat(added.getJsonObject("item").getString("call_id")).isEqualTo("call_DdmO9pD3xa9XTPNJ32zg2hcA");
    assertThat(added.getJsonObject("item").getString("name")).isEqualTo("get_weather");
    String arguments = events.stream().map(ChatToResponsesTest::data)
        .filter(e -> "response.function_call_arguments.delta".equals(e.getString("type")))
        .map(e -> e.getString("delta")).collect(Collectors.joining());
    assertThat(new JsonObject(arguments)).isEqualTo(new JsonObject().put("location", "Paris, France"));
    JsonArray output = data(events.get(events.size() - 1)).getJsonObject("response").getJsonArray("output");
    assertThat(output.getJsonObject(0).getString("arguments")).isEqualTo("{\"location\":\"Paris, France\"}");
    assertThat(output.getJsonObject(0).getString("status")).isEqualTo("completed");
  }

  @Test
  @DisplayName("a provider failing mid-stream: response.failed last, with the reason, and no response.completed")
  void failureEndsWithResponseFailed() {
    List<SseEvent> events = write(bytes("openai-chat/stream-basic.sse"),
        writer -> writer.fail(UpstreamError.transport("connection reset")));

    SseEvent last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo("response.failed");
    JsonObject response = data(last).getJsonObject("response");
    assertThat(response.getString("status")).isEqualTo("failed");
    assertThat(response.getJsonObject("error").getString("code")).isEqualTo("server_error");
    assertThat(response.getJsonObject("error").getString("message")).contains("connection reset");
    assertThat(events).extracting(SseEvent::type).doesNotContain("response.completed");
  }

  private static List<SseEvent> write(Buffer chatStream, Consumer<ChunkWriter> end) {
    RecordingResponse out = new RecordingResponse();
    ChunkWriter writer = new ChatToResponsesStream(out.response(), REQUEST, "gpt-alias");
    writer.begin();
    WireSamples.replay(new OpenAiAdapter().streamTranslator(), chatStream).forEach(writer::chunk);
    end.accept(writer);
    assertThat(out.ended()).isTrue();
    return out.events();
  }

  private static JsonObject data(SseEvent event) {
    return new JsonObject(event.data());
  }
}
