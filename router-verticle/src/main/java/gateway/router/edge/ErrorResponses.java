package gateway.router.edge;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP: status from the {@link GatewayError}, body in the
 * OpenAI shape {@code {"error": {"message", "type", "code", "param"}}} (all four keys always
 * present), or in Anthropic's {@code {"type": "error", "error": {"type", "message"}}} on
 * routes that speak Anthropic.
 */
public final class ErrorResponses {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  private static final String DIALECT = "error_dialect";

  /** The error body shape a route answers in. */
  public enum Dialect { OPENAI, ANTHROPIC }

  private ErrorResponses() {
  }

  public static void useDialect(RoutingContext ctx, Dialect dialect) {
    ctx.put(DIALECT, dialect);
  }

  /** The root failure handler: whatever failed the route, the client gets a clear error. */
  public static void handle(RoutingContext ctx) {
    GatewayException error = toGatewayException(ctx);
    if (error.error() == GatewayError.INTERNAL) {
      LOG.atError().addKeyValue("request_id", RequestIds.of(ctx)).setCause(ctx.failure())
          .log("request {} failed: {} {}", RequestIds.of(ctx), ctx.request().method(), ctx.request().path());
    }
    send(ctx, error);
  }

  public static void send(RoutingContext ctx, GatewayException e) {
    GatewayError error = e.error();
    send(ctx, error.status, error.type, error.code, e.getMessage(), e.param());
  }

  /** Any error, including one a provider returned for the client to see. */
  public static void send(RoutingContext ctx, int status, String type, String code, String message, String param) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      if (!response.ended()) {
        response.end();
      }
      return;
    }
    Dialect dialect = ctx.get(DIALECT);
    JsonObject body = dialect == Dialect.ANTHROPIC
        ? anthropicBody(status, type, message)
        : openAiBody(type, code, message, param);
    Handler<Void> unreadBody = RequestBodies.beforeRefusal(ctx);
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer())
        .onComplete(written -> {
          if (unreadBody != null) {
            unreadBody.handle(null);
          }
        });
  }

  public static JsonObject openAiBody(String type, String code, String message, String param) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message)
        .put("type", type)
        .put("code", code)
        .put("param", param));
  }

  /** Anthropic's error types by status, as its API documents them. */
  public static JsonObject anthropicBody(int status, String type, String message) {
    String anthropicType = switch (status) {
      case 400, 405, 408, 414, 431 -> "invalid_request_error";
      case 413 -> "request_too_large";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> "api_error";
    };
    return new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", anthropicType)
        .put("message", message));
  }

  private static GatewayException toGatewayException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http) {
      return fromStatus(http.getStatusCode(), http.getPayload());
    }
    if (failure != null) {
      return GatewayException.of(failure);
    }
    return fromStatus(ctx.statusCode(), null);
  }

  private static GatewayException fromStatus(int status, String detail) {
    GatewayError error = switch (status) {
      case 400 -> GatewayError.INVALID_JSON;
      case 401 -> GatewayError.INVALID_API_KEY;
      case 404 -> GatewayError.NOT_FOUND;
      case 405 -> GatewayError.METHOD_NOT_ALLOWED;
      case 408 -> GatewayError.REQUEST_TIMEOUT;
      case 413 -> GatewayError.REQUEST_TOO_LARGE;
      case 414 -> GatewayError.URI_TOO_LONG;
      case 431 -> GatewayError.HEADERS_TOO_LARGE;
      case 415 -> GatewayError.UNSUPPORTED_MEDIA_TYPE;
      case 503 -> GatewayError.SERVICE_UNAVAILABLE;
      default -> GatewayError.INTERNAL;
    };
    return error.exception(detail == null || detail.isBlank() ? null : detail);
  }
}
