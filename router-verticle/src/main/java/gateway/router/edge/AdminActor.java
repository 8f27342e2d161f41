package gateway.router.edge;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling the admin API: the admin token (automation), or an operator signed in with a
 * password (role admin: everything; viewer: reads only). The audit log names it.
 *
 * @param kind   {@code admin_token} or {@code operator}
 * @param userId the operator's user id, null for the token
 */
public record AdminActor(String kind, Long userId, String email, String role) {
  public static final AdminActor TOKEN = new AdminActor("admin_token", null, null, "admin");
  private static final String KEY = "admin_actor";

  public static AdminActor operator(long userId, String email, String role) {
    return new AdminActor("operator", userId, email, role);
  }

  /** The caller, or null before authentication. */
  public static AdminActor of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public void put(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  public JsonObject toJson() {
    return new JsonObject().put("actor_kind", kind).put("actor_user_id", userId).put("actor_email", email);
  }
}
