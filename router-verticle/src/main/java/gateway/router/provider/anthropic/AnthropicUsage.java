package gateway.router.provider.anthropic;

import static gateway.router.provider.Json.longAt;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic usage to the normalized {@link Usage}. Unlike OpenAI and Gemini, Anthropic's
 * {@code input_tokens} excludes the cache reads and writes, which it reports beside it: the three
 * are three separate buckets, each counted once.
 */
final class AnthropicUsage {
  private AnthropicUsage() {
  }

  /** Null when there is no usage object, as in streams that report none. */
  static Usage from(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    return new Usage(
        longAt(usage, "input_tokens"),
        longAt(usage, "cache_read_input_tokens"),
        longAt(usage, "cache_creation_input_tokens"),
        longAt(usage, "output_tokens"),
        0);
  }
}
