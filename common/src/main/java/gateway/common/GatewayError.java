package gateway.common;

import java.util.HashMap;
import java.util.Map;

/**
 * Every failure a client can see. On the event bus a failure travels as a
 * {@code ReplyException} whose failure code is {@link #status} and whose message starts
 * with {@link #code} (optionally followed by {@code ": "} and a human detail); the
 * router turns it back into this enum and into the OpenAI error body.
 *
 * <p>Statuses are explicit numbers, never ordinals, so inserting a value shifts nothing.
 */
public enum GatewayError {
  INVALID_JSON(400, "invalid_request_error", "invalid_json", "The request body is not valid JSON."),
  MISSING_FIELD(400, "invalid_request_error", "missing_field", "A required field is missing."),
  INVALID_VALUE(400, "invalid_request_error", "invalid_value", "A field has an invalid value."),
  MALFORMED_HTTP(400, "invalid_request_error", "malformed_request", "The request is not valid HTTP."),
  CONTEXT_LENGTH_EXCEEDED(400, "invalid_request_error", "context_length_exceeded",
      "The request does not fit the model's context window."),
  INVALID_API_KEY(401, "authentication_error", "invalid_api_key",
      "The API key is missing, unknown, disabled or expired."),
  INVALID_ADMIN_TOKEN(401, "authentication_error", "invalid_admin_token",
      "The admin token is missing or wrong."),
  INVALID_CREDENTIALS(401, "authentication_error", "invalid_credentials", "The email or password is wrong."),
  NOT_SIGNED_IN(401, "authentication_error", "not_signed_in",
      "Sign in first: this call needs a session (POST /api/login)."),
  INSUFFICIENT_CREDITS(402, "insufficient_credits", "insufficient_credits",
      "The account balance cannot cover this request. Top up and retry."),
  MODEL_NOT_ALLOWED(403, "permission_error", "model_not_allowed",
      "This API key may not call this model."),
  VOUCHER_MODEL_NOT_ALLOWED(403, "permission_error", "voucher_model_not_allowed",
      "This API key spends only vouchers, and none of them covers this model."),
  FORBIDDEN(403, "permission_error", "forbidden", "Your role may not do this."),
  INVALID_CSRF_TOKEN(403, "permission_error", "invalid_csrf_token",
      "Missing or stale CSRF token: send the value of the XSRF-TOKEN cookie in the X-XSRF-TOKEN header."),
  SIGNUP_CLOSED(403, "permission_error", "signup_closed", "Sign-up is closed: ask the operator for an invitation."),
  MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found", "The model does not exist."),
  NOT_FOUND(404, "invalid_request_error", "not_found", "The resource does not exist."),
  METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", "Method not allowed."),
  REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout",
      "The request body did not arrive in time."),
  CONFLICT(409, "invalid_request_error", "conflict", "The request conflicts with the current state."),
  REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large", "The request body is too large."),
  URI_TOO_LONG(414, "invalid_request_error", "uri_too_long", "The request line is too long."),
  UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type",
      "The request body must be JSON."),
  RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded", "Rate limit exceeded. Retry later."),
  HEADERS_TOO_LARGE(431, "invalid_request_error", "headers_too_large", "The request headers are too large."),
  INTERNAL(500, "server_error", "internal_error", "The gateway failed to handle the request."),
  UPSTREAM_ERROR(502, "upstream_error", "upstream_error", "The upstream provider failed."),
  NO_AVAILABLE_CHANNEL(503, "service_unavailable", "no_available_channel",
      "No upstream channel is available for this model."),
  SERVICE_UNAVAILABLE(503, "service_unavailable", "service_unavailable",
      "A gateway service is unavailable. Retry shortly."),
  UPSTREAM_TIMEOUT(504, "upstream_error", "upstream_timeout", "The upstream provider timed out.");

  private static final Map<String, GatewayError> BY_CODE = new HashMap<>();

  static {
    for (GatewayError e : values()) {
      BY_CODE.put(e.code, e);
    }
  }

  public final int status;
  public final String type;
  public final String code;
  public final String defaultMessage;

  GatewayError(int status, String type, String code, String defaultMessage) {
    this.status = status;
    this.type = type;
    this.code = code;
    this.defaultMessage = defaultMessage;
  }

  /** The machine code, or null when no error has it. */
  public static GatewayError byCode(String code) {
    return BY_CODE.get(code);
  }

  /** Builds a failure for the event bus or a future: {@code code: detail}. */
  public GatewayException exception(String detail) {
    return new GatewayException(this, detail, null);
  }

  public GatewayException exception() {
    return new GatewayException(this, null, null);
  }

  public GatewayException exception(String detail, String param) {
    return new GatewayException(this, detail, param);
  }
}
