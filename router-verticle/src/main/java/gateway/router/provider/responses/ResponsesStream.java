package gateway.router.provider.responses;

import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.provider.chatshape.ChatChunks;
import gateway.common.money.Usage;
import gateway.router.provider.Json;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * An OpenAI Responses event stream as OpenAI chat chunks: {@code response.created} opens with the
 * role-only chunk, text, refusal and reasoning deltas become chunk deltas, a {@code function_call}
 * item opens a tool call (its {@code call_id} and name) continued by its argument deltas, and
 * {@code response.completed} (or {@code .incomplete}) ends with the finish and usage chunks.
 * {@code response.failed} and {@code error} events are the provider's in-stream errors.
 *
 * <p>Tool calls are numbered in the order their items start, apart from the output index: with a
 * message or reasoning item first, the first call is output item 1 but tool call 0.
 */
final class ResponsesStream implements StreamTranslator {
  private static final int CHOICE = 0;

  /** Function call item id → chat tool-call index. */
  private final Map<String, Integer> toolCallOfItem = new HashMap<>();
  private ChatChunks chunks;
  private boolean madeToolCalls;
  private Usage usage;
  private boolean completed;
  private UpstreamError error;

  @Override
  public void accept(SseEvent event, Consumer<JsonObject> out) {
    JsonObject data = Json.objectOrNull(event.data());
    if (data == null) {
      return;
    }
    switch (data.getString("type", event.type() == null ? "" : event.type())) {
      case "response.created" -> created(data.getJsonObject("response", new JsonObject()), out);
      case "response.output_text.delta" -> text(data, out, chunks()::content);
      case "response.refusal.delta" -> text(data, out, chunks()::refusal);
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" ->
          text(data, out, chunks()::reasoning);
      case "response.output_item.added" -> itemAdded(data.getJsonObject("item", new JsonObject()), out);
      case "response.function_call_arguments.delta" -> arguments(data, out);
      case "response.output_item.done" -> itemDone(data.getJsonObject("item", new JsonObject()), out);
      case "response.completed", "response.incomplete" -> finished(data.getJsonObject("response", new JsonObject()), out);
      case "response.failed" -> error = failure(data.getJsonObject("response", new JsonObject())
          .getJsonObject("error", new JsonObject()));
      case "error" -> error = failure(data);
      default -> { } // lifecycle events, done events, server-side tool progress
    }
  }

  @Override
  public boolean completed() {
    return completed;
  }

  @Override
  public Usage usage() {
    return usage;
  }

  @Override
  public UpstreamError error() {
    return error;
  }

  private void created(JsonObject response, Consumer<JsonObject> out) {
    long created = response.getValue("created_at") instanceof Number n ? n.longValue() : System.currentTimeMillis() / 1000;
    chunks = new ChatChunks(response.getString("id", "resp_" + UUID.randomUUID()), response.getString("model"), created);
    out.accept(chunks.role(CHOICE));
  }

  private static void text(JsonObject event, Consumer<JsonObject> out, BiFunction<Integer, String, JsonObject> chunk) {
    String delta = event.getString("delta", "");
    if (!delta.isEmpty()) {
      out.accept(chunk.apply(CHOICE, delta));
    }
  }

  private void itemAdded(JsonObject item, Consumer<JsonObject> out) {
    if (!"function_call".equals(item.getString("type")) || toolCallOfItem.containsKey(itemKey(item))) {
      return;
    }
    int toolCall = toolCallOfItem.size();
    toolCallOfItem.put(itemKey(item), toolCall);
    madeToolCalls = true;
    out.accept(chunks().toolCallStart(CHOICE, toolCall, item.getString("call_id"), item.getString("name")));
    String arguments = item.getString("arguments", "");
    if (!arguments.isEmpty()) {
      out.accept(chunks().toolCallArguments(CHOICE, toolCall, arguments));
    }
  }

  private void arguments(JsonObject event, Consumer<JsonObject> out) {
    Integer toolCall = toolCallOfItem.get(event.getString("item_id", ""));
    String delta = event.getString("delta", "");
    if (toolCall != null && !delta.isEmpty()) {
      out.accept(chunks().toolCallArguments(CHOICE, toolCall, delta));
    }
  }

  /** A function call that arrives whole, without an {@code added} event of its own, still opens a tool call. */
  private void itemDone(JsonObject item, Consumer<JsonObject> out) {
    if ("function_call".equals(item.getString("type")) && !toolCallOfItem.containsKey(itemKey(item))) {
      itemAdded(item, out);
    }
  }

  private void finished(JsonObject response, Consumer<JsonObject> out) {
    out.accept(chunks().finish(CHOICE, ResponsesResponse.finishReason(response, madeToolCalls)));
    usage = ResponsesUsage.from(response.getJsonObject("usage"));
    if (usage != null) {
      out.accept(chunks().usage(ChatUsage.toChat(usage)));
    }
    completed = true;
  }

  private static String itemKey(JsonObject item) {
    return item.getString("id", item.getString("call_id", ""));
  }

  private static UpstreamError failure(JsonObject error) {
    String message = error.getString("message", "the upstream stream reported an error");
    Object code = error.getValue("code");
    return UpstreamError.transport(code == null ? message : code + ": " + message);
  }

  /** A stream that skipped its {@code response.created} still gets well-formed chunks. */
  private ChatChunks chunks() {
    if (chunks == null) {
      chunks = new ChatChunks("resp_" + UUID.randomUUID(), null, System.currentTimeMillis() / 1000);
    }
    return chunks;
  }
}
