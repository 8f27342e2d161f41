package gateway.router.selfservice;

import gateway.common.bus.AuthBus;
import gateway.common.bus.BillingBus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's keys. Auth scopes every call by the signed-in user's own row (an owner reaches the
 * account's keys, a member their own), so an id from elsewhere is a 404 like a missing one.
 */
final class KeyRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRoutes.class);
  private final EventBus bus;

  KeyRoutes(EventBus bus) {
    this.bus = bus;
  }

  void list(RoutingContext ctx) {
    JsonObject request = Inputs.query(ctx, scoped(ctx), "limit", "before_id", "q");
    long accountId = Guards.accountUser(ctx).accountId();
    Replies.reply(ctx, Replies.call(bus, AuthBus.OWNED_KEYS_LIST, request).compose(page -> withLastUse(accountId, page)));
  }

  /**
   * Adds each key's {@code last_used_at}, read from billing's usage rows (one index probe per key) rather than
   * written on every request. Billing out of reach leaves the list without it instead of failing the page.
   */
  private Future<JsonObject> withLastUse(long accountId, JsonObject page) {
    JsonArray ids = new JsonArray();
    page.getJsonArray("data").forEach(key -> ids.add(((JsonObject) key).getLong("id")));
    if (ids.isEmpty()) {
      return Future.succeededFuture(page);
    }
    return Replies.call(bus, BillingBus.KEYS_LAST_USED, new JsonObject().put("account_id", accountId).put("key_ids", ids))
        .map(used -> {
          Map<Long, Object> times = new HashMap<>();
          used.getJsonArray("data").forEach(row -> times.put(((JsonObject) row).getLong("key_id"),
              ((JsonObject) row).getValue("last_used_at")));
          page.getJsonArray("data").forEach(key -> ((JsonObject) key).put("last_used_at",
              times.get(((JsonObject) key).getLong("id"))));
          return page;
        })
        .recover(failure -> {
          LOG.warn("keys' last use of account {} unknown: {}", accountId, failure.getMessage());
          return Future.succeededFuture(page);
        });
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
