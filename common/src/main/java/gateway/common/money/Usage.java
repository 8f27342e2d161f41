package gateway.common.money;

import io.vertx.core.json.JsonObject;

/**
 * Token usage normalized across providers, each token counted in exactly one bucket:
 * uncached input, cache read, cache write, output. Reasoning tokens are part of output
 * and kept apart only for reporting.
 *
 * <p>OpenAI and Gemini prompt counts include cached tokens; Anthropic's {@code input_tokens}
 * excludes cache reads and writes. Adapters translate into this shape before anything prices it.
 */
public record Usage(long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens,
                    long reasoningTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0);

  public Usage {
    if (inputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || outputTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  /** All prompt tokens, cached or not: OpenAI's {@code prompt_tokens}. */
  public long promptTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  public long totalTokens() {
    return promptTokens() + outputTokens;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("input_tokens", inputTokens)
        .put("cache_read_tokens", cacheReadTokens)
        .put("cache_write_tokens", cacheWriteTokens)
        .put("output_tokens", outputTokens)
        .put("reasoning_tokens", reasoningTokens);
  }

  public static Usage fromJson(JsonObject json) {
    if (json == null) {
      return ZERO;
    }
    return new Usage(
        json.getLong("input_tokens", 0L),
        json.getLong("cache_read_tokens", 0L),
        json.getLong("cache_write_tokens", 0L),
        json.getLong("output_tokens", 0L),
        json.getLong("reasoning_tokens", 0L));
  }
}
