package gateway.router.e2e;

import static gateway.router.e2e.RoutingTest.route;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.TestServices;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.embedded.RedisServer;

/** Limits held in Redis: exact across router processes, corrected by real usage, and never a hang. */
@ExtendWith(VertxExtension.class)
class RateLimitTest {
  private static final String MODEL = "limited";

  @Test
  @DisplayName("a key with 60 RPM gets exactly 60 of 100 requests spread over two gateway processes; "
      + "the others get 429 with Retry-After and the OpenAI rate-limit headers")
  void requestsPerMinuteHoldAcrossInstances(Vertx vertx) {
    GatewayUnderTest first = GatewayUnderTest.start(vertx);
    setUp(first);
    Customer customer = keyWith(first, new JsonObject().put("rpm", 60));
    Vertx otherProcess = Vertx.vertx();
    try {
      GatewayUnderTest second = first.alongside(otherProcess);
      RawHttp a = new RawHttp(first.v1());
      RawHttp b = new RawHttp(second.v1());
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        calls.add((i % 2 == 0 ? a : b).postAsync("/chat/completions", customer.key(), body(false, null)));
      }
      List<HttpResponse<String>> responses = join(calls);

      assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(60);
      List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() != 200).toList();
      assertThat(refused).hasSize(40).allSatisfy(r -> {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(RawHttp.error(r).getString("code")).isEqualTo("rate_limit_exceeded");
        assertThat(RawHttp.error(r).getString("type")).isEqualTo("rate_limit_error");
        // the minute window counts its 1 s buckets back 61 s, so the oldest request leaves it within 62 s
        assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 62L);
        assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("60");
        assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
      });
      HttpResponse<String> ok = responses.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
      assertThat(ok.headers().firstValue("x-ratelimit-limit-requests")).contains("60");
      assertThat(ok.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
      assertThat(first.fake.requestsFor("m-limited")).hasSize(60);
    } finally {
      result(otherProcess.close());
    }
  }

  @Test
  @DisplayName("a concurrency limit of 10 holds with 50 parallel streams, and the slots come back after")
  void concurrencyLimitHolds(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx);
    setUp(gateway);
    gateway.fake.script("m-limited", Behavior.reply("a slow stream of several words").chunkDelay(Duration.ofMillis(150)));
    Customer customer = keyWith(gateway, new JsonObject().put("concurrency", 10));
    RawHttp http = new RawHttp(gateway.v1());
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(http.postAsync("/chat/completions", customer.key(), body(true, null)));
    }
    List<HttpResponse<String>> responses = join(calls);

    assertThat(responses.stream().filter(r -> r.statusCode() == 200)).hasSize(10);
    assertThat(responses.stream().filter(r -> r.statusCode() == 429)).hasSize(40);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        http.post("/chat/completions", customer.key(), body(true, null)).statusCode() == 200);
  }

  @Test
  @DisplayName("tokens per minute are held as an estimate, then corrected with the real usage")
  void tokensPerMinuteAreCorrectedByRealUsage(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx);
    setUp(gateway);
    Customer customer = keyWith(gateway, new JsonObject().put("tpm", 1000));
    RawHttp http = new RawHttp(gateway.v1());
    // each request is estimated at ~600 tokens (max_tokens 600) but really uses 10
    gateway.fake.script("m-limited", Behavior.reply("slow").usage(5, 5).firstByteDelay(Duration.ofMillis(1500)),
        Behavior.reply("fast").usage(5, 5));
    CompletableFuture<HttpResponse<String>> slow = http.postAsync("/chat/completions", customer.key(),
        body(false, 600));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.fake.requestsFor("m-limited").size() == 1);

    HttpResponse<String> whileEstimated = http.post("/chat/completions", customer.key(), body(false, 600));
    assertThat(whileEstimated.statusCode()).isEqualTo(429);
    assertThat(RawHttp.error(whileEstimated).getString("message")).contains("tokens per minute");
    assertThat(whileEstimated.headers().firstValue("x-ratelimit-limit-tokens")).contains("1000");

    assertThat(slow.orTimeout(30, TimeUnit.SECONDS).join().statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        http.post("/chat/completions", customer.key(), body(false, 600)).statusCode() == 200);
  }

  @Test
  @DisplayName("a channel at its own limit is skipped like an open breaker; the customer sees no 429")
  void channelAtItsLimitIsSkipped(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx);
    gateway.fakeChannel("small", new JsonObject().put("rpm", 2));
    gateway.fakeChannel("large", new JsonObject());
    gateway.model(MODEL, GatewayUnderTest.price("1", "1", null), route("small", "m-small", 0),
        route("large", "m-large", 1));
    Customer customer = gateway.customer("100", "*");
    RawHttp http = new RawHttp(gateway.v1());
    for (int i = 0; i < 5; i++) {
      assertThat(http.post("/chat/completions", customer.key(), body(false, null)).statusCode()).isEqualTo(200);
    }
    assertThat(gateway.fake.requestsFor("m-small")).hasSize(2);
    assertThat(gateway.fake.requestsFor("m-large")).hasSize(3);
  }

  @Test
  @DisplayName("with Redis gone, requests keep flowing under the default policy, and billing still charges")
  void redisDownAllowsAndStillBills(Vertx vertx) throws Exception {
    int port = TestServices.freePort();
    RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port).build();
    redis.start();
    try {
      GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_REDIS_URL", "redis://127.0.0.1:" + port));
      setUp(gateway);
      // small enough to be asked of Redis on every request: no allowance held in the router carries it through
      Customer customer = keyWith(gateway, new JsonObject().put("rpm", 100));
      RawHttp http = new RawHttp(gateway.v1());
      assertThat(http.post("/chat/completions", customer.key(), body(false, null)).statusCode()).isEqualTo(200);

      redis.stop();
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(false, null));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 6);
      assertThat(gateway.ledgerChargesMicros(customer.accountId())).isPositive()
          .isEqualTo(gateway.usageCostMicros(customer.accountId()));
    } finally {
      redis.stop();
    }
  }

  private static void setUp(GatewayUnderTest gateway) {
    gateway.fakeChannel("only", new JsonObject());
    gateway.model(MODEL, GatewayUnderTest.price("1", "1", null), route("only", "m-limited", 0));
  }

  private static Customer keyWith(GatewayUnderTest gateway, JsonObject limits) {
    long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "limited"))
        .getLong("id");
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 100));
    JsonObject key = gateway.admin.ok("POST", "/admin/accounts/" + account + "/keys",
        limits.copy().put("models", new JsonArray().add("*")));
    return new Customer(account, key.getLong("id"), key.getString("key"));
  }

  private static String body(boolean stream, Integer maxTokens) {
    JsonObject body = new JsonObject().put("model", MODEL).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    return (maxTokens == null ? body.put("max_tokens", 10) : body.put("max_tokens", maxTokens)).encode();
  }

  private static List<HttpResponse<String>> join(List<CompletableFuture<HttpResponse<String>>> calls) {
    CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();
    return calls.stream().map(CompletableFuture::join).toList();
  }
}
