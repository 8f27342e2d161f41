package gateway.billing;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.PgDatabase;
import gateway.common.config.Env;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.testsupport.TestServices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CreditLedgerTest {
  private static final long ACCOUNT = 7;
  private static final long KEY = 70;

  private Vertx vertx;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    deployWith(vertx, TestServices.env());
  }

  static void deployWith(Vertx vertx, Env env) {
    BillingDeployment.deploy(vertx, env);
  }

  @Test
  @DisplayName("a top-up that would take the balance past 2^63 - 1 µcr is a 409 and changes nothing")
  void balanceOverflowIsAConflict() {
    call(BillingBus.TOPUP, topUp(5_000_000_000_000_000_000L, null));
    ReplyException overflow = (ReplyException) failure(request(BillingBus.TOPUP,
        topUp(5_000_000_000_000_000_000L, null)));
    assertThat(overflow.failureCode()).isEqualTo(409);
    assertThat(overflow.getMessage()).contains("balance");
    assertThat(call(BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT)).getLong("balance_micros"))
        .isEqualTo(5_000_000_000_000_000_000L);
  }

  @Test
  @DisplayName("a top-up with an idempotency key counts once; the same key with another amount is a conflict")
  void topUpIsIdempotent() {
    JsonObject first = call(BillingBus.TOPUP, topUp(10_000_000, "order-1"));
    JsonObject replay = call(BillingBus.TOPUP, topUp(10_000_000, "order-1"));
    assertThat(first.getLong("balance_micros")).isEqualTo(10_000_000);
    assertThat(replay.getLong("balance_micros")).isEqualTo(10_000_000);
    assertThat(replay.getBoolean("replayed")).isTrue();

    ReplyException conflict = (ReplyException) failure(request(BillingBus.TOPUP, topUp(5_000_000, "order-1")));
    assertThat(conflict.failureCode()).isEqualTo(409);
    assertThat(balance().getLong("balance_micros")).isEqualTo(10_000_000);
  }

  @Test
  @DisplayName("a hold the balance cannot cover is refused with 402 and changes nothing")
  void reserveRefusesWhatTheBalanceCannotCover() {
    call(BillingBus.TOPUP, topUp(1_000, null));
    ReplyException refused = (ReplyException) failure(request(BillingBus.RESERVE, hold("r1", 1_001).toJson()));
    assertThat(refused.failureCode()).isEqualTo(402);
    assertThat(refused.getMessage()).startsWith("insufficient_credits");
    assertThat(balance().getLong("held_micros")).isZero();
  }

  @Test
  @DisplayName("settle charges the cost once, drops the hold and writes one usage row; a replay charges nothing more")
  void settleChargesExactlyOnce() {
    call(BillingBus.TOPUP, topUp(5_000_000, null));
    call(BillingBus.RESERVE, hold("r1", 2_000_000).toJson());
    assertThat(balance().getLong("held_micros")).isEqualTo(2_000_000);

    JsonObject settled = call(BillingBus.SETTLE, report("r1", 1_234_567, RequestOutcome.COMPLETED).toJson());
    JsonObject replayed = call(BillingBus.SETTLE, report("r1", 1_234_567, RequestOutcome.COMPLETED).toJson());

    assertThat(settled.getLong("charged_micros")).isEqualTo(1_234_567);
    assertThat(replayed.getBoolean("replayed")).isTrue();
    assertThat(replayed.getLong("charged_micros")).isEqualTo(1_234_567);
    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(5_000_000 - 1_234_567);
    assertThat(balance.getLong("held_micros")).isZero();
    JsonObject usage = call(BillingBus.USAGE, new JsonObject().put("account_id", ACCOUNT));
    assertThat(usage.getJsonArray("data")).hasSize(1);
    assertThat(usage.getJsonArray("data").getJsonObject(0).getLong("cost_micros")).isEqualTo(1_234_567);
  }

  @Test
  @DisplayName("a batch of settles charges each once and answers each on its own, a replay and a broken one too")
  void settleBatchChargesEachOnce() {
    call(BillingBus.TOPUP, topUp(5_000_000, null));
    call(BillingBus.RESERVE, hold("r1", 2_000_000).toJson());
    call(BillingBus.RESERVE, hold("r2", 2_000_000).toJson());
    call(BillingBus.SETTLE, report("r3", 100, RequestOutcome.COMPLETED).toJson());

    JsonObject answer = call(BillingBus.SETTLE_BATCH, new JsonObject().put("settles", new io.vertx.core.json.JsonArray()
        .add(report("r1", 1_000_000, RequestOutcome.COMPLETED).toJson())
        .add("not a settle")
        .add(report("r2", 300_000, RequestOutcome.COMPLETED).toJson())
        .add(report("r3", 100, RequestOutcome.COMPLETED).toJson())));

    io.vertx.core.json.JsonArray results = answer.getJsonArray("results");
    assertThat(results).hasSize(4);
    assertThat(results.getJsonObject(0).getLong("charged_micros")).isEqualTo(1_000_000);
    assertThat(results.getJsonObject(1).getInteger("failure_status")).isEqualTo(400);
    assertThat(results.getJsonObject(1).getString("failure")).startsWith("invalid_value@settles: ");
    assertThat(results.getJsonObject(2).getLong("charged_micros")).isEqualTo(300_000);
    assertThat(results.getJsonObject(3).getBoolean("replayed")).isTrue();
    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(5_000_000 - 1_000_000 - 300_000 - 100);
    assertThat(balance.getLong("held_micros")).isZero();
    assertThat(call(BillingBus.USAGE, new JsonObject().put("account_id", ACCOUNT)).getJsonArray("data")).hasSize(3);
  }

  @Test
  @DisplayName("a reserve replayed after its settle is a conflict, not a second hold")
  void reserveAfterSettleIsAConflict() {
    call(BillingBus.TOPUP, topUp(5_000_000, null));
    call(BillingBus.RESERVE, hold("r1", 1_000).toJson());
    assertThat(call(BillingBus.RESERVE, hold("r1", 1_000).toJson()).getLong("hold_micros")).isEqualTo(1_000);
    assertThat(balance().getLong("held_micros")).isEqualTo(1_000);
    call(BillingBus.SETTLE, report("r1", 500, RequestOutcome.COMPLETED).toJson());
    ReplyException conflict = (ReplyException) failure(request(BillingBus.RESERVE, hold("r1", 1_000).toJson()));
    assertThat(conflict.failureCode()).isEqualTo(409);
  }

  @Test
  @DisplayName("a failed request is released free of charge and recorded once; a later settle cannot charge it")
  void releaseIsFree() {
    call(BillingBus.TOPUP, topUp(5_000_000, null));
    call(BillingBus.RESERVE, hold("r1", 2_000_000).toJson());
    JsonObject released = call(BillingBus.RELEASE, report("r1", 0, RequestOutcome.FAILED).toJson());
    call(BillingBus.RELEASE, report("r1", 0, RequestOutcome.FAILED).toJson());
    JsonObject lateSettle = call(BillingBus.SETTLE, report("r1", 999, RequestOutcome.COMPLETED).toJson());

    assertThat(released.getLong("released_micros")).isEqualTo(2_000_000);
    assertThat(lateSettle.getBoolean("replayed")).isTrue();
    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(5_000_000);
    assertThat(balance.getLong("held_micros")).isZero();
    JsonObject row = call(BillingBus.USAGE, new JsonObject().put("account_id", ACCOUNT)).getJsonArray("data")
        .getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo("failed");
    assertThat(row.getLong("cost_micros")).isZero();
  }

  @Test
  @DisplayName("a cost above the hold is charged in full: the balance goes below zero by the overrun only, the "
      + "usage row shows the hold, and the account's next hold is refused with 402")
  void overrunIsChargedAsDebt() {
    call(BillingBus.TOPUP, topUp(1_000, null));
    call(BillingBus.RESERVE, hold("r1", 600).toJson());
    call(BillingBus.RESERVE, hold("r2", 300).toJson());

    JsonObject settled = call(BillingBus.SETTLE, report("r1", 5_000, RequestOutcome.COMPLETED).toJson());

    assertThat(settled.getLong("charged_micros")).isEqualTo(5_000);
    assertThat(balance().getLong("balance_micros")).isEqualTo(1_000 - 5_000);
    // r2's hold was set aside before the overrun: it still settles in full.
    assertThat(call(BillingBus.SETTLE, report("r2", 300, RequestOutcome.COMPLETED).toJson())
        .getLong("charged_micros")).isEqualTo(300);
    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(1_000 - 5_000 - 300);
    assertThat(balance.getLong("held_micros")).isZero();
    JsonObject row = call(BillingBus.USAGE, new JsonObject().put("account_id", ACCOUNT)).getJsonArray("data")
        .stream().map(JsonObject.class::cast).filter(r -> r.getString("request_id").equals("r1")).findFirst()
        .orElseThrow();
    assertThat(row.getLong("cost_micros")).isEqualTo(5_000);
    assertThat(row.getLong("held_micros")).isEqualTo(600);

    ReplyException refused = (ReplyException) failure(request(BillingBus.RESERVE, hold("r3", 0).toJson()));
    assertThat(refused.failureCode()).isEqualTo(402);
    call(BillingBus.TOPUP, topUp(4_300, null));
    assertThat(call(BillingBus.RESERVE, hold("r4", 0).toJson()).getLong("hold_micros")).isZero();
  }

  @Test
  @DisplayName("a settle whose model name and error carry NUL characters is stored and charged, not lost on retries")
  void settleWithNulCharactersIsCharged() {
    call(BillingBus.TOPUP, topUp(10_000, null));
    call(BillingBus.RESERVE, hold("r1", 4_100).toJson());
    UsageReport poisoned = new UsageReport("r1", ACCOUNT, KEY, "wild-\u0000", "c\u0000", new Usage(10, 0, 0, 5, 0),
        4_100, RequestOutcome.COMPLETED, 12, 1, "bad \u0000 text");

    JsonObject settled = call(BillingBus.SETTLE, poisoned.toJson());

    assertThat(settled.getLong("charged_micros")).isEqualTo(4_100);
    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(10_000 - 4_100);
    assertThat(balance.getLong("held_micros")).isZero();
    JsonObject row = call(BillingBus.USAGE, new JsonObject().put("account_id", ACCOUNT)).getJsonArray("data")
        .getJsonObject(0);
    assertThat(row.getString("model")).isEqualTo("wild-\uFFFD");
  }

  @Test
  @DisplayName("200 concurrent holds against a balance covering 50: exactly 50 are placed, and settling them all "
      + "drops the balance by the sum of their charges")
  void concurrentReservesNeverOverspend() {
    call(BillingBus.TOPUP, topUp(50 * 10_000, null));
    List<Future<Message<JsonObject>>> reserves = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String id = "req-" + UUID.randomUUID();
      ids.add(id);
      reserves.add(request(BillingBus.RESERVE, hold(id, 10_000).toJson()));
    }
    result(Future.join(reserves).transform(done -> Future.succeededFuture()));
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < reserves.size(); i++) {
      if (reserves.get(i).succeeded()) {
        placed.add(ids.get(i));
      } else {
        assertThat(((ReplyException) reserves.get(i).cause()).failureCode()).isEqualTo(402);
      }
    }
    assertThat(placed).hasSize(50);

    List<Future<Message<JsonObject>>> settles = new ArrayList<>();
    for (int i = 0; i < placed.size(); i++) {
      settles.add(request(BillingBus.SETTLE, report(placed.get(i), 7_000 + i, RequestOutcome.COMPLETED).toJson()));
    }
    result(Future.all(settles));
    long charged = 0;
    for (Future<Message<JsonObject>> s : settles) {
      charged += s.result().body().getLong("charged_micros");
    }
    JsonObject balance = balance();
    assertThat(balance.getLong("held_micros")).isZero();
    assertThat(balance.getLong("balance_micros")).isEqualTo(500_000 - charged);
    assertThat(charged).isEqualTo(50 * 7_000 + (49 * 50) / 2);
  }

  @Test
  @DisplayName("settles that arrive together commit together, and a replay among them fails none of the others")
  void batchedSettlesWithAReplay() {
    call(BillingBus.TOPUP, topUp(5_000_000, null));
    for (int i = 0; i < 10; i++) {
      call(BillingBus.RESERVE, hold("b" + i, 10_000).toJson());
    }
    call(BillingBus.SETTLE, report("b0", 1_000, RequestOutcome.COMPLETED).toJson());
    List<Future<Message<JsonObject>>> settles = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      settles.add(request(BillingBus.SETTLE, report("b" + i, 1_000, RequestOutcome.COMPLETED).toJson()));
    }
    result(Future.all(settles));
    assertThat(settles.get(0).result().body().getBoolean("replayed")).isTrue();
    assertThat(settles.subList(1, 10)).allSatisfy(s -> assertThat(s.result().body().getBoolean("replayed")).isFalse());
    JsonObject balance = balance();
    assertThat(balance.getLong("balance_micros")).isEqualTo(5_000_000 - 10 * 1_000);
    assertThat(balance.getLong("held_micros")).isZero();
  }

  @Test
  @DisplayName("a replay inside a settle group is answered as a replay with the first charge, and the group is not "
      + "redone one settle at a time")
  void replayInAGroupDoesNotRedoTheGroup() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Metrics.addRegistry(meters);
    try {
      call(BillingBus.TOPUP, topUp(5_000_000, null));
      for (int i = 0; i < 10; i++) {
        call(BillingBus.RESERVE, hold("g" + i, 10_000).toJson());
      }
      call(BillingBus.SETTLE, report("g5", 2_500, RequestOutcome.COMPLETED).toJson());
      List<Future<Message<JsonObject>>> settles = new ArrayList<>();
      for (int i = 0; i < 10; i++) { // g0 commits alone, the nine behind it (g5 among them) go as one group
        settles.add(request(BillingBus.SETTLE, report("g" + i, 1_000, RequestOutcome.COMPLETED).toJson()));
      }
      result(Future.all(settles));

      JsonObject replay = settles.get(5).result().body();
      assertThat(replay.getBoolean("replayed")).isTrue();
      assertThat(replay.getLong("charged_micros")).as("what the first settle charged").isEqualTo(2_500);
      for (int i = 0; i < 10; i++) {
        if (i != 5) {
          assertThat(settles.get(i).result().body().getBoolean("replayed")).as("g" + i).isFalse();
        }
      }
      assertThat(redoneGroups(meters)).as("no group failed on the replay").isZero();
      JsonObject balance = balance();
      assertThat(balance.getLong("balance_micros")).isEqualTo(5_000_000 - 2_500 - 9 * 1_000);
      assertThat(balance.getLong("held_micros")).isZero();
    } finally {
      Metrics.removeRegistry(meters);
    }
  }

  @Test
  @DisplayName("two billing instances settling the same requests at once (a retry racing its original): each request "
      + "is charged once, both copies are answered with that charge, and no group is redone")
  void retriesRacingTheirOriginalsAcrossInstances() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Metrics.addRegistry(meters);
    Vertx twoInstances = Vertx.vertx();
    try {
      BillingConfig config = BillingConfig.fromEnv(TestServices.env());
      PgDatabase.migrate(config.pg(), BillingVerticle.SCHEMA);
      result(twoInstances.deployVerticle(() -> new BillingVerticle(config), new DeploymentOptions().setInstances(2)));
      int requests = 200;
      long start = 10_000_000;
      call(twoInstances, BillingBus.TOPUP, topUp(start, null));
      for (int i = 0; i < requests; i++) {
        call(twoInstances, BillingBus.RESERVE, hold("race" + i, 10_000).toJson());
      }
      List<Future<Message<JsonObject>>> settles = new ArrayList<>();
      for (int i = 0; i < requests; i++) { // the bus hands consecutive sends to the two instances in turn
        for (int copy = 0; copy < 2; copy++) {
          settles.add(twoInstances.eventBus().request(BillingBus.SETTLE,
              report("race" + i, 1_000 + i, RequestOutcome.COMPLETED).toJson()));
        }
      }
      result(Future.all(settles));

      long charged = 0;
      for (int i = 0; i < requests; i++) {
        JsonObject first = settles.get(2 * i).result().body();
        JsonObject second = settles.get(2 * i + 1).result().body();
        assertThat(List.of(first.getBoolean("replayed"), second.getBoolean("replayed")))
            .as("race" + i + ": charged by one copy, a replay for the other").containsExactlyInAnyOrder(false, true);
        assertThat(first.getLong("charged_micros")).isEqualTo(1_000 + i);
        assertThat(second.getLong("charged_micros")).isEqualTo(1_000 + i);
        charged += 1_000 + i;
      }
      JsonObject balance = call(twoInstances, BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT));
      assertThat(balance.getLong("balance_micros")).isEqualTo(start - charged);
      assertThat(balance.getLong("held_micros")).isZero();
      assertThat(redoneGroups(meters)).as("no group failed on a racing copy").isZero();
    } finally {
      result(twoInstances.close());
      Metrics.removeRegistry(meters);
    }
  }

  private static double redoneGroups(SimpleMeterRegistry meters) {
    Counter redone = meters.find("gateway.ledger.groups.redone").counter();
    return redone == null ? 0 : redone.count();
  }

  @Test
  @DisplayName("holds older than the maximum age are released by the sweeper")
  void sweeperReleasesExpiredHolds() {
    Vertx otherVertx = Vertx.vertx();
    try {
      sweepExpiredHolds(otherVertx);
    } finally {
      result(otherVertx.close());
    }
  }

  private void sweepExpiredHolds(Vertx otherVertx) {
    deployWith(otherVertx, TestServices.env().with("GATEWAY_HOLD_MAX_AGE_SECONDS", 0)
        .with("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 1));
    call(otherVertx, BillingBus.TOPUP, topUp(1_000_000, null));
    call(otherVertx, BillingBus.RESERVE, hold("r1", 400_000).toJson());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(call(otherVertx, BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT))
            .getLong("held_micros")).isZero());
    assertThat(call(otherVertx, BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT))
        .getLong("balance_micros")).isEqualTo(1_000_000);
  }

  @Test
  @DisplayName("a hold with its own life (a video job's) outlives the sweeper's maximum age, and is swept once that life is over")
  void holdsWithTheirOwnLife() {
    Vertx otherVertx = Vertx.vertx();
    try {
      deployWith(otherVertx, TestServices.env().with("GATEWAY_HOLD_MAX_AGE_SECONDS", 0)
          .with("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 1));
      call(otherVertx, BillingBus.TOPUP, topUp(1_000_000, null));
      call(otherVertx, BillingBus.RESERVE, new Hold("job", ACCOUNT, KEY, "m", 300_000, null, true, 3600L).toJson());
      call(otherVertx, BillingBus.RESERVE, hold("request", 100_000).toJson());
      call(otherVertx, BillingBus.RESERVE, new Hold("short-job", ACCOUNT, KEY, "m", 50_000, null, true, 1L).toJson());
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(call(otherVertx, BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT))
              .getLong("held_micros")).isEqualTo(300_000));
      call(otherVertx, BillingBus.SETTLE, report("job", 200_000, RequestOutcome.COMPLETED).toJson());
      JsonObject after = call(otherVertx, BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT));
      assertThat(after.getLong("held_micros")).isZero();
      assertThat(after.getLong("balance_micros")).isEqualTo(800_000);
    } finally {
      result(otherVertx.close());
    }
  }

  private static JsonObject topUp(long micros, String idempotencyKey) {
    return new JsonObject().put("account_id", ACCOUNT).put("amount_micros", micros)
        .put("idempotency_key", idempotencyKey);
  }

  private static Hold hold(String requestId, long micros) {
    return new Hold(requestId, ACCOUNT, KEY, "m", micros);
  }

  private static UsageReport report(String requestId, long cost, RequestOutcome outcome) {
    return new UsageReport(requestId, ACCOUNT, KEY, "m", "c", new Usage(10, 0, 0, 5, 0), cost, outcome, 12, 1, null);
  }

  private JsonObject balance() {
    return call(BillingBus.BALANCE, new JsonObject().put("account_id", ACCOUNT));
  }

  private JsonObject call(String address, JsonObject body) {
    return call(vertx, address, body);
  }

  private static JsonObject call(Vertx vertx, String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  private Future<Message<JsonObject>> request(String address, JsonObject body) {
    return vertx.eventBus().request(address, body);
  }
}
