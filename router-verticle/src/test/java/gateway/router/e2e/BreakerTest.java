package gateway.router.e2e;

import static gateway.router.e2e.RoutingTest.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A channel's breaker opens, is skipped, probes, closes, and every router instance follows it. */
@ExtendWith(VertxExtension.class)
class BreakerTest {
  private static final String MODEL = "guarded";
  private static final String BODY = new JsonObject().put("model", MODEL).put("max_tokens", 5)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

  private GatewayUnderTest gateway;
  private Customer customer;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.fakeChannel("flaky", new JsonObject().put("breaker", new JsonObject()
        .put("failures", 3).put("window_ms", 60_000).put("reset_ms", 1_500)));
    gateway.fakeChannel("steady", new JsonObject());
    gateway.model(MODEL, GatewayUnderTest.price("1", "1", null), route("flaky", "m-flaky", 0),
        route("steady", "m-steady", 1));
    customer = gateway.customer("100", "*");
  }

  @Test
  @DisplayName("after 3 failures the channel is skipped by every router instance, then one probe closes it again")
  void opensSkipsProbesCloses() {
    gateway.fake.script("m-flaky", Behavior.error(500, "flaky"));
    RawHttp oneConnection = new RawHttp(gateway.v1());
    for (int i = 0; i < 3; i++) {
      assertThat(oneConnection.post("/chat/completions", customer.key(), BODY).statusCode()).isEqualTo(200);
    }
    assertThat(gateway.fake.requestsFor("m-flaky")).hasSize(3);

    // Fresh connections land on both router instances: none of them tries the open channel.
    for (int i = 0; i < 6; i++) {
      assertThat(new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), BODY).statusCode())
          .isEqualTo(200);
    }
    assertThat(gateway.fake.requestsFor("m-flaky")).hasSize(3);
    assertThat(gateway.fake.requestsFor("m-steady")).hasSize(9);

    // The channel recovers; after the reset time a probe goes through and closes the breaker.
    gateway.fake.script("m-flaky", Behavior.reply("recovered"));
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() ->
        new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), BODY).body().contains("recovered"));
    for (int i = 0; i < 4; i++) {
      assertThat(new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), BODY).body())
          .contains("recovered");
    }
  }

  @Test
  @DisplayName("our own refusals (401, 402, 403, 404, 429) and the customer's 400s never open a breaker")
  void customerErrorsNeverOpenTheBreaker() {
    RawHttp http = new RawHttp(gateway.v1());
    Customer broke = gateway.customer(null, MODEL);
    for (int i = 0; i < 5; i++) {
      assertThat(http.post("/chat/completions", "sk-wrong", BODY).statusCode()).isEqualTo(401);
      assertThat(http.post("/chat/completions", broke.key(), BODY).statusCode()).isEqualTo(402);
      assertThat(http.post("/chat/completions", customer.key(), "{\"model\":\"guarded\"}").statusCode())
          .isEqualTo(400);
    }
    gateway.fake.script("m-flaky", Behavior.error(400, "your prompt is wrong"));
    for (int i = 0; i < 5; i++) {
      assertThat(http.post("/chat/completions", customer.key(), BODY).statusCode()).isEqualTo(400);
    }
    gateway.fake.script("m-flaky", Behavior.reply("still trusted"));
    assertThat(http.post("/chat/completions", customer.key(), BODY).body()).contains("still trusted");
  }
}
