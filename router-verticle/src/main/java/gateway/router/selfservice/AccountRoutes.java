package gateway.router.selfservice;

import gateway.common.bus.AuthBus;
import gateway.common.bus.BalanceView;
import gateway.common.bus.BillingBus;
import gateway.common.bus.CatalogBus;
import gateway.common.money.Credits;
import gateway.router.edge.TrustedProxies;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The account's money as its users see it: the overview, vouchers, redemptions, redeeming, the price list. */
final class AccountRoutes {
  private final EventBus bus;
  private final SelfServiceConfig config;
  private final AttemptLimiter attempts;
  private final TrustedProxies proxies;

  AccountRoutes(EventBus bus, SelfServiceConfig config, AttemptLimiter attempts, TrustedProxies proxies) {
    this.bus = bus;
    this.config = config;
    this.attempts = attempts;
    this.proxies = proxies;
  }

  /** Name, models and limits; cash balance, holds and what is available; live vouchers; spend today and this month. */
  void overview(RoutingContext ctx) {
    long accountId = Guards.accountUser(ctx).accountId();
    JsonObject id = new JsonObject().put("account_id", accountId);
    Future<JsonObject> account = Replies.call(bus, AuthBus.ACCOUNTS_GET, new JsonObject().put("id", accountId));
    Future<JsonObject> balance = Replies.call(bus, BillingBus.BALANCE, id);
    Future<JsonObject> vouchers = Replies.call(bus, BillingBus.VOUCHERS_LIST, id);
    Future<JsonObject> spend = Replies.call(bus, BillingBus.SPEND, id);
    Replies.reply(ctx, Future.all(account, balance, vouchers, spend).map(all -> {
      JsonArray live = new JsonArray();
      vouchers.result().getJsonArray("data").forEach(v -> {
        if ("active".equals(((JsonObject) v).getString("status"))) {
          live.add(v);
        }
      });
      JsonObject a = account.result();
      BalanceView b = BalanceView.fromJson(balance.result());
      return new JsonObject()
          .put("id", accountId)
          .put("name", a.getString("name"))
          .put("models", a.getJsonArray("models"))
          .put("limits", a.getJsonObject("limits"))
          .put("balance_credits", Credits.fromMicros(b.balanceMicros()))
          .put("held_credits", Credits.fromMicros(b.heldMicros()))
          .put("available_credits", Credits.fromMicros(b.availableMicros()))
          .put("voucher_available_credits", Credits.fromMicros(b.voucherAvailableMicros()))
          .put("vouchers", live)
          .put("spend_today_credits", spend.result().getValue("today_credits"))
          .put("spend_month_credits", spend.result().getValue("month_credits"));
    }));
  }

  void vouchers(RoutingContext ctx) {
    long accountId = Guards.accountUser(ctx).accountId();
    Replies.reply(ctx, Replies.call(bus, BillingBus.VOUCHERS_LIST, new JsonObject().put("account_id", accountId)));
  }

  void redemptions(RoutingContext ctx) {
    long accountId = Guards.accountUser(ctx).accountId();
    Replies.reply(ctx, Replies.call(bus, BillingBus.CODES_REDEMPTIONS, new JsonObject().put("account_id", accountId)));
  }

  /** Counted per account and per address before billing sees the code; a success is given back. */
  void redeem(RoutingContext ctx) {
    long accountId = Guards.accountUser(ctx).accountId();
    List<AttemptLimiter.Counter> counters = List.of(
        attempts.counter("redeem-account", Long.toString(accountId), config.redeemMaxFailures()),
        attempts.counter("redeem-address", Guards.clientAddress(ctx, proxies), config.redeemMaxFailuresPerAddress()));
    JsonObject redeem = new JsonObject().put("account_id", accountId).put("code", Inputs.body(ctx).getString("code"));
    Replies.reply(ctx, attempts.take("redemption", counters)
        .compose(v -> Replies.call(bus, BillingBus.CODES_REDEEM, redeem))
        .onSuccess(redeemed -> attempts.giveBack(counters)));
  }

  /** Public, like {@code GET /v1/models} without a key. */
  void models(RoutingContext ctx) {
    Replies.reply(ctx, Replies.call(bus, CatalogBus.MODELS, new JsonObject()));
  }
}
