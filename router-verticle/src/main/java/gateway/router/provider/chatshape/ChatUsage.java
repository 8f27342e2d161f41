package gateway.router.provider.chatshape;

import static gateway.router.provider.Json.longAt;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI usage to and from the normalized {@link Usage}. OpenAI's {@code prompt_tokens}
 * include the cached ones ({@code prompt_tokens_details.cached_tokens}); its
 * {@code completion_tokens} include reasoning tokens. DeepSeek-style hosts report
 * {@code prompt_cache_hit_tokens} instead.
 */
public final class ChatUsage {
  private ChatUsage() {
  }

  /** Null when the object is absent or null, as in every stream chunk but the last. */
  public static Usage fromChat(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    return of(longAt(usage, "prompt_tokens"), longAt(usage.getJsonObject("prompt_tokens_details"), "cached_tokens"),
        longAt(usage, "prompt_cache_hit_tokens"), longAt(usage, "completion_tokens"),
        longAt(usage.getJsonObject("completion_tokens_details"), "reasoning_tokens"));
  }

  /** The usage of OpenAI's counts, each 0 when absent: {@code cacheHits} is DeepSeek's, read when {@code cached} is 0. */
  static Usage of(long prompt, long cached, long cacheHits, long completion, long reasoning) {
    long cachedTokens = Math.min(cached == 0 ? cacheHits : cached, prompt);
    return new Usage(prompt - cachedTokens, cachedTokens, 0, completion, Math.min(reasoning, completion));
  }

  /** The OpenAI chat shape of a usage, for answers whose provider spoke another protocol or none. */
  public static JsonObject toChat(Usage usage) {
    return new JsonObject()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.outputTokens())
        .put("total_tokens", usage.totalTokens())
        .put("prompt_tokens_details", new JsonObject()
            .put("cached_tokens", usage.cacheReadTokens())
            .put("cache_write_tokens", usage.cacheWriteTokens()))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()));
  }
}
