package gateway.router.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.BillingBus;
import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.common.bus.UsageReport;
import gateway.common.money.Price;
import gateway.common.money.Usage;
import gateway.router.RouterConfig;
import gateway.router.limits.LimitLease;
import gateway.router.limits.RateLimiter;
import gateway.testsupport.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A request's settlement on its own: what reaches billing, once, and what it is priced at. No Postgres, no Redis. */
@ExtendWith(VertxExtension.class)
class SettlementTest {
  private static final Price PRICE = new Price(15_000_000, 60_000_000, 7_500_000, 15_000_000);
  private static final ResolvedModel MODEL = new ResolvedModel("m", "llm", 128_000, null, PRICE, List.of());
  private static final Principal PRINCIPAL = new Principal(7, 3, "k", List.of("*"), null, RateLimits.NONE,
      RateLimits.NONE);
  private static TokenCounter tokens;

  private final List<JsonObject> settles = new CopyOnWriteArrayList<>();
  private final List<JsonObject> releases = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private BillingClient billing;
  private ExchangeServices services;

  @BeforeAll
  static void loadTokenizer() {
    tokens = TokenCounter.load();
  }

  @BeforeEach
  void billingThatRecords(Vertx vertx) {
    this.vertx = vertx;
    // Billing's side of the bus, answering as billing does: the messages are what the test checks.
    vertx.eventBus().<JsonObject>consumer(BillingBus.SETTLE, m -> {
      settles.add(m.body());
      m.reply(new JsonObject());
    });
    vertx.eventBus().<JsonObject>consumer(BillingBus.RELEASE, m -> {
      releases.add(m.body());
      m.reply(new JsonObject());
    });
    RouterConfig config = RouterConfig.fromEnv(TestServices.env());
    billing = new BillingClient(vertx, 1_000);
    services = new ExchangeServices(vertx, config, null, null, null, billing, tokens, null, null, null,
        new RateLimiter(null, config));
  }

  @Test
  @DisplayName("a request is charged exactly once: a second charge or a release after it changes nothing")
  void chargesOnce() {
    Settlement settlement = settlement();
    settlement.charge(RequestOutcome.COMPLETED, settlement.price(new Usage(10, 0, 0, 5, 0), ""), null);
    settlement.charge(RequestOutcome.COMPLETED, settlement.price(new Usage(999, 0, 0, 999, 0), ""), null);
    settlement.free("late");

    await().atMost(Duration.ofSeconds(5)).until(() -> settles.size() == 1);
    UsageReport report = UsageReport.fromJson(settles.get(0));
    assertThat(report.costMicros()).isEqualTo(10 * 15 + 5 * 60);
    assertThat(report.outcome()).isEqualTo(RequestOutcome.COMPLETED);
    assertThat(report.requestId()).isEqualTo("req-1");
    assertThat(releases).isEmpty();
    assertThat(settlement.finished()).isTrue();
  }

  @Test
  @DisplayName("a batch answer billing garbled (an item not an object, a failure without its text) leaves no settle "
      + "unanswered: each such settle is sent again on its own and the client drains")
  void garbledBatchAnswerRetriesEachOnItsOwn() {
    vertx.eventBus().<JsonObject>consumer(BillingBus.SETTLE_BATCH, m -> m.reply(new JsonObject()
        .put("results", new JsonArray().add("not an answer").add(new JsonObject()
            .put("failure_status", "five hundred")))));
    gateway.testsupport.Await.onEventLoop(vertx, () -> {
      for (String id : List.of("req-a", "req-b", "req-c")) {
        billing.settle(new UsageReport(id, 1, 1, "m", "c", Usage.ZERO, 100, RequestOutcome.COMPLETED, 1, 1, null,
            0L));
      }
      return billing.drained();
    });

    assertThat(settles).extracting(s -> s.getString("request_id")).containsExactlyInAnyOrder("req-a", "req-b",
        "req-c");
  }

  @Test
  @DisplayName("a failed request is released free, naming the route it last tried and how many it tried")
  void freeReleases() {
    Settlement settlement = settlement();
    settlement.attempting(new Route(new Channel("c1", "openai", "http://x", null, 0, 1, false, "chat",
        new JsonObject()), "u", 0, 1));
    settlement.free("boom");

    await().atMost(Duration.ofSeconds(5)).until(() -> releases.size() == 1);
    UsageReport report = UsageReport.fromJson(releases.get(0));
    assertThat(report.costMicros()).isZero();
    assertThat(report.outcome()).isEqualTo(RequestOutcome.FAILED);
    assertThat(report.channel()).isEqualTo("c1");
    assertThat(report.attempts()).isEqualTo(1);
    assertThat(report.error()).isEqualTo("boom");
  }

  @Test
  @DisplayName("reported usage prices as reported; without it the prompt and output are counted; a partial answer "
      + "is charged at least the output it generated")
  void pricing() {
    Settlement settlement = settlement();
    // 100 × 15 µcr + 20 cached × 7.5 µcr + 10 × 60 µcr
    assertThat(settlement.price(new Usage(100, 20, 0, 10, 0), "ignored").costMicros()).isEqualTo(2_250);
    Priced counted = settlement.price(null, "one two three");
    assertThat(counted.usage().inputTokens()).isEqualTo(tokens.promptTokens(call().counted()));
    assertThat(counted.usage().outputTokens()).isEqualTo(tokens.count("one two three"));
    Priced partial = settlement.pricePartial(new Usage(40, 0, 0, 1, 0), "a much longer generated text than one");
    assertThat(partial.usage().inputTokens()).isEqualTo(40);
    assertThat(partial.usage().outputTokens()).isEqualTo(tokens.count("a much longer generated text than one"));
  }

  @Test
  @DisplayName("while a request is unsettled the billing client does not report itself drained: a stopping server "
      + "waits for its charge")
  void holdsTheDrainUntilSettled() {
    Settlement settlement = settlement();
    Future<Void> drained = billing.drained();
    assertThat(drained.isComplete()).isFalse();

    settlement.charge(RequestOutcome.COMPLETED, settlement.price(new Usage(1, 0, 0, 1, 0), ""), null);

    await().atMost(Duration.ofSeconds(5)).until(drained::isComplete);
    assertThat(settles).hasSize(1);
  }

  private Settlement settlement() {
    return new Settlement(services, "req-1", PRINCIPAL, call(), MODEL,
        LimitLease.empty(services.limiter(), "req-1"), () -> 200);
  }

  private static ClientCall call() {
    JsonObject body = new JsonObject().put("model", "m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "count me")));
    return ClientCall.chat(body, "m", Delivery.WHOLE, false, OutputBound.of(null, "max_tokens"));
  }
}
