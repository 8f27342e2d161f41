package gateway.router.selfservice;

import gateway.router.fields.JsonFields;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Set;

/** The parameters and body of a request, as the OpenAPI validation read and checked them. */
final class Inputs {
  private static final Set<String> PASSWORDS = Set.of("password", "current_password", "new_password");

  private Inputs() {
  }

  /**
   * The body; a string in it Postgres cannot store (a NUL, a lone surrogate) is a 400 naming where it is. Passwords
   * are only hashed, never stored as text, and are read as they came (a password set before stays usable).
   */
  static JsonObject body(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    JsonObject object = body == null || body.isNull() || !body.isJsonObject() ? new JsonObject() : body.getJsonObject();
    for (String field : object.fieldNames()) {
      if (!PASSWORDS.contains(field)) {
        JsonFields.checkStorableText(field, field);
        JsonFields.checkStorableTree(object.getValue(field), field);
      }
    }
    return object;
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
