package gateway.billing;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.PgUrl;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.testsupport.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Vouchers as pots of the ledger: granted, held and charged in order, expired and revoked, each a ledger row. */
@ExtendWith(VertxExtension.class)
class VouchersTest {
  private static final long ACCOUNT = 9;
  private static final long KEY = 90;

  private Vertx vertx;
  private BillingConfig config;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    config = BillingDeployment.deploy(vertx, TestServices.env().with("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 1));
  }

  @Test
  @DisplayName("a granted voucher is a ledger row and shows in the list and the balance; the same idempotency key "
      + "grants once")
  void grantIsRecordedOnce() {
    JsonObject first = grant(3_000_000, List.of("gpt-*"), null, "grant-1");
    JsonObject again = grant(3_000_000, List.of("gpt-*"), null, "grant-1");

    assertThat(again.getLong("id")).isEqualTo(first.getLong("id"));
    assertThat(again.getBoolean("replayed")).isTrue();
    assertThat(call(BillingBus.VOUCHERS_LIST, account()).getJsonArray("data")).hasSize(1);
    assertThat(call(BillingBus.BALANCE, account()).getLong("voucher_remaining_micros")).isEqualTo(3_000_000);
    assertThat(sql("SELECT sum(amount_micros) FROM billing.ledger WHERE kind = 'voucher_grant'")).isEqualTo(3_000_000);
  }

  @Test
  @DisplayName("a request for a covered model is held and charged from the soonest-expiring voucher, then the next, "
      + "then cash, each movement a ledger row; an uncovered model pays from cash only")
  void potsPayInOrder() {
    topUp(10_000_000);
    long later = grant(1_000, List.of("gpt-*"), OffsetDateTime.now().plusDays(30), null).getLong("id");
    long sooner = grant(500, List.of("gpt-4o"), OffsetDateTime.now().plusDays(1), null).getLong("id");
    long otherModel = grant(5_000, List.of("claude-*"), null, null).getLong("id");

    hold("r1", "gpt-4o", 2_000, null, true);
    assertThat(voucher(sooner).getLong("held_micros")).isEqualTo(500);
    assertThat(voucher(later).getLong("held_micros")).isEqualTo(1_000);
    assertThat(call(BillingBus.BALANCE, account()).getLong("held_micros")).isEqualTo(500);

    settle("r1", "gpt-4o", 1_700);

    assertThat(voucher(sooner).getLong("remaining_micros")).isZero();
    assertThat(voucher(later).getLong("remaining_micros")).isZero();
    assertThat(voucher(otherModel).getLong("remaining_micros")).isEqualTo(5_000);
    JsonObject balance = call(BillingBus.BALANCE, account());
    assertThat(balance.getLong("balance_micros")).isEqualTo(10_000_000 - 200);
    assertThat(balance.getLong("held_micros")).isZero();
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND request_id = 'r1'")).isEqualTo(3);
    assertThat(sql("SELECT -sum(amount_micros) FROM billing.ledger WHERE kind = 'charge'")).isEqualTo(1_700);

    hold("r2", "mistral-large", 300, null, true);
    settle("r2", "mistral-large", 300);
    assertThat(voucher(otherModel).getLong("remaining_micros")).isEqualTo(5_000);
    assertThat(call(BillingBus.BALANCE, account()).getLong("balance_micros")).isEqualTo(10_000_000 - 500);
  }

  @Test
  @DisplayName("when only vouchers for other models could pay, the 402 says so; a key that spends only vouchers "
      + "gets 403 voucher_model_not_allowed for a model none of them covers")
  void refusalsNameTheReason() {
    grant(5_000, List.of("claude-*"), null, null);

    ReplyException uncovered = refusal(new Hold("r1", ACCOUNT, KEY, "gpt-4o", 100));
    assertThat(uncovered.failureCode()).isEqualTo(402);
    assertThat(uncovered.getMessage()).contains("vouchers do not cover").contains("gpt-4o");

    ReplyException notAllowed = refusal(new Hold("r2", ACCOUNT, KEY, "gpt-4o", 100, null, false));
    assertThat(notAllowed.failureCode()).isEqualTo(403);
    assertThat(notAllowed.getMessage()).startsWith("voucher_model_not_allowed");

    assertThat(call(BillingBus.RESERVE, new Hold("r3", ACCOUNT, KEY, "claude-opus", 100, null, false).toJson())
        .getLong("hold_micros")).isEqualTo(100);
    ReplyException tooMuch = refusal(new Hold("r4", ACCOUNT, KEY, "claude-opus", 10_000, null, false));
    assertThat(tooMuch.failureCode()).isEqualTo(402);
  }

  @Test
  @DisplayName("a key bound to one voucher spends only it, never another voucher or cash")
  void boundKeySpendsOnlyItsVoucher() {
    topUp(1_000_000);
    long bound = grant(1_000, List.of("*"), null, null).getLong("id");
    grant(1_000_000, List.of("*"), OffsetDateTime.now().plusHours(1), null);

    hold("r1", "any-model", 1_000, List.of(bound), false);
    assertThat(voucher(bound).getLong("held_micros")).isEqualTo(1_000);
    assertThat(refusal(new Hold("r2", ACCOUNT, KEY, "any-model", 1, List.of(bound), false)).failureCode())
        .isEqualTo(402);
  }

  @Test
  @DisplayName("a voucher that expires while a request holds it pays nothing: the charge falls to cash, and what "
      + "was left of the voucher is written off in the ledger")
  void voucherExpiringWhileHeld() {
    topUp(1_000_000);
    long expiring = grant(10_000, List.of("gpt-*"), OffsetDateTime.now().plusSeconds(2), null).getLong("id");
    hold("r1", "gpt-4o", 4_000, null, true);
    assertThat(voucher(expiring).getLong("held_micros")).isEqualTo(4_000);

    await().atMost(Duration.ofSeconds(15)).until(() -> "expired".equals(voucher(expiring).getString("status"))
        && sql("SELECT count(*) FROM billing.ledger WHERE kind = 'voucher_expiry'") == 1);
    settle("r1", "gpt-4o", 3_000);

    JsonObject after = voucher(expiring);
    assertThat(after.getLong("remaining_micros")).isZero();
    assertThat(after.getLong("held_micros")).isZero();
    assertThat(sql("SELECT -sum(amount_micros) FROM billing.ledger WHERE kind = 'voucher_expiry'")).isEqualTo(10_000);
    assertThat(call(BillingBus.BALANCE, account()).getLong("balance_micros")).isEqualTo(1_000_000 - 3_000);
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND voucher_id IS NOT NULL")).isZero();
  }

  @Test
  @DisplayName("a key that spends vouchers only is never charged to cash: when its voucher expires while held, the "
      + "request's cost is waived (priced, not charged) and the cash balance stays whole")
  void vouchersOnlyHoldNeverFallsToCash() {
    topUp(1_000_000);
    long expiring = grant(10_000, List.of("gpt-*"), OffsetDateTime.now().plusSeconds(2), null).getLong("id");
    hold("r1", "gpt-4o", 4_000, List.of(expiring), false);

    await().atMost(Duration.ofSeconds(15)).until(() -> "expired".equals(voucher(expiring).getString("status")));
    JsonObject settled = call(BillingBus.SETTLE, report("r1", "gpt-4o", 3_000).toJson());

    assertThat(settled.getLong("charged_micros")).isZero();
    assertThat(call(BillingBus.BALANCE, account()).getLong("balance_micros")).isEqualTo(1_000_000);
    assertThat(call(BillingBus.BALANCE, account()).getLong("held_micros")).isZero();
    assertThat(voucher(expiring).getLong("held_micros")).isZero();
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge'")).isZero();
    assertThat(sql("SELECT cost_micros FROM billing.usage WHERE request_id = 'r1'")).isZero();
    assertThat(sql("SELECT priced_micros FROM billing.usage WHERE request_id = 'r1'")).isEqualTo(3_000);
    // The same hold with cash allowed still falls to cash, as before.
    long second = grant(10_000, List.of("gpt-*"), OffsetDateTime.now().plusSeconds(2), null).getLong("id");
    hold("r2", "gpt-4o", 4_000, null, true);
    await().atMost(Duration.ofSeconds(15)).until(() -> "expired".equals(voucher(second).getString("status")));
    settle("r2", "gpt-4o", 3_000);
    assertThat(call(BillingBus.BALANCE, account()).getLong("balance_micros")).isEqualTo(1_000_000 - 3_000);
  }

  @Test
  @DisplayName("a vouchers-only charge past its hold is drawn from what is free on its vouchers, never from cash "
      + "and never from another request's hold; what they cannot pay is waived")
  void vouchersOnlyOverrunStaysOnVouchers() {
    topUp(1_000_000);
    long voucher = grant(5_000, List.of("*"), null, null).getLong("id");
    hold("r1", "m", 1_000, List.of(voucher), false);
    hold("other", "m", 3_000, List.of(voucher), false);

    JsonObject first = call(BillingBus.SETTLE, report("r1", "m", 1_500).toJson());
    assertThat(first.getLong("charged_micros")).isEqualTo(1_500);
    assertThat(voucher(voucher).getLong("remaining_micros")).isEqualTo(3_500);
    assertThat(voucher(voucher).getLong("held_micros")).isEqualTo(3_000);

    hold("r2", "m", 400, List.of(voucher), false);
    JsonObject second = call(BillingBus.SETTLE, report("r2", "m", 1_000).toJson());
    // r2 may use its 400 and the 100 nobody holds; the other request's 3,000 stays whole.
    assertThat(second.getLong("charged_micros")).isEqualTo(500);
    assertThat(voucher(voucher).getLong("remaining_micros")).isEqualTo(3_000);
    assertThat(voucher(voucher).getLong("held_micros")).isEqualTo(3_000);
    assertThat(sql("SELECT priced_micros - cost_micros FROM billing.usage WHERE request_id = 'r2'")).isEqualTo(500);
    assertThat(call(BillingBus.BALANCE, account()).getLong("balance_micros")).isEqualTo(1_000_000);
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND voucher_id IS NULL")).isZero();
  }

  @Test
  @DisplayName("revoking a voucher writes off what is unspent in the ledger; it pays nothing after")
  void revokeWritesOffTheRest() {
    long id = grant(10_000, List.of("*"), null, null).getLong("id");
    hold("r1", "m", 2_500, null, false);
    settle("r1", "m", 2_500);

    JsonObject revoked = call(BillingBus.VOUCHERS_REVOKE, new JsonObject().put("voucher_id", id));

    assertThat(revoked.getLong("written_off_micros")).isEqualTo(7_500);
    assertThat(revoked.getString("status")).isEqualTo("revoked");
    assertThat(sql("SELECT -sum(amount_micros) FROM billing.ledger WHERE kind = 'voucher_revoke'")).isEqualTo(7_500);
    assertThat(refusal(new Hold("r2", ACCOUNT, KEY, "m", 1, null, false)).failureCode()).isIn(402, 403);
    ReplyException unknown = (ReplyException) failure(request(BillingBus.VOUCHERS_REVOKE,
        new JsonObject().put("voucher_id", 999_999)));
    assertThat(unknown.failureCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("one voucher is read by its id, as the list shows it, before and after it is revoked; an unknown id is a 404")
  void getOneVoucher() {
    OffsetDateTime expires = OffsetDateTime.parse("2099-01-01T00:00:00Z");
    long id = grant(10_000, List.of("gpt-*", "m"), expires, null).getLong("id");
    hold("r1", "m", 2_500, null, false);
    settle("r1", "m", 2_500);

    JsonObject live = call(BillingBus.VOUCHERS_GET, new JsonObject().put("voucher_id", id));
    assertThat(live).isEqualTo(voucher(id));
    assertThat(live.getLong("remaining_micros")).isEqualTo(7_500);
    assertThat(live.getJsonArray("models")).containsExactly("gpt-*", "m");
    assertThat(live.getString("expires_at")).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(live.getString("status")).isEqualTo("active");
    call(BillingBus.VOUCHERS_REVOKE, new JsonObject().put("voucher_id", id));
    assertThat(call(BillingBus.VOUCHERS_GET, new JsonObject().put("voucher_id", id)).getString("status"))
        .isEqualTo("revoked");
    ReplyException unknown = (ReplyException) failure(request(BillingBus.VOUCHERS_GET,
        new JsonObject().put("voucher_id", 999_999)));
    assertThat(unknown.failureCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("malformed grants are 400s naming the field")
  void malformedGrants() {
    for (JsonObject bad : List.of(
        new JsonObject().put("account_id", ACCOUNT).put("amount_micros", 0).put("models", new JsonArray().add("*")),
        new JsonObject().put("account_id", ACCOUNT).put("amount_micros", 5).put("models", new JsonArray()),
        new JsonObject().put("account_id", ACCOUNT).put("amount_micros", 5).put("models", "gpt"),
        new JsonObject().put("account_id", ACCOUNT).put("amount_micros", 5).put("models", new JsonArray().add("a\u0000")),
        new JsonObject().put("account_id", ACCOUNT).put("amount_micros", 5).put("models", new JsonArray().add("*"))
            .put("expires_at", "tomorrow"))) {
      ReplyException refused = (ReplyException) failure(request(BillingBus.VOUCHERS_GRANT, bad));
      assertThat(refused.failureCode()).as(bad.encode()).isEqualTo(400);
    }
  }

  @Test
  @DisplayName("200 concurrent requests against cash and two vouchers for different models, at the edge of what "
      + "they cover: no pot goes below zero, and usage costs = the pots' total drop = ledger charges")
  void concurrentRequestsAtTheEdgeOfThePots() {
    topUp(50_000);
    long gpt = grant(40_000, List.of("gpt-*"), OffsetDateTime.now().plusDays(1), null).getLong("id");
    long claude = grant(30_000, List.of("claude-*"), null, null).getLong("id");
    List<String> models = List.of("gpt-4o", "claude-sonnet", "llama-3");
    List<Future<?>> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String id = "c" + i;
      String model = models.get(i % 3);
      long amount = 1_000 + ThreadLocalRandom.current().nextLong(1_000);
      long cost = amount - ThreadLocalRandom.current().nextLong(500);
      requests.add(vertx.eventBus().<JsonObject>request(BillingBus.RESERVE,
              new Hold(id, ACCOUNT, KEY, model, amount).toJson())
          .compose(held -> vertx.eventBus().request(BillingBus.SETTLE, report(id, model, cost).toJson()))
          .recover(refused -> Future.succeededFuture()));
    }
    result(Future.join(requests));

    long cashLeft = call(BillingBus.BALANCE, account()).getLong("balance_micros");
    long gptLeft = voucher(gpt).getLong("remaining_micros");
    long claudeLeft = voucher(claude).getLong("remaining_micros");
    assertThat(cashLeft).isNotNegative();
    assertThat(gptLeft).isNotNegative();
    assertThat(claudeLeft).isNotNegative();
    long drop = (50_000 - cashLeft) + (40_000 - gptLeft) + (30_000 - claudeLeft);
    assertThat(drop).isGreaterThan(100_000);
    assertThat(sql("SELECT sum(cost_micros) FROM billing.usage")).isEqualTo(drop);
    assertThat(sql("SELECT -sum(amount_micros) FROM billing.ledger WHERE kind = 'charge'")).isEqualTo(drop);
    assertThat(sql("SELECT count(*) FROM billing.holds")).isZero();
    assertThat(sql("SELECT count(*) FROM billing.hold_parts")).isZero();
    assertThat(sql("SELECT COALESCE(sum(held_micros), 0) FROM billing.vouchers")).isZero();
    // Drawn in the stated order: within a request, its voucher is charged before cash...
    assertThat(sql("SELECT count(*) FROM billing.ledger c JOIN billing.ledger v USING (request_id) "
        + "WHERE c.kind = 'charge' AND v.kind = 'charge' AND c.voucher_id IS NULL AND v.voucher_id IS NOT NULL "
        + "AND c.id < v.id")).isZero();
    // ...and a covered request reached cash only once its voucher could no longer cover a hold (< 2,000 free then):
    // from then on the voucher only shrank, except by what settles gave back of holds (held - cost).
    for (long voucherId : List.of(gpt, claude)) {
      String pattern = voucherId == gpt ? "gpt-%" : "claude-%";
      long coveredFromCash = sql("SELECT count(*) FROM billing.ledger l JOIN billing.usage u USING (request_id) "
          + "WHERE l.kind = 'charge' AND l.voucher_id IS NULL AND u.model LIKE '" + pattern + "'");
      if (coveredFromCash > 0) {
        long givenBack = sql("SELECT COALESCE(sum(held_micros - cost_micros), 0) FROM billing.usage "
            + "WHERE model LIKE '" + pattern + "'");
        assertThat(voucher(voucherId).getLong("remaining_micros")).as("voucher %d", voucherId)
            .isLessThan(2_000 + givenBack);
      }
    }
    // Each voucher paid only for its own models.
    assertThat(sql("SELECT count(*) FROM billing.ledger l JOIN billing.usage u USING (request_id) "
        + "WHERE l.voucher_id = " + gpt + " AND u.model NOT LIKE 'gpt-%'")).isZero();
    assertThat(sql("SELECT count(*) FROM billing.ledger l JOIN billing.usage u USING (request_id) "
        + "WHERE l.voucher_id = " + claude + " AND u.model NOT LIKE 'claude-%'")).isZero();
  }

  @Test
  @DisplayName("100 concurrent vouchers-only requests, many costing more than they held, at the edge of their "
      + "voucher: the voucher never goes below zero, cash is never touched, usage costs = the voucher's drop = ledger "
      + "charges, and priced - charged is exactly what was waived")
  void concurrentVouchersOnlyRequestsAtTheEdge() {
    topUp(1_000_000);
    long voucher = grant(60_000, List.of("*"), null, null).getLong("id");
    List<Future<?>> requests = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String id = "v" + i;
      long amount = 500 + ThreadLocalRandom.current().nextLong(1_000);
      long cost = amount + ThreadLocalRandom.current().nextLong(-400, 600);
      requests.add(vertx.eventBus().<JsonObject>request(BillingBus.RESERVE,
              new Hold(id, ACCOUNT, KEY, "m", amount, List.of(voucher), false).toJson())
          .compose(held -> vertx.eventBus().request(BillingBus.SETTLE, report(id, "m", cost).toJson()))
          .recover(refused -> Future.succeededFuture()));
    }
    result(Future.join(requests));

    long left = voucher(voucher).getLong("remaining_micros");
    assertThat(left).isNotNegative();
    assertThat(call(BillingBus.BALANCE, account()).getLong("balance_micros")).isEqualTo(1_000_000);
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND voucher_id IS NULL")).isZero();
    long drop = 60_000 - left;
    assertThat(drop).isGreaterThan(50_000);
    assertThat(sql("SELECT sum(cost_micros) FROM billing.usage")).isEqualTo(drop);
    assertThat(sql("SELECT -sum(amount_micros) FROM billing.ledger WHERE kind = 'charge'")).isEqualTo(drop);
    assertThat(sql("SELECT count(*) FROM billing.usage WHERE cost_micros > priced_micros")).isZero();
    assertThat(sql("SELECT count(*) FROM billing.holds")).isZero();
    assertThat(voucher(voucher).getLong("held_micros")).isZero();
  }

  private JsonObject grant(long micros, List<String> models, OffsetDateTime expires, String key) {
    return call(BillingBus.VOUCHERS_GRANT, account().put("amount_micros", micros)
        .put("models", new JsonArray(new ArrayList<>(models)))
        .put("expires_at", expires == null ? null : expires.toString()).put("idempotency_key", key));
  }

  private JsonObject voucher(long id) {
    return call(BillingBus.VOUCHERS_LIST, account()).getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(v -> v.getLong("id") == id).findFirst().orElseThrow();
  }

  private void topUp(long micros) {
    call(BillingBus.TOPUP, account().put("amount_micros", micros));
  }

  private void hold(String request, String model, long micros, List<Long> vouchers, boolean cash) {
    call(BillingBus.RESERVE, new Hold(request, ACCOUNT, KEY, model, micros, vouchers, cash).toJson());
  }

  private void settle(String request, String model, long cost) {
    call(BillingBus.SETTLE, report(request, model, cost).toJson());
  }

  private static UsageReport report(String request, String model, long cost) {
    return new UsageReport(request, ACCOUNT, KEY, model, "c", new Usage(10, 0, 0, 5, 0), cost,
        RequestOutcome.COMPLETED, 1, 1, null);
  }

  private ReplyException refusal(Hold hold) {
    return (ReplyException) failure(request(BillingBus.RESERVE, hold.toJson()));
  }

  private static JsonObject account() {
    return new JsonObject().put("account_id", ACCOUNT);
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  private Future<Message<JsonObject>> request(String address, JsonObject body) {
    return vertx.eventBus().request(address, body);
  }

  private long sql(String query) {
    PgUrl url = PgUrl.parse(config.pg().url());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
