package gateway.router.provider;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * A whole answer in the OpenAI {@code chat.completion} shape, and its normalized usage
 * (null when the provider reported none).
 */
public record Completion(JsonObject body, Usage usage) {
}
