package gateway.router.admin;

import gateway.common.GatewayError;
import gateway.common.bus.BillingBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The operator's reports, grouped in billing: revenue (what was charged), upstream cost, margin, requests and
 * errors by day, model, channel or account ({@code GET /reports/revenue}), and each channel's recent requests and
 * failures ({@code GET /reports/channels}, the last hour by default).
 */
final class Reports {
  private final EventBus bus;

  Reports(EventBus bus) {
    this.bus = bus;
  }

  void mount(Router admin) {
    admin.get("/reports/revenue").handler(this::revenue);
    admin.get("/reports/channels").handler(this::channels);
  }

  private void revenue(RoutingContext ctx) {
    JsonObject query = new JsonObject()
        .put("group_by", ctx.queryParams().get("group_by") == null ? "day" : ctx.queryParams().get("group_by"))
        .put("from", instant(ctx, "from"))
        .put("until", instant(ctx, "until"))
        .put("after", ctx.queryParams().get("after"));
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      query.put("limit", (int) Math.min(AdminApi.parseId(limit, "limit"), 1000));
    }
    call(ctx, query);
  }

  /** Per channel since {@code since} (default an hour ago): requests and failed requests, from billing's usage rows. */
  private void channels(RoutingContext ctx) {
    String since = instant(ctx, "since");
    call(ctx, new JsonObject().put("group_by", "channel").put("limit", 1000)
        .put("from", since != null ? since : OffsetDateTime.now().minus(1, ChronoUnit.HOURS).toString()));
  }

  private void call(RoutingContext ctx, JsonObject query) {
    AdminApi.reply(ctx, 200, bus.<JsonObject>request(BillingBus.REPORTS_REVENUE, query).map(reply -> reply.body()));
  }

  private static String instant(RoutingContext ctx, String param) {
    String value = ctx.queryParams().get(param);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toString();
    } catch (DateTimeParseException e) {
      throw GatewayError.INVALID_VALUE.exception("'" + param + "' must be an ISO-8601 timestamp", param);
    }
  }
}
