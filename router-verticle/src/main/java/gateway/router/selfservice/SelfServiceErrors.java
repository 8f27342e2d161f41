package gateway.router.selfservice;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.router.edge.ErrorResponses;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The failure handler of the self-service API (and of operator sessions on the admin API): a request
 * the OpenAPI document refuses is a 400 naming the field, a CSRF refusal a 403
 * {@code invalid_csrf_token}, a lockout a 429 with {@code Retry-After}; everything else as on the
 * rest of the gateway. The session is stored first, since the CSRF token was refreshed even for a
 * call that failed.
 */
public final class SelfServiceErrors {
  private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter ([^ .]+)");
  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");

  private SelfServiceErrors() {
  }

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    GatewayException error = translate(ctx, failure);
    Sessions.store(ctx, true).onComplete(stored -> {
      Replies.mirrorCsrfToken(ctx);
      if (error == null) {
        ErrorResponses.handle(ctx);
      } else {
        ErrorResponses.send(ctx, error);
      }
    });
  }

  private static GatewayException translate(RoutingContext ctx, Throwable failure) {
    if (failure instanceof AttemptLimiter.LockedOut locked) {
      ctx.response().putHeader("retry-after", Long.toString(locked.retryAfterSeconds()));
      return GatewayError.RATE_LIMITED.exception(locked.getMessage());
    }
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException invalid) {
      return fromValidation(invalid);
    }
    if (failure instanceof ValidatorException invalid) {
      return fromValidation(invalid);
    }
    boolean bare403 = ctx.statusCode() == 403 || failure instanceof HttpException http && http.getStatusCode() == 403;
    if (bare403 && !(failure instanceof GatewayException) && !(failure instanceof ReplyException)) {
      // Only vertx-web's CSRFHandler fails with a bare 403.
      return GatewayError.INVALID_CSRF_TOKEN.exception();
    }
    return null;
  }

  /** A request the document refuses, as a 400 naming the parameter or body field. */
  static GatewayException fromValidation(ValidatorException invalid) {
    String message = invalid.getMessage();
    if (invalid instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      // The deepest error names the field; of equally deep ones, the one saying what is wrong (not a
      // "does not match schema" wrapper).
      OutputUnit mostSpecific = null;
      String param = null;
      for (OutputUnit unit : schema.getOutputUnit().getErrors()) {
        String field = field(unit);
        boolean deeper = param == null || field.length() > param.length();
        boolean clearer = param != null && field.length() == param.length() && isWrapper(mostSpecific)
            && !isWrapper(unit);
        if (deeper || clearer) {
          param = field;
          mostSpecific = unit;
        }
      }
      Matcher named = PARAMETER.matcher(message);
      if (named.find() && (param == null || param.isEmpty())) {
        param = named.group(1);
      }
      if (mostSpecific != null && param != null && !param.isEmpty()) {
        boolean missing = REQUIRED.matcher(String.valueOf(mostSpecific.getError())).find();
        GatewayError error = missing ? GatewayError.MISSING_FIELD : GatewayError.INVALID_VALUE;
        return error.exception(missing ? "'" + param + "' is required"
            : "'" + param + "' is invalid: " + mostSpecific.getError(), param);
      }
      if (mostSpecific != null && message.contains("request body")) {
        return GatewayError.INVALID_VALUE.exception("The request body is invalid: " + mostSpecific.getError());
      }
    }
    Matcher named = PARAMETER.matcher(message);
    String param = named.find() ? named.group(1) : null;
    if (invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      return GatewayError.MISSING_FIELD.exception(param == null ? "The request body is required." : "'" + param
          + "' is required", param);
    }
    if (param == null && invalid.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT) {
      return GatewayError.UNSUPPORTED_MEDIA_TYPE.exception("The request body must be JSON (content-type: "
          + "application/json).");
    }
    if (param == null) {
      return GatewayError.INVALID_JSON.exception("The request body is not valid JSON.");
    }
    return GatewayError.INVALID_VALUE.exception("'" + param + "' is invalid", param);
  }

  private static boolean isWrapper(OutputUnit unit) {
    return unit == null || String.valueOf(unit.getError()).contains("does not match");
  }

  /** "#/limits/rpm" as "limits.rpm"; a missing property named by its own name; list indexes dropped. */
  private static String field(OutputUnit unit) {
    String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    StringBuilder path = new StringBuilder();
    for (String segment : location.replaceFirst("^#", "").split("/")) {
      if (!segment.isEmpty() && !segment.chars().allMatch(Character::isDigit)) {
        path.append(path.length() == 0 ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
      }
    }
    Matcher required = REQUIRED.matcher(unit.getError() == null ? "" : unit.getError());
    if (required.find()) {
      path.append(path.length() == 0 ? "" : ".").append(required.group(1));
    }
    return path.toString();
  }
}
