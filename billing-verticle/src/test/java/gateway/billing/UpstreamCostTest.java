package gateway.billing;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What requests cost upstream: kept on their usage rows, and reported with the margin by the operator's report. */
@ExtendWith(VertxExtension.class)
class UpstreamCostTest {
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    BillingConfig config = BillingDeployment.deploy(vertx, TestServices.env());
    pool = gateway.common.PgDatabase.pool(vertx, config.pg(), "upstream-cost-test");
    for (long account : List.of(1L, 2L)) {
      call(BillingBus.TOPUP, new JsonObject().put("account_id", account).put("amount_micros", 100_000_000));
    }
  }

  @Test
  @DisplayName("settle and release keep the upstream cost on the usage row (null when unknown); a replay or a late "
      + "release changes it not; a negative one is refused naming upstream_cost_micros")
  void storedOnTheUsageRow() {
    settle("costed", 1, "m", "c", 5_000, 1_234L);
    settle("uncosted", 1, "m", "c", 5_000, null);
    release("failed", 1, "m", "c", 0L);
    call(BillingBus.SETTLE, report("costed", 1, "m", "c", 5_000, RequestOutcome.COMPLETED, 9_999L).toJson());
    release("costed", 1, "m", "c", 7L);
    release("uncosted", 1, "m", "c", 7L);

    assertThat(upstreamCost("costed")).isEqualTo(1_234L);
    assertThat(upstreamCost("uncosted")).isNull();
    assertThat(upstreamCost("failed")).isZero();
    ReplyException refused = (ReplyException) failure(vertx.eventBus().request(BillingBus.SETTLE,
        report("negative", 1, "m", "c", 10, RequestOutcome.COMPLETED, -1L).toJson()));
    assertThat(refused.failureCode()).isEqualTo(400);
    assertThat(refused.getMessage()).contains("upstream cost");
  }

  @Test
  @DisplayName("a settle against a credit lease keeps its upstream cost too (null when unknown)")
  void storedForLeasedSettles() {
    call(BillingBus.LEASES_TAKE, new gateway.common.bus.LeaseTake("lease:t:1:1", 1, 1_000_000, 1, 60, false)
        .toJson());
    gateway.common.bus.LeasedHold leased = new gateway.common.bus.LeasedHold("lease:t:1:1", 10_000);
    call(BillingBus.SETTLE_LEASED, leased.settleJson(report("leased", 1, "m", "c", 5_000,
        RequestOutcome.COMPLETED, 2_222L)));
    call(BillingBus.SETTLE_LEASED, leased.settleJson(report("leased-uncosted", 1, "m", "c", 5_000,
        RequestOutcome.COMPLETED, null)));
    assertThat(upstreamCost("leased")).isEqualTo(2_222L);
    assertThat(upstreamCost("leased-uncosted")).isNull();
  }

  @Test
  @DisplayName("the revenue report by day, model, channel and account shows the known upstream cost, the margin "
      + "(revenue minus it) and the uncosted rows, and the groups sum exactly to the total")
  void revenueReportShowsCostAndMargin() {
    settle("a", 1, "m1", "c1", 10_000, 3_000L);
    settle("b", 1, "m1", "c2", 20_000, 4_500L);
    settle("c", 2, "m2", "c1", 7_000, null);
    release("d", 2, "m2", "c2", 0L);
    settle("e", 2, "m1", "c1", 1_111, 1_500L); // sold at a loss

    JsonObject byModel = revenue("model");
    JsonObject total = byModel.getJsonObject("total");
    assertThat(total.getLong("cost_micros")).isEqualTo(38_111);
    assertThat(total.getLong("upstream_cost_micros")).isEqualTo(9_000);
    assertThat(total.getValue("upstream_cost_credits").toString()).isEqualTo("0.009");
    assertThat(total.getLong("margin_micros")).isEqualTo(29_111);
    assertThat(total.getLong("uncosted_requests")).isEqualTo(1);
    Map<Object, JsonObject> models = byGroup(byModel, "model");
    assertThat(models.get("m1").getLong("upstream_cost_micros")).isEqualTo(9_000);
    assertThat(models.get("m1").getLong("margin_micros")).isEqualTo(31_111 - 9_000);
    assertThat(models.get("m1").getLong("uncosted_requests")).isZero();
    assertThat(models.get("m2").getLong("upstream_cost_micros")).isZero();
    assertThat(models.get("m2").getLong("margin_micros")).isEqualTo(7_000);
    assertThat(models.get("m2").getLong("uncosted_requests")).isEqualTo(1);

    Map<Object, JsonObject> channels = byGroup(revenue("channel"), "channel");
    assertThat(channels.get("c1").getLong("upstream_cost_micros")).isEqualTo(4_500);
    assertThat(channels.get("c1").getLong("margin_micros")).isEqualTo(18_111 - 4_500);
    assertThat(channels.get("c2").getLong("upstream_cost_micros")).isEqualTo(4_500);
    Map<Object, JsonObject> accounts = byGroup(revenue("account"), "account_id");
    assertThat(accounts.get(1L).getLong("margin_micros")).isEqualTo(30_000 - 7_500);
    assertThat(accounts.get(2L).getLong("margin_micros")).isEqualTo(8_111 - 1_500);
    assertThat(accounts.get(2L).getLong("uncosted_requests")).isEqualTo(1);

    for (String grouping : List.of("day", "model", "channel", "account")) {
      JsonObject report = revenue(grouping);
      for (String field : List.of("cost_micros", "upstream_cost_micros", "margin_micros", "uncosted_requests")) {
        long sum = report.getJsonArray("data").stream().mapToLong(g -> ((JsonObject) g).getLong(field)).sum();
        assertThat(sum).as(grouping + " " + field).isEqualTo(report.getJsonObject("total").getLong(field));
      }
    }
  }

  private JsonObject revenue(String groupBy) {
    return call(BillingBus.REPORTS_REVENUE, new JsonObject().put("group_by", groupBy));
  }

  private static Map<Object, JsonObject> byGroup(JsonObject report, String column) {
    Map<Object, JsonObject> groups = new HashMap<>();
    JsonArray data = report.getJsonArray("data");
    data.forEach(g -> groups.put(((JsonObject) g).getValue(column), (JsonObject) g));
    return groups;
  }

  private void settle(String id, long account, String model, String channel, long cost, Long upstream) {
    call(BillingBus.RESERVE, new Hold(id, account, 10, model, cost).toJson());
    call(BillingBus.SETTLE, report(id, account, model, channel, cost, RequestOutcome.COMPLETED, upstream).toJson());
  }

  private void release(String id, long account, String model, String channel, Long upstream) {
    call(BillingBus.RELEASE, report(id, account, model, channel, 0, RequestOutcome.FAILED, upstream).toJson());
  }

  private static UsageReport report(String id, long account, String model, String channel, long cost,
                                    RequestOutcome outcome, Long upstream) {
    return new UsageReport(id, account, 10, model, channel, new Usage(10, 0, 0, 5, 0), cost, outcome, 12, 1, null,
        upstream);
  }

  private Long upstreamCost(String requestId) {
    Row row = result(pool.preparedQuery("SELECT upstream_cost_micros FROM billing.usage WHERE request_id = $1")
        .execute(Tuple.of(requestId))).iterator().next();
    return row.getLong("upstream_cost_micros");
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }
}
