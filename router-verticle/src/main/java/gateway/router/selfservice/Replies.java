package gateway.router.selfservice;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers of the self-service API: the session is stored before the answer is written (so the next
 * call, at any router, finds it and its fresh CSRF token), and the CSRF token the next call needs is
 * also sent as an {@code X-XSRF-TOKEN} header, for scripts that do not read cookies.
 */
final class Replies {
  private Replies() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status);
    Sessions.store(ctx, false).onComplete(stored -> {
      mirrorCsrfToken(ctx);
      ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
    });
  }

  static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204);
    Sessions.store(ctx, false).onComplete(stored -> {
      mirrorCsrfToken(ctx);
      ctx.response().end();
    });
  }

  /** 200 with the result, or the failure through the router's failure handler. */
  static void reply(RoutingContext ctx, Future<JsonObject> result) {
    reply(ctx, 200, result);
  }

  static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> json(ctx, status, body)).onFailure(failure -> fail(ctx, failure));
  }

  static void fail(RoutingContext ctx, Throwable failure) {
    if (!ctx.response().ended()) {
      ctx.fail(failure);
    }
  }

  static void mirrorCsrfToken(RoutingContext ctx) {
    String token = ctx.get(Sessions.CSRF_HEADER);
    if (token != null && !ctx.response().headWritten()) {
      ctx.response().putHeader(Sessions.CSRF_HEADER, token);
    }
  }

  static Future<JsonObject> call(EventBus bus, String address, JsonObject body) {
    return bus.<JsonObject>request(address, body).map(reply -> reply.body());
  }
}
