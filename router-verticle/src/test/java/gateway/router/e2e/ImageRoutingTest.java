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
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing for {@code POST /v1/images/generations} as for chat: an upstream's 429 moves to the next route (and,
 * with no route left, is the same 502 in OpenAI's error shape that chat answers), and a channel whose breaker
 * opened is skipped.
 */
@ExtendWith(VertxExtension.class)
class ImageRoutingTest {
  private static final String PAINTER = "routed-painter";
  private static final long SQUARE = 4_000_000;
  private static final long START = 100_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    // reset_ms far beyond the test: once open, the breaker stays open
    gateway.fakeChannel("limited", new JsonObject().put("breaker", new JsonObject()
        .put("failures", 3).put("window_ms", 60_000).put("reset_ms", 600_000)));
    gateway.fakeChannel("steady", new JsonObject());
    gateway.admin.ok("PUT", "/admin/models/" + PAINTER, new JsonObject().put("type", "text2image")
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", 4)))
        .put("routes", new JsonArray().add(route("limited", "painter-limited", 0))
            .add(route("steady", "painter-steady", 1))));
    gateway.model("chatty", GatewayUnderTest.price("1", "1", null), route("limited", "chat-limited", 0));
    customer = gateway.customer("100", PAINTER, "chatty");
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("an image upstream answering 429 is retried on the next route, charged once there; pinned to it, the "
      + "client gets the 502 upstream_error chat gets for the same 429, free")
  void rateLimitedUpstreamFallsBack() {
    gateway.fake.script("painter-limited", Behavior.error(429, "Rate limit reached for images per minute")
        .header("retry-after", "20"));
    gateway.fake.script("chat-limited", Behavior.error(429, "Rate limit reached for images per minute"));

    HttpResponse<String> served = http.post("/images/generations", customer.key(), image());

    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("painter-limited")).hasSize(1);
    assertThat(gateway.fake.requestsFor("painter-steady")).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("channel")).isEqualTo("steady");
    assertThat(row.getInteger("attempts")).isEqualTo(2);
    gateway.awaitBalance(customer.accountId(), START - SQUARE);

    HttpResponse<String> pinned = http.post("/images/generations?channel=limited", customer.key(), image());
    HttpResponse<String> chat = http.post("/chat/completions", customer.key(), new JsonObject().put("model", "chatty")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode());

    assertThat(chat.statusCode()).isEqualTo(502);
    assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(chat.statusCode());
    JsonObject error = RawHttp.error(pinned);
    assertThat(error.getString("type")).isEqualTo(RawHttp.error(chat).getString("type")).isEqualTo("upstream_error");
    assertThat(error.getString("message")).contains("Rate limit reached");
    assertThat(gateway.fake.requestsFor("painter-steady")).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 3);
    gateway.awaitBalance(customer.accountId(), START - SQUARE);
  }

  @Test
  @DisplayName("an image channel whose breaker opened is skipped: the next route draws at once, the open channel is "
      + "sent nothing more")
  void openBreakerIsSkipped() {
    gateway.fake.script("painter-limited", Behavior.error(500, "the image service broke"));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = http.post("/images/generations", customer.key(), image());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(gateway.fake.requestsFor("painter-limited")).hasSize(3);

    // fresh connections land on every router instance: none of them tries the open channel
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = new RawHttp(gateway.v1()).post("/images/generations", customer.key(), image());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(gateway.fake.requestsFor("painter-limited")).hasSize(3);
    assertThat(gateway.fake.requestsFor("painter-steady")).hasSize(7);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 7);
    assertThat(gateway.usageRows(customer.accountId()).stream().map(JsonObject.class::cast)
        .filter(row -> row.getInteger("attempts") == 1)).hasSize(4);
    gateway.awaitBalance(customer.accountId(), START - 7 * SQUARE);
  }

  private static String image() {
    return new JsonObject().put("model", PAINTER).put("prompt", "a lighthouse").encode();
  }
}
