package gateway.router.selfservice;

import gateway.common.bus.BillingBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Usage rows (keyset-paged), totals, and the CSV export, each within the user's {@link UsageScope}. Which
 * channel served a request is the operator's business: customers' rows do not say.
 */
final class UsageRoutes {
  private final EventBus bus;
  private final UsageScope scope;
  private final UsageCsvExport export;

  UsageRoutes(EventBus bus) {
    this.bus = bus;
    this.scope = new UsageScope(bus);
    this.export = new UsageCsvExport(bus);
  }

  void list(RoutingContext ctx) {
    Replies.reply(ctx, scope.query(ctx)
        .compose(query -> Replies.call(bus, BillingBus.USAGE_PAGE, Inputs.query(ctx, query, "limit", "cursor")))
        .map(UsageRoutes::forCustomers));
  }

  /** The page without what only operators see of a row. */
  static JsonObject forCustomers(JsonObject page) {
    page.getJsonArray("data").forEach(row -> ((JsonObject) row).remove("channel"));
    return page;
  }

  void totals(RoutingContext ctx) {
    Replies.reply(ctx, scope.query(ctx)
        .compose(query -> Replies.call(bus, BillingBus.USAGE_TOTALS, Inputs.query(ctx, query, "group_by"))));
  }

  void export(RoutingContext ctx) {
    scope.query(ctx).onSuccess(query -> export.stream(ctx, query)).onFailure(failure -> Replies.fail(ctx, failure));
  }
}
