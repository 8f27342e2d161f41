package gateway.router.admin;

import gateway.common.GatewayError;
import gateway.router.selfservice.SelfServiceConfig;
import gateway.common.bus.AuthBus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API's users and audit log: invite a user (an account's owner or member, or an operator)
 * with a one-time link, re-invite, issue a password-reset link, change role or disable (which ends
 * the user's sessions), end a user's sessions, and read the audit log. A link's token is shown only in
 * the reply that issues it.
 */
public final class UsersAdminApi {
  private final EventBus bus;
  private final SelfServiceConfig config;
  private final LinkDelivery links;

  public UsersAdminApi(EventBus bus, SelfServiceConfig config, LinkDelivery links) {
    this.bus = bus;
    this.config = config;
    this.links = links;
  }

  public void mount(Router admin) {
    admin.post("/users").handler(this::invite);
    admin.get("/users").handler(ctx -> {
      JsonObject query = new JsonObject();
      String account = ctx.queryParams().get("account_id");
      if (account != null) {
        query.put("account_id", positive(account, "account_id"));
      }
      AdminApi.reply(ctx, 200, call(AuthBus.USERS_LIST, query));
    });
    admin.get("/users/:id").handler(ctx -> AdminApi.reply(ctx, 200, call(AuthBus.USERS_GET, id(ctx))));
    admin.patch("/users/:id").handler(ctx -> AdminApi.reply(ctx, 200,
        call(AuthBus.USERS_UPDATE, body(ctx).put("id", id(ctx).getLong("id")))));
    admin.post("/users/:id/invitation").handler(ctx -> AdminApi.reply(ctx, 200,
        call(AuthBus.USERS_GET, id(ctx)).compose(user -> link(user, "invitation"))));
    admin.post("/users/:id/reset").handler(ctx -> AdminApi.reply(ctx, 200,
        call(AuthBus.USERS_GET, id(ctx)).compose(user -> link(user, "reset"))));
    admin.post("/users/:id/end-sessions").handler(ctx -> AdminApi.reply(ctx, 200,
        call(AuthBus.USERS_END_SESSIONS, id(ctx))));
    admin.get("/audit").handler(this::audit);
  }

  private void invite(RoutingContext ctx) {
    JsonObject body = body(ctx);
    JsonObject user = new JsonObject()
        .put("email", body.getValue("email"))
        .put("display_name", body.getValue("display_name"))
        .put("role", body.getValue("role"))
        .put("account_id", body.getValue("account_id"));
    AdminApi.reply(ctx, 201, call(AuthBus.USERS_CREATE, user).compose(created -> link(created, "invitation")));
  }

  /** {user, invitation | reset: {url, token, expires_at, delivered}}: the only time the token is shown. */
  private Future<JsonObject> link(JsonObject user, String purpose) {
    long ttlHours = purpose.equals("invitation") ? config.invitationTtlHours() : config.resetTtlHours();
    JsonObject issue = new JsonObject().put("user_id", user.getLong("id")).put("purpose", purpose)
        .put("ttl_seconds", ttlHours * 3600);
    return call(AuthBus.USERS_ISSUE_TOKEN, issue).compose(token -> {
      String url = links.url(purpose, token.getString("token"));
      String kind = purpose.equals("invitation") ? "invitation" : "password_reset";
      return links.deliver(kind, user, url, token.getString("expires_at")).map(delivered -> {
        user.remove("session_epoch");
        return new JsonObject().put("user", user).put(purpose, new JsonObject()
            .put("url", url)
            .put("token", token.getString("token"))
            .put("expires_at", token.getString("expires_at"))
            .put("delivered", delivered));
      });
    });
  }

  private void audit(RoutingContext ctx) {
    JsonObject query = new JsonObject();
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      query.put("limit", (int) Math.min(positive(limit, "limit"), 500));
    }
    String before = ctx.queryParams().get("before_id");
    if (before != null) {
      query.put("before_id", positive(before, "before_id"));
    }
    String actor = ctx.queryParams().get("actor_user_id");
    if (actor != null) {
      query.put("actor_user_id", positive(actor, "actor_user_id"));
    }
    for (String field : new String[] {"action", "from", "until"}) {
      if (ctx.queryParams().get(field) != null) {
        query.put(field, ctx.queryParams().get(field));
      }
    }
    AdminApi.reply(ctx, 200, call(AuthBus.AUDIT_LIST, query));
  }

  private Future<JsonObject> call(String address, JsonObject body) {
    return bus.<JsonObject>request(address, body).map(reply -> reply.body());
  }

  private static JsonObject id(RoutingContext ctx) {
    return new JsonObject().put("id", positive(ctx.pathParam("id"), "id"));
  }

  private static long positive(String value, String param) {
    try {
      long number = Long.parseLong(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw GatewayError.INVALID_VALUE.exception("'" + param + "' must be a positive whole number", param);
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      if (Json.decodeValue(ctx.body().buffer()) instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw GatewayError.INVALID_JSON.exception("The request body is not valid JSON.");
    }
    throw GatewayError.INVALID_JSON.exception("The request body must be a JSON object.");
  }
}
