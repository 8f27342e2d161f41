package gateway.router.provider.dashscope;

import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Reads DashScope's error body {@code {"code", "message", "request_id"}}. The channel's own key refused
 * ({@code InvalidApiKey}, 401; {@code AccessDenied}, 403, including a missing async header or an unopened
 * model) counts against the channel and leaves other routes free; throttling (429) and {@code InternalError}
 * (5xx) are retryable; {@code InvalidParameter} and content inspection ({@code DataInspectionFailed}, 400) are
 * the request's own and go back to the client.
 */
public final class DashScopeErrors {

  private DashScopeErrors() {
  }

  public static UpstreamError read(int status, Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    String code = json != null && json.getValue("code") instanceof String c ? c : null;
    String message = json != null && json.getValue("message") instanceof String m ? m
        : "upstream answered " + status + ": " + Json.quote(body);
    if ("InvalidApiKey".equals(code) || status == 401) {
      return new UpstreamError(401, "authentication_error", code, message, true);
    }
    if (code != null && code.startsWith("Throttling")) {
      return UpstreamError.fromStatus(429, "rate_limit_error", code, message);
    }
    return UpstreamError.fromStatus(status, code != null ? code : "upstream_error", code, message);
  }
}
