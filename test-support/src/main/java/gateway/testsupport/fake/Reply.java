package gateway.testsupport.fake;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A {@link Behavior} resolved against one request: the text, tool calls, finish reason (OpenAI vocabulary) and the
 * provider-neutral token totals the wire writers render.
 */
final class Reply {

  final String model;
  final JsonObject request;
  final String text;
  final List<Behavior.ToolCall> toolCalls;
  final String finishReason;
  final boolean explicitFinishReason;
  final boolean usage;
  final long promptTokens;
  final long completionTokens;
  final long cacheReadTokens;
  final long cacheWriteTokens;
  final long reasoningTokens;
  private final int chunks;

  Reply(Behavior behavior, String model, JsonObject request, long promptChars) {
    this.model = model;
    this.request = request;
    this.text = behavior.text;
    this.toolCalls = behavior.toolCalls;
    this.explicitFinishReason = behavior.finishReason != null;
    this.finishReason = explicitFinishReason ? behavior.finishReason : toolCalls.isEmpty() ? "stop" : "tool_calls";
    this.usage = !behavior.omitUsage;
    this.chunks = behavior.chunks;
    this.cacheReadTokens = behavior.cacheReadTokens;
    this.cacheWriteTokens = behavior.cacheWriteTokens;
    this.reasoningTokens = behavior.reasoningTokens;
    this.promptTokens = behavior.promptTokens != null ? behavior.promptTokens : Math.max(1, promptChars / 4);
    this.completionTokens = behavior.completionTokens != null
        ? behavior.completionTokens
        : Math.max(1, Deltas.wordCount(text) + toolCallTokens()) + reasoningTokens;
  }

  private long toolCallTokens() {
    long tokens = 0;
    for (Behavior.ToolCall call : toolCalls) {
      tokens += (call.name().length() + call.argumentsJson().length() + 3) / 4;
    }
    return tokens;
  }

  /** The text as the stream's deltas: {@code chunks(n)} pieces, else one per word. Empty for empty text. */
  List<String> textDeltas() {
    return chunks > 0 ? Deltas.even(text, chunks) : Deltas.words(text);
  }

  boolean hasText() {
    return !text.isEmpty();
  }

  long totalTokens() {
    return promptTokens + completionTokens;
  }
}
