package gateway.router.provider.openai;

import gateway.router.provider.Json;
import gateway.router.provider.UpstreamError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Reads OpenAI's error body {@code {"error": {"message", "type", "code", "param"}}}. */
public final class OpenAiErrors {
  private OpenAiErrors() {
  }

  public static UpstreamError read(int status, Buffer body) {
    JsonObject json = Json.objectOrNull(body);
    JsonObject error = json == null ? null : json.getJsonObject("error");
    if (error == null) {
      return UpstreamError.fromStatus(status, "upstream_error", null,
          "upstream answered " + status + ": " + Json.quote(body));
    }
    Object code = error.getValue("code");
    return UpstreamError.fromStatus(status, error.getString("type", "upstream_error"),
        code == null ? null : String.valueOf(code), error.getString("message", "upstream answered " + status));
  }

  /** An error object sent inside a stream ({@code data: {"error": {...}}}). */
  public static UpstreamError inStream(JsonObject error) {
    return UpstreamError.transport(error.getString("message", "the upstream stream reported an error"));
  }
}
