package gateway.router.provider.gemini;

import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Reads Google's error body {@code {"error": {"code", "message", "status", "details"}}}.
 *
 * <p>Gemini refuses a wrong API key with 400 {@code INVALID_ARGUMENT} (reason
 * {@code API_KEY_INVALID} in the details) and a missing one with 403 {@code PERMISSION_DENIED}.
 * Either is the channel's own credential failing: never the customer's 400, it counts against the
 * channel and leaves other routes free to answer.
 */
public final class GeminiErrors {
  private static final Set<String> KEY_REFUSALS = Set.of("API_KEY_INVALID", "API_KEY_EXPIRED");

  private GeminiErrors() {
  }

  public static UpstreamError read(int status, Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    JsonObject error = json == null ? null : json.getJsonObject("error");
    if (error == null) {
      return classify(status, null, null, "upstream answered " + status + ": " + Json.quote(body));
    }
    return classify(status, error.getString("status"), reason(error),
        error.getString("message", "upstream answered " + status));
  }

  /** An error object sent as a stream event: its {@code code} is the HTTP status it stands for. */
  static UpstreamError inStream(JsonObject error) {
    String message = error.getString("message", "the upstream stream reported an error");
    if (!(error.getValue("code") instanceof Number code)) {
      return UpstreamError.transport(message);
    }
    return classify(code.intValue(), error.getString("status"), reason(error), message);
  }

  private static UpstreamError classify(int status, String statusName, String reason, String message) {
    String code = reason != null ? reason : statusName;
    if ((reason != null && KEY_REFUSALS.contains(reason)) || status == 401) {
      return new UpstreamError(401, "authentication_error", code, message, true);
    }
    if (status == 403) {
      return new UpstreamError(403, "permission_error", code, message, true);
    }
    return UpstreamError.fromStatus(status, statusName != null ? statusName : "upstream_error", code, message);
  }

  /** The {@code reason} of the {@code google.rpc.ErrorInfo} detail, which says more than the status. */
  private static String reason(JsonObject error) {
    if (error.getValue("details") instanceof JsonArray details) {
      for (Object detail : details) {
        if (detail instanceof JsonObject d && d.getValue("reason") instanceof String reason) {
          return reason;
        }
      }
    }
    return null;
  }
}
