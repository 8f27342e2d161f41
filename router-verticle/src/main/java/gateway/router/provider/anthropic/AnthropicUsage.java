package gateway.router.provider.anthropic;

import static gateway.router.provider.Json.longAt;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic usage to the normalized {@link Usage}. Unlike OpenAI and Gemini, Anthropic's
 * {@code input_tokens} excludes the cache reads and writes, which it reports beside it: the three
 * are three separate buckets, each counted once.
 */
public final class AnthropicUsage {
  private AnthropicUsage() {
  }

  /** Null when there is no usage object, as in streams that report none. */
  public static Usage from(JsonObject usage) {
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

  /** The Anthropic shape of a usage, for answers whose provider spoke another format. */
  public static JsonObject toAnthropic(Usage usage) {
    return new JsonObject()
        .put("input_tokens", usage.inputTokens())
        .put("cache_creation_input_tokens", usage.cacheWriteTokens())
        .put("cache_read_input_tokens", usage.cacheReadTokens())
        .put("output_tokens", usage.outputTokens());
  }

  /**
   * Folds a newly reported usage object into the one so far: counts in a later event replace
   * earlier ones, since Anthropic reports them cumulatively; nulls replace nothing.
   */
  static JsonObject merge(JsonObject sofar, JsonObject reported) {
    if (reported == null) {
      return sofar;
    }
    JsonObject merged = sofar == null ? new JsonObject() : sofar;
    reported.forEach(field -> {
      if (field.getValue() instanceof Number count) {
        merged.put(field.getKey(), count);
      }
    });
    return merged;
  }
}
