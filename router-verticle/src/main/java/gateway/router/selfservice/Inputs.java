package gateway.router.selfservice;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

/** The parameters and body of a request, as the OpenAPI validation read and checked them. */
final class Inputs {
  private Inputs() {
  }

  static JsonObject body(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    return body == null || body.isNull() || !body.isJsonObject() ? new JsonObject() : body.getJsonObject();
  }

  static Long pathLong(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getPathParameters().get(name);
    return value == null ? null : value.getLong();
  }

  static Long queryLong(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null ? null : value.getLong();
  }

  static String queryString(RoutingContext ctx, String name) {
    RequestParameter value = validated(ctx).getQuery().get(name);
    return value == null ? null : value.getString();
  }

  /** Copies the named query parameters that are present into {@code target}. */
  static JsonObject query(RoutingContext ctx, JsonObject target, String... names) {
    for (String name : names) {
      RequestParameter value = validated(ctx).getQuery().get(name);
      if (value != null && !value.isNull()) {
        target.put(name, value.get());
      }
    }
    return target;
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }
}
