package gateway.router.provider.anthropic;

import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Reads Anthropic's error body {@code {"type": "error", "error": {"type", "message"}}}, answered
 * with an HTTP status or sent inside a stream as {@code event: error}.
 */
final class AnthropicErrors {

  /** Anthropic error types → the HTTP status each stands for (a stream's error has no status of its own). */
  private static final Map<String, Integer> STATUS_OF_TYPE = Map.of(
      "invalid_request_error", 400,
      "authentication_error", 401,
      "billing_error", 402,
      "permission_error", 403,
      "not_found_error", 404,
      "request_too_large", 413,
      "rate_limit_error", 429,
      "api_error", 500,
      "timeout_error", 504,
      "overloaded_error", 529);

  /**
   * Refusals of the channel's own key or account: no fault of the customer, so never shown as
   * their 4xx; another route may well succeed.
   */
  private static final Set<Integer> CHANNEL_REFUSALS = Set.of(401, 402, 403);

  private AnthropicErrors() {
  }

  static UpstreamError read(int status, Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    JsonObject error = json == null ? null : json.getJsonObject("error");
    if (error == null) {
      return classify(status, "upstream_error", "upstream answered " + status + ": " + Json.quote(body));
    }
    return classify(status, error.getString("type", "upstream_error"),
        error.getString("message", "upstream answered " + status));
  }

  /** The data of an {@code event: error}: its type says what HTTP status it would have been. */
  static UpstreamError inStream(JsonObject event) {
    JsonObject error = event.getJsonObject("error", new JsonObject());
    String type = error.getString("type");
    String message = error.getString("message", "the upstream stream reported an error");
    Integer status = type == null ? null : STATUS_OF_TYPE.get(type);
    return status == null ? UpstreamError.transport(message) : classify(status, type, message);
  }

  private static UpstreamError classify(int status, String type, String message) {
    if (CHANNEL_REFUSALS.contains(status)) {
      return new UpstreamError(status, type, type, message, true);
    }
    return UpstreamError.fromStatus(status, type, type, message);
  }
}
