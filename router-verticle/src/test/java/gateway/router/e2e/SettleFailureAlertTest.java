package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.exchange.BillingClient;
import gateway.testsupport.Await;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A settle the ledger refuses for good is a charge lost, and it is loud: the router's billing client
 * counts it in {@code gateway.settle.failures} (by bus address) and logs an ERROR with
 * {@code alert=charge_lost} naming the request, instead of dropping it silently. Driven through the
 * router's own {@link BillingClient} against the real billing verticle and Postgres: the hold is
 * placed, then a settle billing rejects (a negative cost, which the ledger refuses with a 400, a
 * refusal no retry can change) is sent.
 */
@ExtendWith(VertxExtension.class)
class SettleFailureAlertTest {
  private static final long HOLD = 1_234;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger billingClientLog = (Logger) LoggerFactory.getLogger(BillingClient.class);
  private GatewayUnderTest gateway;
  private Customer customer;

  @BeforeEach
  void start(Vertx vertx) {
    Metrics.addRegistry(meters);
    logs.start();
    billingClientLog.addAppender(logs);
    gateway = GatewayUnderTest.start(vertx);
    customer = gateway.customer("10", "*");
  }

  @AfterEach
  void stopWatching() {
    billingClientLog.detachAppender(logs);
    Metrics.removeRegistry(meters);
  }

  @Test
  @DisplayName("a settle the ledger rejects is counted in gateway.settle.failures and logged as alert=charge_lost "
      + "with its request id; the client is drained, nothing is charged, and the hold is left to the sweeper")
  void rejectedSettleIsCountedAndAlerted(Vertx vertx) {
    BillingClient billing = new BillingClient(vertx, 3_000);
    String requestId = "req_settle_" + UUID.randomUUID().toString().replace("-", "");
    long balance = gateway.balanceMicros(customer.accountId());

    Await.onEventLoop(vertx, () -> billing.reserve(new Hold(requestId, customer.accountId(), customer.keyId(),
        "some-model", HOLD)));
    assertThat(gateway.heldMicros(customer.accountId())).isEqualTo(HOLD);
    double before = failures();

    UsageReport unstorable = new UsageReport(requestId, customer.accountId(), customer.keyId(), "some-model",
        "some-channel", new Usage(10, 0, 0, 5, 0), -1, RequestOutcome.COMPLETED, 12, 1, null, 0L);
    Await.onEventLoop(vertx, () -> {
      billing.settle(unstorable);
      return billing.drained();
    });

    assertThat(failures() - before).isEqualTo(1.0);
    List<ILoggingEvent> alerts = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR)
        .filter(e -> e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
            .anyMatch(kv -> kv.key.equals("alert") && "charge_lost".equals(kv.value)))
        .toList();
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).getKeyValuePairs()).anyMatch(kv -> kv.key.equals("request_id")
        && requestId.equals(kv.value));
    assertThat(alerts.get(0).getFormattedMessage()).contains("ALERT", BillingBus.SETTLE, requestId);

    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(balance);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
    assertThat(gateway.heldMicros(customer.accountId())).as("left for billing's sweeper").isEqualTo(HOLD);
  }

  @Test
  @DisplayName("a settle the ledger accepts counts no failure and raises no alert")
  void storedSettleRaisesNoAlert(Vertx vertx) {
    BillingClient billing = new BillingClient(vertx, 3_000);
    String requestId = "req_settle_" + UUID.randomUUID().toString().replace("-", "");
    Await.onEventLoop(vertx, () -> billing.reserve(new Hold(requestId, customer.accountId(), customer.keyId(),
        "some-model", HOLD)));
    double before = failures();

    Await.onEventLoop(vertx, () -> {
      billing.settle(new UsageReport(requestId, customer.accountId(), customer.keyId(), "some-model", "some-channel",
          new Usage(10, 0, 0, 5, 0), 450, RequestOutcome.COMPLETED, 12, 1, null, 0L));
      return billing.drained();
    });

    assertThat(failures() - before).isZero();
    assertThat(logs.list).noneMatch(e -> e.getKeyValuePairs() != null && e.getKeyValuePairs().stream()
        .anyMatch(kv -> kv.key.equals("alert")));
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(450);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("the settles of one event-loop turn go to billing as one message; each is charged or refused on its "
      + "own: the rejected one alone is alerted, the others are charged once")
  void settlesOfOneTurnGoAsOneBatch(Vertx vertx) {
    BillingClient billing = new BillingClient(vertx, 3_000);
    List<String> ids = List.of(id(), id(), id(), id());
    for (String requestId : ids) {
      Await.onEventLoop(vertx, () -> billing.reserve(new Hold(requestId, customer.accountId(), customer.keyId(),
          "some-model", HOLD)));
    }
    java.util.Map<String, Integer> sent = new java.util.concurrent.ConcurrentHashMap<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      sent.merge(delivery.message().address(), 1, Integer::sum);
      delivery.next();
    });
    double before = failures();

    Await.onEventLoop(vertx, () -> {
      for (int i = 0; i < ids.size(); i++) {
        billing.settle(new UsageReport(ids.get(i), customer.accountId(), customer.keyId(), "some-model",
            "some-channel", new Usage(10, 0, 0, 5, 0), i == 2 ? -1 : 100 + i, RequestOutcome.COMPLETED, 12, 1, null,
            0L));
      }
      return billing.drained();
    });

    assertThat(sent).containsEntry(BillingBus.SETTLE_BATCH, 1).doesNotContainKey(BillingBus.SETTLE);
    assertThat(failures() - before).isEqualTo(1.0);
    assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(1)
        .allMatch(e -> e.getFormattedMessage().contains(ids.get(2)));
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(100 + 101 + 103);
    assertThat(gateway.heldMicros(customer.accountId())).as("the rejected one's, left for the sweeper").isEqualTo(HOLD);
  }

  private static String id() {
    return "req_settle_" + UUID.randomUUID().toString().replace("-", "");
  }

  private double failures() {
    Counter counter = meters.find("gateway.settle.failures").tag("address", BillingBus.SETTLE).counter();
    return counter == null ? 0 : counter.count();
  }
}
