package gateway.router.selfservice;

import gateway.common.bus.AuthBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A user's keys. Auth scopes every call by the signed-in user's own row (an owner reaches the
 * account's keys, a member their own), so an id from elsewhere is a 404 like a missing one.
 */
final class KeyRoutes {
  private final EventBus bus;

  KeyRoutes(EventBus bus) {
    this.bus = bus;
  }

  void list(RoutingContext ctx) {
    JsonObject request = Inputs.query(ctx, scoped(ctx), "limit", "before_id");
    Replies.reply(ctx, Replies.call(bus, AuthBus.OWNED_KEYS_LIST, request));
  }

  void create(RoutingContext ctx) {
    JsonObject request = Inputs.body(ctx).copy().mergeIn(scoped(ctx));
    Replies.reply(ctx, 201, Replies.call(bus, AuthBus.OWNED_KEYS_CREATE, request));
  }

  void get(RoutingContext ctx) {
    Replies.reply(ctx, Replies.call(bus, AuthBus.OWNED_KEYS_GET, withId(ctx)));
  }

  void update(RoutingContext ctx) {
    JsonObject request = Inputs.body(ctx).copy().mergeIn(withId(ctx));
    Replies.reply(ctx, Replies.call(bus, AuthBus.OWNED_KEYS_UPDATE, request));
  }

  void regenerate(RoutingContext ctx) {
    Replies.reply(ctx, Replies.call(bus, AuthBus.OWNED_KEYS_REGENERATE, withId(ctx)));
  }

  void delete(RoutingContext ctx) {
    Replies.call(bus, AuthBus.OWNED_KEYS_DELETE, withId(ctx))
        .onSuccess(deleted -> Replies.noContent(ctx))
        .onFailure(failure -> Replies.fail(ctx, failure));
  }

  private static JsonObject scoped(RoutingContext ctx) {
    return new JsonObject().put("user_id", Guards.accountUser(ctx).id());
  }

  private static JsonObject withId(RoutingContext ctx) {
    return scoped(ctx).put("id", Inputs.pathLong(ctx, "id"));
  }
}
