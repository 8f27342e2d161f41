package gateway.router.provider.anthropic;

import gateway.common.money.Usage;
import gateway.router.provider.Json;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ChatChunks;
import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An Anthropic Messages stream as OpenAI chunks, chunk for chunk as OpenAI would send them: a
 * role-only first chunk, content and reasoning deltas, tool calls opened with their id and name and
 * continued with argument fragments, a finish chunk, then the usage chunk.
 *
 * <p>Tool calls are numbered in the order they start, apart from Anthropic's content-block
 * index: with text or thinking first, the first tool is block 1 but tool call 0.
 */
final class AnthropicStream implements StreamTranslator {
  private static final int CHOICE = 0;

  /** Content-block index → OpenAI tool-call index, for the blocks that are tool calls. */
  private final Map<Integer, Integer> toolCallOfBlock = new HashMap<>();
  private int nextToolCall;
  private ChatChunks chunks;
  /** Anthropic's own usage object, as {@code message_start} and the (cumulative) {@code message_delta}s report it. */
  private JsonObject usage;
  private String finishReason;
  private boolean finishSent;
  private boolean completed;
  private UpstreamError error;

  @Override
  public void accept(SseEvent event, Consumer<JsonObject> out) {
    JsonObject data = Json.objectOrNull(event.data());
    if (data == null) {
      return;
    }
    switch (data.getString("type", event.type() == null ? "" : event.type())) {
      case "message_start" -> messageStart(data.getJsonObject("message", new JsonObject()), out);
      case "content_block_start" -> blockStart(data, out);
      case "content_block_delta" -> blockDelta(data, out);
      case "message_delta" -> messageDelta(data, out);
      case "message_stop" -> messageStop(out);
      case "error" -> error = AnthropicErrors.inStream(data);
      default -> { } // ping, content_block_stop, and event types Anthropic may add
    }
  }

  @Override
  public boolean completed() {
    return completed;
  }

  @Override
  public Usage usage() {
    return AnthropicUsage.from(usage);
  }

  @Override
  public UpstreamError error() {
    return error;
  }

  private void messageStart(JsonObject message, Consumer<JsonObject> out) {
    chunks = new ChatChunks(message.getString("id", "msg_" + UUID.randomUUID()), message.getString("model"),
        System.currentTimeMillis() / 1000);
    mergeUsage(message.getJsonObject("usage"));
    out.accept(chunks.role(CHOICE));
  }

  private void blockStart(JsonObject event, Consumer<JsonObject> out) {
    JsonObject block = event.getJsonObject("content_block", new JsonObject());
    switch (block.getString("type", "")) {
      case "text" -> text(block.getString("text"), out);
      case "thinking" -> reasoning(block.getString("thinking"), out);
      case "tool_use" -> {
        int toolCall = nextToolCall++;
        toolCallOfBlock.put(event.getInteger("index", -1), toolCall);
        out.accept(chunks().toolCallStart(CHOICE, toolCall, block.getString("id"), block.getString("name")));
        JsonObject input = block.getJsonObject("input");
        if (input != null && !input.isEmpty()) {
          out.accept(chunks().toolCallArguments(CHOICE, toolCall, input.encode()));
        }
      }
      default -> { }
    }
  }

  private void blockDelta(JsonObject event, Consumer<JsonObject> out) {
    JsonObject delta = event.getJsonObject("delta", new JsonObject());
    switch (delta.getString("type", "")) {
      case "text_delta" -> text(delta.getString("text"), out);
      case "thinking_delta" -> reasoning(delta.getString("thinking"), out);
      case "input_json_delta" -> {
        Integer toolCall = toolCallOfBlock.get(event.getInteger("index", -1));
        String fragment = delta.getString("partial_json", "");
        if (toolCall != null && !fragment.isEmpty()) {
          out.accept(chunks().toolCallArguments(CHOICE, toolCall, fragment));
        }
      }
      default -> { } // signature_delta, citations_delta: nothing an OpenAI client shows
    }
  }

  private void messageDelta(JsonObject event, Consumer<JsonObject> out) {
    mergeUsage(event.getJsonObject("usage"));
    String stopReason = event.getJsonObject("delta", new JsonObject()).getString("stop_reason");
    if (stopReason != null) {
      finishReason = AnthropicResponse.finishReason(stopReason);
      sendFinish(out);
    }
  }

  private void messageStop(Consumer<JsonObject> out) {
    sendFinish(out);
    Usage total = usage();
    if (total != null) {
      out.accept(chunks().usage(ChatUsage.toChat(total)));
    }
    completed = true;
  }

  private void sendFinish(Consumer<JsonObject> out) {
    if (!finishSent) {
      finishSent = true;
      out.accept(chunks().finish(CHOICE, finishReason == null ? "stop" : finishReason));
    }
  }

  private void text(String text, Consumer<JsonObject> out) {
    if (text != null && !text.isEmpty()) {
      out.accept(chunks().content(CHOICE, text));
    }
  }

  private void reasoning(String text, Consumer<JsonObject> out) {
    if (text != null && !text.isEmpty()) {
      out.accept(chunks().reasoning(CHOICE, text));
    }
  }

  private void mergeUsage(JsonObject reported) {
    usage = AnthropicUsage.merge(usage, reported);
  }

  /** A stream that skipped its {@code message_start} still gets well-formed chunks. */
  private ChatChunks chunks() {
    if (chunks == null) {
      chunks = new ChatChunks("msg_" + UUID.randomUUID(), null, System.currentTimeMillis() / 1000);
    }
    return chunks;
  }
}
