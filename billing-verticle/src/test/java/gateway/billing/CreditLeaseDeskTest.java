package gateway.billing;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.PgDatabase;
import gateway.common.bus.BillingBus;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeasePot;
import gateway.common.bus.LeaseTake;
import gateway.common.bus.LeasedHold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.testsupport.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credit leases in the ledger of record: taken, spent by settles, given back, renewed and swept. */
@ExtendWith(VertxExtension.class)
class CreditLeaseDeskTest {
  private static final long ACCOUNT = 9;
  private static final String LEASE = "lease:router-a:9:1";
  private static final String POT = "lease:pot:router-a:9:";

  private Vertx vertx;
  private Pool pg;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    pg = PgDatabase.pool(vertx, BillingDeployment.deploy(vertx, TestServices.env()).pg(), "lease-desk-test");
  }

  @Test
  @DisplayName("a lease holds at most a quarter of what is free, grows on the same hold, and is refused near the edge")
  void grantsAQuarterOfWhatIsFree() {
    topUp(1_000_000);
    LeaseGrant first = take(LEASE, 400_000, 10_000, false);
    assertThat(first).isEqualTo(new LeaseGrant(LeaseGrant.Outcome.GRANTED, 250_000));
    assertThat(balance().getLong("held_micros")).isEqualTo(250_000);

    LeaseGrant grown = take(LEASE, 100_000, 10_000, true);
    assertThat(grown).isEqualTo(new LeaseGrant(LeaseGrant.Outcome.GRANTED, 100_000));
    assertThat(balance().getLong("held_micros")).isEqualTo(350_000);

    // 650,000 free: a quarter is 162,500, less than the 200,000 asked as the least worth having
    assertThat(take("lease:router-b:9:1", 400_000, 200_000, false).outcome()).isEqualTo(LeaseGrant.Outcome.EDGE);
    assertThat(take("lease:router-b:9:2", 100_000, 100, true).outcome()).isEqualTo(LeaseGrant.Outcome.GONE);
    assertThat(balance().getLong("held_micros")).isEqualTo(350_000);
  }

  @Test
  @DisplayName("an account with a live voucher, or in debt, gets no lease")
  void vouchersAndDebtAreHeldPerRequest() {
    topUp(1_000_000);
    call(BillingBus.VOUCHERS_GRANT, new JsonObject().put("account_id", ACCOUNT).put("amount_micros", 5_000)
        .put("models", new JsonArray().add("*")));
    assertThat(take(LEASE, 1_000, 10, false).outcome()).isEqualTo(LeaseGrant.Outcome.VOUCHERS);

    long other = ACCOUNT + 1;
    call(BillingBus.TOPUP, new JsonObject().put("account_id", other).put("amount_micros", 100));
    call(BillingBus.SETTLE, new UsageReport("debt", other, 1, "m", "c", Usage.ZERO, 500, RequestOutcome.COMPLETED,
        1, 1, null).toJson());
    assertThat(result(vertx.eventBus().<JsonObject>request(BillingBus.LEASES_TAKE,
        new LeaseTake("lease:x:10:1", other, 1_000, 10, 60, false).toJson())).body().getString("outcome"))
        .isEqualTo("debt");
  }

  @Test
  @DisplayName("settles against a lease charge the balance once and consume the lease by as much: what is free stays exact")
  void settlesConsumeTheLease() {
    topUp(1_000_000);
    take(LEASE, 200_000, 1, false);
    List<Future<Message<JsonObject>>> settles = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      settles.add(vertx.eventBus().request(BillingBus.SETTLE_LEASED,
          new LeasedHold(LEASE, 10_000).settleJson(report("r" + i, 3_000))));
    }
    result(Future.all(settles));
    // a replay of a settle charges nothing more, alone or twice in one group
    JsonObject replay = call(BillingBus.SETTLE_LEASED, new LeasedHold(LEASE, 10_000).settleJson(report("r0", 3_000)));
    assertThat(replay.getBoolean("replayed")).isTrue();
    List<Future<Message<JsonObject>>> twice = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      twice.add(vertx.eventBus().request(BillingBus.SETTLE_LEASED,
          new LeasedHold(LEASE, 10_000).settleJson(report("r19", 3_000))));
    }
    result(Future.all(twice));
    assertThat(twice).allSatisfy(settle -> assertThat(settle.result().body().getBoolean("replayed")).isTrue());
    assertThat(result(vertx.eventBus().<JsonObject>request(BillingBus.USAGE, new JsonObject()
        .put("account_id", ACCOUNT))).body().getJsonArray("data")).hasSize(20);
    // a new request settled twice at once (the second may share its group): charged once
    List<Future<Message<JsonObject>>> raced = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      raced.add(vertx.eventBus().request(BillingBus.SETTLE_LEASED,
          new LeasedHold(LEASE, 10_000).settleJson(report("raced", 0))));
    }
    result(Future.all(raced));
    assertThat(raced.stream().filter(settle -> !settle.result().body().getBoolean("replayed")).count()).isEqualTo(1);

    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(1_000_000 - 20 * 3_000);
    assertThat(balance.getLong("held_micros")).isEqualTo(200_000 - 20 * 3_000);
    assertThat(leaseAmount()).isEqualTo(200_000 - 20 * 3_000);

    // past what the lease holds, cash pays the rest (debt only if the balance runs out)
    call(BillingBus.SETTLE_LEASED, new LeasedHold(LEASE, 10_000).settleJson(report("big", 150_000)));
    balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(1_000_000 - 60_000 - 150_000);
    assertThat(balance.getLong("held_micros")).isZero();
    assertThat(leaseAmount()).isZero();
  }

  @Test
  @DisplayName("a lease is given back in part or whole, renewed while used, and swept at its expiry when nobody renews it")
  void returnRenewAndSweep() {
    Vertx sweeping = Vertx.vertx();
    try {
      BillingDeployment.deploy(sweeping, TestServices.env().with("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 1));
      vertx = sweeping;
      topUp(1_000_000);
      take(LEASE, 200_000, 1, false);
      assertThat(call(BillingBus.LEASES_RETURN, new JsonObject().put("lease_id", LEASE).put("amount_micros", 50_000))
          .getLong("returned_micros")).isEqualTo(50_000);
      assertThat(balance().getLong("held_micros")).isEqualTo(150_000);
      assertThat(call(BillingBus.LEASES_RETURN, new JsonObject().put("lease_id", LEASE))
          .getLong("returned_micros")).isEqualTo(150_000);
      assertThat(balance().getLong("held_micros")).isZero();
      assertThat(call(BillingBus.LEASES_RENEW, new JsonObject().put("lease_ids", new JsonArray().add(LEASE))
          .put("life_seconds", 60)).getJsonArray("leases")).isEmpty();

      String dying = "lease:router-dead:9:1";
      assertThat(result(vertx.eventBus().<JsonObject>request(BillingBus.LEASES_TAKE,
          new LeaseTake(dying, ACCOUNT, 100_000, 1, 1, false).toJson())).body().getString("outcome"))
          .isEqualTo("granted");
      assertThat(balance().getLong("held_micros")).isEqualTo(100_000);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(balance().getLong("held_micros")).isZero());
      assertThat(balance().getLong("balance_micros")).isEqualTo(1_000_000);
      assertThat(call(BillingBus.LEASES_RENEW, new JsonObject().put("lease_ids", new JsonArray().add(dying))
          .put("life_seconds", 60)).getJsonArray("leases")).isEmpty();
    } finally {
      result(sweeping.close());
    }
  }

  @Test
  @DisplayName("vouchers are pots in the scheme: the pot paying a model first is leased, the voucher pays each request "
      + "up to its hold and cash the rest, a revoked voucher's lease is not renewed and cash pays; exact throughout")
  void vouchersArePotsInTheScheme() {
    topUp(1_000_000);
    long voucher = grantVoucher(400_000, "m*", null);
    grantVoucher(50_000, "other-soon", OffsetDateTime.now().plusSeconds(30));
    assertThat(pot("m-1")).isEqualTo(new LeasePot(LeasePot.Outcome.VOUCHER, voucher));
    assertThat(pot("unvouchered")).isEqualTo(new LeasePot(LeasePot.Outcome.CASH, null));
    // a voucher ending before a lease would is held per request, and cannot be leased
    LeasePot soon = pot("other-soon");
    assertThat(soon.outcome()).isEqualTo(LeasePot.Outcome.EXPIRING);
    assertThat(takePot(POT + "soon", soon.voucherId(), 10_000, false).outcome()).isEqualTo(LeaseGrant.Outcome.GONE);
    // only a pot lease may rest on a voucher
    assertThat(failure(vertx.eventBus().request(BillingBus.LEASES_TAKE, new LeaseTake(LEASE, ACCOUNT, 1_000, 1, 60,
        false, voucher).toJson())).getMessage()).contains("voucher_id");

    assertThat(takePot(POT + "v", voucher, 200_000, false)).isEqualTo(new LeaseGrant(LeaseGrant.Outcome.GRANTED,
        100_000));
    assertThat(takePot(POT + "cash", null, 100_000, false)).isEqualTo(new LeaseGrant(LeaseGrant.Outcome.GRANTED,
        100_000));
    assertThat(voucherRow(voucher, "held_micros")).isEqualTo(100_000);
    assertThat(balance().getLong("held_micros")).isEqualTo(100_000);

    List<Future<Message<JsonObject>>> settles = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      settles.add(vertx.eventBus().request(BillingBus.SETTLE_LEASED,
          new LeasedHold(POT + "v", 10_000).settleJson(report("v" + i, 3_000))));
    }
    settles.add(vertx.eventBus().request(BillingBus.SETTLE_LEASED,
        new LeasedHold(POT + "v", 10_000).settleJson(report("v-overrun", 15_000))));
    settles.add(vertx.eventBus().request(BillingBus.SETTLE_LEASED,
        new LeasedHold(POT + "cash", 10_000).settleJson(report("c0", 4_000))));
    result(Future.all(settles));
    assertThat(call(BillingBus.SETTLE_LEASED, new LeasedHold(POT + "v", 10_000).settleJson(report("v0", 3_000)))
        .getBoolean("replayed")).isTrue();

    // the voucher paid 10 × 3,000 and 10,000 of the overrun's 15,000; cash 5,000 of it and the cash request's 4,000
    assertThat(voucherRow(voucher, "remaining_micros")).isEqualTo(400_000 - 40_000);
    assertThat(voucherRow(voucher, "held_micros")).isEqualTo(100_000 - 40_000);
    assertThat(balance().getLong("balance_micros")).isEqualTo(1_000_000 - 9_000);
    assertThat(balance().getLong("held_micros")).isEqualTo(100_000 - 4_000);
    assertThat(sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' AND voucher_id = "
        + voucher)).isEqualTo(40_000);
    assertThat(sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' AND "
        + "voucher_id IS NULL AND account_id = " + ACCOUNT)).isEqualTo(9_000);
    assertThat(sql("SELECT SUM(cost_micros) FROM billing.usage WHERE account_id = " + ACCOUNT)).isEqualTo(49_000);

    // given back in part: it leaves the voucher's held amount
    assertThat(call(BillingBus.LEASES_RETURN, new JsonObject().put("lease_id", POT + "v").put("amount_micros", 20_000))
        .getLong("returned_micros")).isEqualTo(20_000);
    assertThat(voucherRow(voucher, "held_micros")).isEqualTo(40_000);

    // revoked: its lease is not renewed, and a request still placed on it is charged to cash
    call(BillingBus.VOUCHERS_REVOKE, new JsonObject().put("voucher_id", voucher));
    assertThat(call(BillingBus.LEASES_RENEW, new JsonObject().put("lease_ids", new JsonArray().add(POT + "v")
        .add(POT + "cash")).put("life_seconds", 60)).getJsonArray("leases")).containsExactly(POT + "cash");
    call(BillingBus.SETTLE_LEASED, new LeasedHold(POT + "v", 10_000).settleJson(report("after-revoke", 3_000)));
    assertThat(balance().getLong("balance_micros")).isEqualTo(1_000_000 - 12_000);
    assertThat(call(BillingBus.LEASES_RETURN, new JsonObject().put("lease_id", POT + "v"))
        .getLong("returned_micros")).isEqualTo(40_000);
    assertThat(voucherRow(voucher, "held_micros")).isZero();
    assertThat(call(BillingBus.LEASES_RETURN, new JsonObject().put("lease_id", POT + "cash"))
        .getLong("returned_micros")).isEqualTo(96_000);
    assertThat(balance().getLong("held_micros")).isZero();
  }

  private LeasePot pot(String model) {
    return LeasePot.fromJson(call(BillingBus.LEASES_POT, new JsonObject().put("account_id", ACCOUNT)
        .put("model", model).put("life_seconds", 60)));
  }

  private LeaseGrant takePot(String lease, Long voucher, long amount, boolean grow) {
    return LeaseGrant.fromJson(call(BillingBus.LEASES_TAKE,
        new LeaseTake(lease, ACCOUNT, amount, 1, 60, grow, voucher).toJson()));
  }

  private long grantVoucher(long micros, String models, OffsetDateTime expiresAt) {
    return call(BillingBus.VOUCHERS_GRANT, new JsonObject().put("account_id", ACCOUNT).put("amount_micros", micros)
        .put("models", new JsonArray().add(models))
        .put("expires_at", expiresAt == null ? null : expiresAt.toInstant().toString())).getLong("id");
  }

  private long voucherRow(long voucher, String column) {
    return sql("SELECT " + column + " FROM billing.vouchers WHERE id = " + voucher);
  }

  private long sql(String query) {
    return result(pg.query(query).execute()).iterator().next().getLong(0);
  }

  private LeaseGrant take(String lease, long amount, long min, boolean grow) {
    return LeaseGrant.fromJson(call(BillingBus.LEASES_TAKE,
        new LeaseTake(lease, ACCOUNT, amount, min, 60, grow).toJson()));
  }

  private long leaseAmount() {
    // the lease's own row, read back through the renewal that reports it alive, and its amount via the balance
    JsonObject alive = call(BillingBus.LEASES_RENEW, new JsonObject().put("lease_ids", new JsonArray().add(LEASE))
        .put("life_seconds", 60));
    assertThat(alive.getJsonArray("leases")).containsExactly(LEASE);
    return balance().getLong("held_micros"); // the only hold on the account
  }

  private static UsageReport report(String requestId, long cost) {
    return new UsageReport(requestId, ACCOUNT, 90, "m", "c", new Usage(10, 0, 0, 5, 0), cost,
        RequestOutcome.COMPLETED, 3, 1, null);
  }

  private void topUp(long micros) {
    call(BillingBus.TOPUP, new JsonObject().put("account_id", ACCOUNT).put("amount_micros", micros));
  }

  private JsonObject balance() {
    return call(BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT));
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }
}
