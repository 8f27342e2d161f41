package gateway.router.provider.responses;

import static gateway.router.provider.Json.longAt;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * OpenAI Responses usage to and from the normalized {@link Usage}. Like chat's, its
 * {@code input_tokens} include the cached ones ({@code input_tokens_details.cached_tokens}) and its
 * {@code output_tokens} include reasoning ({@code output_tokens_details.reasoning_tokens}).
 */
public final class ResponsesUsage {
  private ResponsesUsage() {
  }

  /** Null when the object is absent or null, as on every event before the last. */
  public static Usage from(JsonObject usage) {
    if (usage == null) {
      return null;
    }
    long input = longAt(usage, "input_tokens");
    long cached = Math.min(longAt(usage.getJsonObject("input_tokens_details"), "cached_tokens"), input);
    long output = longAt(usage, "output_tokens");
    long reasoning = Math.min(longAt(usage.getJsonObject("output_tokens_details"), "reasoning_tokens"), output);
    return new Usage(input - cached, cached, 0, output, reasoning);
  }

  /** The Responses shape of a usage, for answers whose provider spoke another format. */
  public static JsonObject toResponses(Usage usage) {
    return new JsonObject()
        .put("input_tokens", usage.promptTokens())
        .put("input_tokens_details", new JsonObject().put("cached_tokens", usage.cacheReadTokens()))
        .put("output_tokens", usage.outputTokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()))
        .put("total_tokens", usage.totalTokens());
  }
}
