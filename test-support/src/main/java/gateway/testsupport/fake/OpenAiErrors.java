package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** OpenAI's error body {@code {"error":{"message","type","param","code"}}} and the errors its API gives. */
final class OpenAiErrors {

  static final String INVALID_JSON = "We could not parse the JSON body of your request. (HINT: This likely means"
      + " you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was"
      + " not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help"
      + " center at help.openai.com.)";
  private static final String NO_KEY = "You didn't provide an API key. You need to provide your API key in an"
      + " Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field"
      + " (with blank username) if you're accessing the API from your browser and are prompted for a username."
      + " You can obtain an API key from https://platform.openai.com/account/api-keys.";
  private static final String BEARER = "Bearer ";

  private OpenAiErrors() {
  }

  static JsonObject body(String message, String type, String param, String code) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message).put("type", type).put("param", param).put("code", code));
  }

  static ErrorResponse of(int status, String message, String type, String param, String code) {
    return ErrorResponse.json(status, body(message, type, param, code));
  }

  /** The type and code OpenAI uses for a status. */
  static ErrorResponse forStatus(int status, String message) {
    return switch (status) {
      case 401 -> of(status, message, "invalid_request_error", null, "invalid_api_key");
      case 404 -> of(status, message, "invalid_request_error", null, "model_not_found");
      case 429 -> of(status, message, "requests", null, "rate_limit_exceeded");
      default -> of(status, message, status >= 500 ? "server_error" : "invalid_request_error", null, null);
    };
  }

  static ErrorResponse checkBearer(MultiMap headers, String expectedKey) {
    String authorization = headers.get("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return of(401, NO_KEY, "invalid_request_error", null, null);
    }
    String presented = authorization.substring(BEARER.length()).trim();
    if (presented.equals(expectedKey)) {
      return null;
    }
    return of(401, "Incorrect API key provided: " + mask(presented)
        + ". You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error", null, "invalid_api_key");
  }

  static ErrorResponse missingParameter(String param) {
    return of(400, "Missing required parameter: '" + param + "'.", "invalid_request_error", param,
        "missing_required_parameter");
  }

  static ErrorResponse streamRequired() {
    return of(400, "stream must be true", "invalid_request_error", "stream", null);
  }

  static ErrorResponse invalidJson() {
    return of(400, INVALID_JSON, "invalid_request_error", null, null);
  }

  static ErrorResponse invalidUrl(String method, String path) {
    return of(404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
  }

  /** The in-stream error event OpenAI-compatible hosts send when generation fails mid-stream. */
  static JsonObject streamError(String message) {
    return body(message, "server_error", null, null);
  }

  private static String mask(String key) {
    if (key.length() <= 8) {
      return key.isEmpty() ? "" : key.charAt(0) + "*".repeat(key.length() - 1);
    }
    return key.substring(0, 3) + "*".repeat(key.length() - 7) + key.substring(key.length() - 4);
  }
}
