package gateway.router.selfservice;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.AuthBus;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Which usage rows a user may read: an owner the whole account's, a member only those of their own
 * keys (deleted ones included). A {@code key_id} filter outside that scope is a 404 on {@code key_id}.
 * Answers the billing query for it: {account_id, key_ids?, key_id?, model?, outcome?, from?, until?}.
 */
final class UsageScope {
  private static final int MAX_KEYS = 10_000;

  private final EventBus bus;

  UsageScope(EventBus bus) {
    this.bus = bus;
  }

  Future<JsonObject> query(RoutingContext ctx) {
    SignedInUser user = Guards.accountUser(ctx);
    JsonObject query = Inputs.query(ctx, new JsonObject().put("account_id", user.accountId()),
        "key_id", "model", "outcome", "from", "until");
    Long keyId = query.getLong("key_id");
    Future<Void> keyChecked = keyId == null ? Future.succeededFuture()
        : Replies.call(bus, AuthBus.OWNED_KEYS_GET, new JsonObject().put("user_id", user.id()).put("id", keyId)
                .put("include_deleted", true))
            .<Void>mapEmpty()
            .recover(failure -> Future.failedFuture(GatewayException.of(failure).error() == GatewayError.NOT_FOUND
                ? GatewayError.NOT_FOUND.exception("no API key " + keyId, "key_id") : failure));
    if (user.owner()) {
      return keyChecked.map(query);
    }
    return keyChecked.compose(v -> ownKeys(user.id(), new JsonArray(), null)).map(ids -> query.put("key_ids", ids));
  }

  private Future<JsonArray> ownKeys(long userId, JsonArray ids, Long before) {
    JsonObject page = new JsonObject().put("user_id", userId).put("include_deleted", true).put("limit", 1000);
    if (before != null) {
      page.put("before_id", before);
    }
    return Replies.call(bus, AuthBus.OWNED_KEYS_LIST, page).compose(keys -> {
      keys.getJsonArray("data").forEach(key -> ids.add(((JsonObject) key).getLong("id")));
      Long next = keys.getLong("next_before_id");
      return next == null || ids.size() >= MAX_KEYS ? Future.succeededFuture(ids) : ownKeys(userId, ids, next);
    });
  }
}
