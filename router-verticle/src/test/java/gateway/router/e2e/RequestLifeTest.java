package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.RequestOutcome;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How long a request may take, and what its time running out costs: the customer, never the channel's breaker. */
@ExtendWith(VertxExtension.class)
class RequestLifeTest {
  private static final String MODEL = "slow-model";

  @Test
  @DisplayName("a non-stream answer slower than the channel's first-byte timeout is still served: its first byte "
      + "is the whole answer, so only the total bounds it")
  void longNonStreamAnswerIsNotCutByTheFirstByteTimeout(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx);
    gateway.fakeChannel("fake-openai", new JsonObject().put("timeouts", new JsonObject().put("first_byte_ms", 100)));
    gateway.routedModel(MODEL, "fake-openai", MODEL, GatewayUnderTest.price("1", "1", null));
    gateway.fake.script(MODEL, Behavior.reply("worth the wait").firstByteDelay(Duration.ofMillis(600)));
    Customer customer = gateway.customer("10", MODEL);

    HttpResponse<String> answer = new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), body(false));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("worth the wait");
  }

  @Test
  @DisplayName("requests that run out of their total time fail free, but never open the channel's breaker: the "
      + "channel keeps serving everyone else")
  void requestTimeoutsDoNotOpenTheBreaker(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_BREAKER_FAILURES", 2));
    gateway.fakeChannel("fake-openai", new JsonObject().put("timeouts", new JsonObject().put("total_ms", 300)));
    gateway.routedModel(MODEL, "fake-openai", MODEL, GatewayUnderTest.price("1", "1", null));
    Behavior slow = Behavior.reply("too long").firstByteDelay(Duration.ofSeconds(3));
    gateway.fake.script(MODEL, slow, slow, slow, slow, Behavior.reply("quick"));
    Customer customer = gateway.customer("10", MODEL);
    RawHttp http = new RawHttp(gateway.v1());

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> timedOut = http.post("/chat/completions", customer.key(), body(false));
      assertThat(timedOut.statusCode()).isEqualTo(502);
    }
    HttpResponse<String> next = http.post("/chat/completions", customer.key(), body(false));

    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    assertThat(next.body()).contains("quick");
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 5);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(10_000_000 - gateway.usageCostMicros(
        customer.accountId()));
  }

  @Test
  @DisplayName("a stream longer than its hold may live is cut before the sweeper could free the hold, so its "
      + "settle still finds the hold and charges what was delivered")
  void streamIsCutBeforeItsHoldExpires(Vertx vertx) {
    // Holds live 4 s here (swept every second), so a request may live 2 s; the stream would take 12 s.
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_HOLD_MAX_AGE_SECONDS", 4)
        .with("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 1));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("1", "1", null));
    gateway.fake.script(MODEL, Behavior.reply("one two three four five six seven eight nine ten eleven twelve")
        .chunkDelay(Duration.ofSeconds(1)));
    Customer customer = gateway.customer("10", MODEL);

    HttpResponse<String> cut = new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), body(true));

    assertThat(RawHttp.dataLines(cut.body())).doesNotContain("[DONE]");
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.UPSTREAM_CUT.wire);
    assertThat(row.getLong("held_micros")).as("the hold was still there at settle").isPositive();
    assertThat(row.getLong("cost_micros")).isPositive();
    assertThat(row.getLong("latency_ms")).isLessThan(4_000);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(row.getLong("cost_micros"));
  }

  @Test
  @DisplayName("a hold whose confirmation comes too late is released: the client gets 503 and nothing stays held")
  void reserveThatTimesOutIsReleased(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_RESERVE_TIMEOUT_MS", 200));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("1", "1", null));
    gateway.fake.script(MODEL, Behavior.reply("unreached"));
    Customer customer = gateway.customer("10", MODEL);
    // Billing places the hold at once, but its answer reaches the router only after the router gave up.
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (delivery.message().body() instanceof JsonObject reply && reply.containsKey("hold_micros")) {
        vertx.setTimer(800, id -> delivery.next());
      } else {
        delivery.next();
      }
    });

    HttpResponse<String> refused = new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), body(false));

    assertThat(refused.statusCode()).isEqualTo(503);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
    });
    assertThat(gateway.usageRows(customer.accountId()).getJsonObject(0).getString("outcome"))
        .isEqualTo(RequestOutcome.FAILED.wire);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(10_000_000);
    assertThat(gateway.fake.requestsFor(MODEL)).isEmpty();
  }

  private static String body(boolean stream) {
    return new JsonObject().put("model", MODEL).put("stream", stream).put("max_tokens", 50)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go"))).encode();
  }
}
