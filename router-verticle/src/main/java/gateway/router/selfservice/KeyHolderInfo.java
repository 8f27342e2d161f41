package gateway.router.selfservice;

import gateway.router.RouterConfig;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.money.Credits;
import gateway.router.edge.KeyAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * {@code GET /v1/me} with an API key (scripts, CI, IDE plugins): what this key can spend now (the
 * account's cash if the key may spend it, and the vouchers it may spend), its models, the limits
 * that apply to it (its own, or the gateway's defaults where it sets none), and its own spend today
 * and this month (UTC).
 */
public final class KeyHolderInfo {
  private final EventBus bus;
  private final RateLimits keyDefaults;
  private final RateLimits accountDefaults;

  public KeyHolderInfo(EventBus bus, RouterConfig config) {
    this.bus = bus;
    this.keyDefaults = config.keyLimits();
    this.accountDefaults = config.accountLimits();
  }

  public void handle(RoutingContext ctx) {
    Principal key = KeyAuthenticator.principal(ctx);
    JsonObject account = new JsonObject().put("account_id", key.accountId());
    Future<JsonObject> balance = Replies.call(bus, BillingBus.BALANCE, account);
    Future<JsonObject> vouchers = Replies.call(bus, BillingBus.VOUCHERS_LIST, account);
    Future<JsonObject> spend = Replies.call(bus, BillingBus.SPEND, account.copy().put("key_id", key.keyId()));
    Future.all(balance, vouchers, spend).onSuccess(all -> {
      long cash = key.spendsCash()
          ? Math.max(0, balance.result().getLong("balance_micros") - balance.result().getLong("held_micros")) : 0;
      long voucherMicros = 0;
      JsonArray spendable = new JsonArray();
      for (Object entry : vouchers.result().getJsonArray("data")) {
        JsonObject voucher = (JsonObject) entry;
        boolean mayUse = key.voucherIds() == null || key.voucherIds().contains(voucher.getLong("id"));
        if (mayUse && "active".equals(voucher.getString("status"))) {
          voucherMicros += Math.max(0, voucher.getLong("remaining_micros") - voucher.getLong("held_micros"));
          spendable.add(new JsonObject().put("id", voucher.getLong("id")).put("models", voucher.getJsonArray("models"))
              .put("available_credits", voucher.getValue("available_credits"))
              .put("expires_at", voucher.getValue("expires_at")));
        }
      }
      JsonObject body = new JsonObject()
          .put("object", "key")
          .put("key", new JsonObject()
              .put("id", key.keyId())
              .put("name", key.keyName())
              .put("models", new JsonArray(key.models()))
              .put("expires_at", key.expiresAtMillis() == null ? null
                  : Instant.ofEpochMilli(key.expiresAtMillis()).toString())
              .put("limits", key.keyLimits().orElse(keyDefaults).toJson())
              .put("account_limits", key.accountLimits().orElse(accountDefaults).toJson())
              .put("spends_cash", key.spendsCash())
              .put("voucher_ids", key.voucherIds() == null ? null : new JsonArray(key.voucherIds().stream()
                  .map(Object.class::cast).toList())))
          .put("account", new JsonObject()
              .put("id", key.accountId())
              .put("available_credits", Credits.fromMicros(cash + voucherMicros))
              .put("cash_available_credits", Credits.fromMicros(cash))
              .put("voucher_available_credits", Credits.fromMicros(voucherMicros))
              .put("vouchers", spendable))
          .put("spend", new JsonObject()
              .put("today_credits", spend.result().getValue("today_credits"))
              .put("month_credits", spend.result().getValue("month_credits")));
      ctx.response().putHeader("content-type", "application/json").end(body.toBuffer());
    }).onFailure(ctx::fail);
  }
}
