package gateway.router.inbound.responses;

import gateway.router.provider.Json;
import gateway.router.exchange.ChunkWriter;
import gateway.router.inbound.chat.OpenAiChunkWriter;
import gateway.router.exchange.Priced;
import gateway.router.inbound.SseFrames;
import gateway.router.provider.UpstreamError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI chat chunks written as an OpenAI Responses event stream: {@code response.created} and
 * {@code response.in_progress} when the answer begins; a message item ({@code output_item.added},
 * {@code content_part.added}, {@code output_text.delta}s, then the matching {@code .done} events)
 * per run of text; a {@code function_call} item ({@code function_call_arguments.delta}s) per tool
 * call; and {@code response.completed} (or {@code response.incomplete}) with the usage and its
 * {@code cost}. Every event has its {@code sequence_number}. A provider failing after content ends
 * the stream with {@code response.failed}, as OpenAI ends a failed response, and no completion.
 */
final class ChatToResponsesStream implements ChunkWriter {
  private static final int CHOICE = 0;

  private final HttpServerResponse out;
  private final JsonObject request;
  private final String alias;
  private final String responseId = ResponseObjects.id("resp_");
  private final long createdAt = System.currentTimeMillis() / 1000;
  private final JsonArray output = new JsonArray();
  /** Chat tool-call index → its open function call item. */
  private final Map<Integer, OpenItem> toolItems = new HashMap<>();
  private OpenItem open;
  private Object finishReason;
  private int sequence;

  /** The item being written: a message (text) or a function call (arguments). */
  private static final class OpenItem {
    final int outputIndex;
    final JsonObject item;
    final StringBuilder text = new StringBuilder();

    OpenItem(int outputIndex, JsonObject item) {
      this.outputIndex = outputIndex;
      this.item = item;
    }

    boolean isMessage() {
      return "message".equals(Json.string(item, "type", null));
    }
  }

  ChatToResponsesStream(HttpServerResponse out, JsonObject request, String alias) {
    this.out = out;
    this.request = request;
    this.alias = alias;
  }

  @Override
  public void begin() {
    OpenAiChunkWriter.beginEventStream(out);
    write("response.created", new JsonObject().put("response", response("in_progress")));
    write("response.in_progress", new JsonObject().put("response", response("in_progress")));
  }

  @Override
  public void chunk(JsonObject chunk) {
    for (Object item : Json.array(chunk, "choices")) {
      if (!(item instanceof JsonObject choice) || Json.intAt(choice, "index", 0) != CHOICE) {
        continue;
      }
      JsonObject delta = Json.object(choice, "delta");
      text(delta.getValue("content"));
      text(delta.getValue("refusal"));
      for (Object call : Json.array(delta, "tool_calls")) {
        if (call instanceof JsonObject toolCall) {
          toolCall(toolCall);
        }
      }
      if (choice.getValue("finish_reason") != null) {
        finishReason = choice.getValue("finish_reason");
      }
    }
  }

  @Override
  public void complete(Priced priced, JsonObject upstreamUsage) {
    closeOpenItem();
    JsonObject response = ResponseObjects.finish(response("completed").put("output", output.copy()), finishReason,
        priced);
    write("completed".equals(Json.string(response, "status", null)) ? "response.completed" : "response.incomplete",
        new JsonObject().put("response", response));
    out.end();
  }

  @Override
  public void fail(UpstreamError error) {
    write("response.failed", new JsonObject().put("response", ResponsesProtocol.failed(
        response("failed").put("output", output.copy()), error)));
    out.end();
  }

  private void text(Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return;
    }
    if (open == null || !open.isMessage()) {
      closeOpenItem();
      open = new OpenItem(output.size(), ResponseObjects.message(ResponseObjects.id("msg_"), "in_progress", null));
      output.add(open.item);
      write("response.output_item.added", itemEvent(open, open.item.copy()));
      write("response.content_part.added", partEvent(open).put("part", ResponseObjects.outputText("")));
    }
    open.text.append(text);
    write("response.output_text.delta", partEvent(open).put("delta", text).put("logprobs", new JsonArray()));
  }

  private void toolCall(JsonObject call) {
    int index = Json.intAt(call, "index", 0);
    OpenItem item = toolItems.get(index);
    JsonObject function = Json.object(call, "function");
    if (item == null) {
      closeOpenItem();
      item = new OpenItem(output.size(), ResponseObjects.functionCall(ResponseObjects.id("fc_"), "in_progress",
          Json.string(call, "id", null), Json.string(function, "name", null), ""));
      open = item;
      toolItems.put(index, item);
      output.add(item.item);
      write("response.output_item.added", itemEvent(item, item.item.copy()));
    }
    String fragment = Json.string(function, "arguments", "");
    if (!fragment.isEmpty() && item == open) {
      item.text.append(fragment);
      write("response.function_call_arguments.delta", new JsonObject().put("item_id", Json.string(item.item, "id", null))
          .put("output_index", item.outputIndex).put("delta", fragment));
    }
  }

  /** Ends the open item with its {@code .done} events; its final form replaces it in the output. */
  private void closeOpenItem() {
    if (open == null) {
      return;
    }
    String text = open.text.toString();
    if (open.isMessage()) {
      write("response.output_text.done", partEvent(open).put("text", text).put("logprobs", new JsonArray()));
      write("response.content_part.done", partEvent(open).put("part", ResponseObjects.outputText(text)));
      open.item.put("status", "completed").put("content", new JsonArray().add(ResponseObjects.outputText(text)));
    } else {
      write("response.function_call_arguments.done", new JsonObject().put("item_id", Json.string(open.item, "id", null))
          .put("output_index", open.outputIndex).put("name", Json.string(open.item, "name", null)).put("arguments", text));
      open.item.put("status", "completed").put("arguments", text);
    }
    write("response.output_item.done", itemEvent(open, open.item.copy()));
    open = null;
  }

  private JsonObject response(String status) {
    return ResponseObjects.response(request, responseId, createdAt, alias, status);
  }

  private static JsonObject itemEvent(OpenItem item, JsonObject snapshot) {
    return new JsonObject().put("output_index", item.outputIndex).put("item", snapshot);
  }

  private static JsonObject partEvent(OpenItem item) {
    return new JsonObject().put("item_id", Json.string(item.item, "id", null)).put("output_index", item.outputIndex)
        .put("content_index", 0);
  }

  private void write(String type, JsonObject fields) {
    JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
    fields.forEach(f -> event.put(f.getKey(), f.getValue()));
    out.write(SseFrames.event(type, event));
  }
}
