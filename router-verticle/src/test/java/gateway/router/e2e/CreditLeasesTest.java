package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.BillingBus;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Credit leases end to end: holds placed in the router's memory, every charge still exact in Postgres. */
@ExtendWith(VertxExtension.class)
class CreditLeasesTest {
  private static final String MODEL = "leased-model";
  // Output at 1,000 credits per million tokens: max_tokens 100 holds 100,000 µcr, and 100 tokens cost as much.
  private static final String BODY = new JsonObject().put("model", MODEL).put("max_tokens", 100)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  private static final long COST = 100_000;
  private static final String CASH_MODEL = "cash-model";
  private static final String CASH_BODY = BODY.replace(MODEL, CASH_MODEL);

  private GatewayUnderTest gateway;
  private final AtomicInteger reserves = new AtomicInteger();
  private final AtomicInteger leaseTakes = new AtomicInteger();
  /** Leases asked for on a voucher (pot leases on cash name none). */
  private final AtomicInteger voucherLeaseTakes = new AtomicInteger();

  private Customer start(Vertx vertx, String idleSeconds) {
    return start(vertx, idleSeconds, "64");
  }

  private Customer start(Vertx vertx, String idleSeconds, String holdsPerLease) {
    gateway = GatewayUnderTest.start(vertx, env -> env.with("GATEWAY_LEASE_IDLE_SECONDS", idleSeconds)
        .with("GATEWAY_LEASE_HOLDS", holdsPerLease));
    for (String model : List.of(MODEL, CASH_MODEL)) {
      gateway.openAiModel(model, model, GatewayUnderTest.price("0", "1000", null));
      gateway.fake.script(model, Behavior.reply("ok").usage(10, 100));
    }
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      String address = delivery.message().address();
      if (BillingBus.RESERVE.equals(address)) {
        reserves.incrementAndGet();
      } else if (BillingBus.LEASES_TAKE.equals(address)) {
        leaseTakes.incrementAndGet();
        if (((JsonObject) delivery.message().body()).getValue("voucher_id") != null) {
          voucherLeaseTakes.incrementAndGet();
        }
      }
      delivery.next();
    });
    return gateway.customer("1000", MODEL, CASH_MODEL);
  }

  @Test
  @DisplayName("a busy account's holds are placed against leases: few holds reach Postgres, every request is charged "
      + "once, held = the leases, and stopping the routers gives the leases back")
  void holdsArePlacedAgainstLeases(Vertx vertx) {
    Customer customer = start(vertx, "60");
    int requests = 300;
    callInBatches(customer, BODY, requests);

    assertThat(leaseTakes.get()).isPositive();
    // the first requests of each router instance are held in Postgres while its lease is asked for; then few are
    assertThat(reserves.get()).isLessThan(requests / 3);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == requests);
    long drop = 1_000_000_000L - gateway.balanceMicros(customer.accountId());
    assertThat(drop).isEqualTo(requests * COST);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(drop);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(drop);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(gateway.leasedMicros(customer.accountId())).isPositive();
    assertHeldIsTheHolds(customer);

    gateway.stopRouters();
    assertThat(gateway.leasedMicros(customer.accountId())).isZero();
    assertThat(gateway.sql("SELECT held_micros FROM billing.balances WHERE account_id = ?", customer.accountId()))
        .isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(1_000_000_000L - drop);
  }

  @Test
  @DisplayName("a voucher granted while a lease is out recalls the lease, and the next request is paid by the voucher")
  void aVoucherRecallsTheLease(Vertx vertx) {
    Customer customer = start(vertx, "60");
    RawHttp http = new RawHttp(gateway.v1());
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      assertThat(http.post("/chat/completions", customer.key(), BODY).statusCode()).isEqualTo(200);
      return gateway.leasedMicros(customer.accountId()) > 0;
    });

    gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/vouchers", new JsonObject()
        .put("amount_credits", "5").put("models", new JsonArray().add(MODEL)));
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.leasedMicros(customer.accountId()) == 0);
    long cash = gateway.balanceMicros(customer.accountId());

    assertThat(http.post("/chat/completions", customer.key(), BODY).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        gateway.sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' "
            + "AND voucher_id IS NOT NULL AND account_id = ?", customer.accountId()) == COST);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(cash);
    assertThat(gateway.leasedMicros(customer.accountId())).isZero();
    assertHeldIsTheHolds(customer);
  }

  @Test
  @DisplayName("a lease nothing is placed on for GATEWAY_LEASE_IDLE_SECONDS goes back while the router runs")
  void anIdleLeaseGoesBack(Vertx vertx) {
    Customer customer = start(vertx, "1");
    RawHttp http = new RawHttp(gateway.v1());
    for (int i = 0; i < 20; i++) {
      assertThat(http.post("/chat/completions", customer.key(), BODY).statusCode()).isEqualTo(200);
    }
    assertThat(leaseTakes.get()).isPositive();
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.usageRowCount(customer.accountId()) == 20
        && gateway.leasedMicros(customer.accountId()) == 0);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(1_000_000_000L - 20 * COST);
    assertThat(gateway.sql("SELECT held_micros FROM billing.balances WHERE account_id = ?", customer.accountId()))
        .isZero();
  }

  @Test
  @DisplayName("vouchers are pots in the scheme: a model a voucher covers is held against a lease on the voucher, "
      + "another against a lease on cash; few holds reach Postgres, each pot is charged exactly, and all goes back")
  void vouchersArePotsInTheScheme(Vertx vertx) {
    Customer customer = start(vertx, "60");
    long voucher = grantVoucher(customer, "100");
    int requests = 300;
    callInBatches(customer, BODY, requests);
    callInBatches(customer, CASH_BODY, requests);

    assertThat(reserves.get()).isLessThan(2 * requests / 3);
    assertThat(voucherLeaseTakes.get()).isPositive();
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == 2 * requests);
    // the voucher paid every request for the model it covers, cash every other one
    assertThat(voucherCharges(customer)).isEqualTo(requests * COST);
    assertThat(gateway.sql("SELECT remaining_micros FROM billing.vouchers WHERE id = ?", voucher))
        .isEqualTo(100_000_000L - requests * COST);
    assertThat(1_000_000_000L - gateway.balanceMicros(customer.accountId())).isEqualTo(requests * COST);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(2 * requests * COST);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(2 * requests * COST);
    assertThat(gateway.sql("SELECT COUNT(*) FROM billing.hold_parts WHERE request_id LIKE 'lease:pot:%'"))
        .isPositive();
    assertHeldIsTheHolds(customer);

    gateway.stopRouters();
    assertThat(gateway.leasedMicros(customer.accountId())).isZero();
    assertThat(gateway.sql("SELECT held_micros FROM billing.vouchers WHERE id = ?", voucher)).isZero();
    assertThat(gateway.sql("SELECT held_micros FROM billing.balances WHERE account_id = ?", customer.accountId()))
        .isZero();
  }

  @Test
  @DisplayName("a voucher leased to its end: never below zero, it pays first and cash the rest, what every pot lost "
      + "is what the usage rows cost, and no more of the voucher is left than a hold's worth per router")
  void aVoucherLeasedToItsEnd(Vertx vertx) {
    Customer customer = start(vertx, "60", "4");
    long voucher = grantVoucher(customer, "10");
    int requests = 150; // 15 credits of requests on a 10-credit voucher
    callInBatches(customer, BODY, requests);

    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == requests);
    long voucherLeft = gateway.sql("SELECT remaining_micros FROM billing.vouchers WHERE id = ?", voucher);
    assertThat(voucherLeft).isBetween(0L, 2 * COST); // two router instances, each at most one hold short
    assertThat(voucherCharges(customer)).isEqualTo(10_000_000L - voucherLeft);
    long cashDrop = 1_000_000_000L - gateway.balanceMicros(customer.accountId());
    assertThat(cashDrop + voucherCharges(customer)).isEqualTo(requests * COST);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(requests * COST);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(requests * COST);
    assertThat(voucherLeaseTakes.get()).as("the voucher was leased, not only held per request").isPositive();
    assertHeldIsTheHolds(customer);

    gateway.stopRouters();
    assertThat(gateway.sql("SELECT COUNT(*) FROM billing.holds WHERE account_id = ?", customer.accountId())).isZero();
    assertThat(gateway.sql("SELECT held_micros FROM billing.vouchers WHERE id = ?", voucher)).isZero();
  }

  private long grantVoucher(Customer customer, String credits) {
    return gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/vouchers", new JsonObject()
        .put("amount_credits", credits).put("models", new JsonArray().add(MODEL))).getLong("id");
  }

  private long voucherCharges(Customer customer) {
    return gateway.sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' "
        + "AND voucher_id IS NOT NULL AND account_id = ?", customer.accountId());
  }

  private void callInBatches(Customer customer, String body, int requests) {
    RawHttp http = new RawHttp(gateway.v1());
    for (int batch = 0; batch < requests / 30; batch++) {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        calls.add(http.postAsync("/chat/completions", customer.key(), body));
      }
      CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();
      assertThat(calls).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
    }
  }

  /** Each pot's held amount is exactly the sum of the holds' parts resting on it, leases included. */
  private void assertHeldIsTheHolds(Customer customer) {
    assertThat(gateway.sql("SELECT held_micros FROM billing.balances WHERE account_id = ?", customer.accountId()))
        .isEqualTo(gateway.sql("SELECT COALESCE(SUM(h.amount_micros), 0) - (SELECT COALESCE(SUM(p.amount_micros), 0) "
            + "FROM billing.hold_parts p JOIN billing.holds x ON x.request_id = p.request_id WHERE x.account_id = ?) "
            + "FROM billing.holds h WHERE h.account_id = ?", customer.accountId(), customer.accountId()));
    assertThat(gateway.sql("SELECT COUNT(*) FROM billing.vouchers x WHERE x.account_id = ? AND x.held_micros <> "
        + "(SELECT COALESCE(SUM(p.amount_micros), 0) FROM billing.hold_parts p WHERE p.voucher_id = x.id)",
        customer.accountId())).isZero();
  }
}
