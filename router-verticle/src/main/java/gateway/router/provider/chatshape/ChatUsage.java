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
    long prompt = longAt(usage, "prompt_tokens");
    long cached = longAt(usage.getJsonObject("prompt_tokens_details"), "cached_tokens");
    if (cached == 0) {
      cached = longAt(usage, "prompt_cache_hit_tokens");
    }
    cached = Math.min(cached, prompt);
    long completion = longAt(usage, "completion_tokens");
    long reasoning = longAt(usage.getJsonObject("completion_tokens_details"), "reasoning_tokens");
    return new Usage(prompt - cached, cached, 0, completion, Math.min(reasoning, completion));
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
