package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Money under concurrency and failure, checked against the ledger in Postgres. */
@ExtendWith(VertxExtension.class)
class MoneyTest {
  private static final String MODEL = "priced-model";
  // Output at 1,000 credits per million tokens = 1,000 µcr a token; input free. With max_tokens 100 a
  // hold is 100,000 µcr and, since the upstream answers exactly 100 tokens, so is every charge.
  private static final String BODY = new JsonObject().put("model", MODEL).put("max_tokens", 100)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("0", "1000", null));
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("200 concurrent requests against a balance covering 50: 50 are served, the rest get 402 without "
      + "reaching the upstream, the balance ends at zero, and usage costs = balance drop = ledger charges")
  void concurrentRequestsNeverOverspend() {
    gateway.fake.script(MODEL, Behavior.reply("ok").usage(10, 100));
    Customer customer = gateway.customer("5", MODEL);

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(http.postAsync("/chat/completions", customer.key(), BODY));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
        .join();

    long served = calls.stream().filter(c -> c.join().statusCode() == 200).count();
    List<HttpResponse<String>> refused = calls.stream().map(CompletableFuture::join)
        .filter(r -> r.statusCode() != 200).toList();
    assertThat(served).isEqualTo(50);
    assertThat(refused).hasSize(150).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(402);
      assertThat(RawHttp.error(r).getString("code")).isEqualTo("insufficient_credits");
      assertThat(RawHttp.error(r).getString("type")).isEqualTo("insufficient_credits");
    });
    assertThat(gateway.fake.requestsFor(MODEL)).hasSize(50);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == 50);
    long balance = gateway.balanceMicros(customer.accountId());
    assertThat(balance).isZero();
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    long drop = 5_000_000 - balance;
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(drop);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(drop);
    JsonObject summary = gateway.admin.ok("GET", "/admin/usage/summary?account_id=" + customer.accountId(), null);
    assertThat(summary.getJsonObject("total").getLong("cost_micros")).isEqualTo(drop);
    assertThat(summary.getJsonObject("total").getLong("requests")).isEqualTo(50);
    assertThat(summary.getJsonArray("models").getJsonObject(0).getLong("output_tokens")).isEqualTo(50 * 100);
  }

  @Test
  @DisplayName("a failing upstream charges nothing: every hold is released and no ledger charge is written")
  void failingUpstreamChargesNothing() {
    gateway.fake.script(MODEL, Behavior.error(500, "the provider is down"));
    Customer customer = gateway.customer("5", MODEL);

    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = http.post("/chat/completions", customer.key(), BODY);
      // 502 while the channel is tried; 503 once its breaker opened after 5 failures
      assertThat(response.statusCode()).isEqualTo(i < 5 ? 502 : 503);
      if (i < 5) {
        assertThat(RawHttp.error(response).getString("message")).contains("the provider is down");
      }
    }

    // the five that reached the upstream are recorded as failed; the refused ones never held anything
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 5);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(5_000_000);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
    assertThat(gateway.usageCostMicros(customer.accountId())).isZero();
  }
}
