package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.RequestOutcome;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hold is a bound: the output limit held is the one sent upstream, the prompt is held from its
 * size, and a provider reporting more than was held is still charged in full.
 */
@ExtendWith(VertxExtension.class)
class HoldBoundTest {
  private static final String MODEL = "bounded-model";
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    Metrics.addRegistry(meters);
    gateway = GatewayUnderTest.start(vertx);
    http = new RawHttp(gateway.v1());
  }

  @AfterEach
  void stopCounting() {
    Metrics.removeRegistry(meters);
  }

  @Test
  @DisplayName("a request without an output limit goes upstream with the limit that was held: the model's maximum "
      + "from the catalog, on OpenAI chat, OpenAI Responses, Anthropic and Gemini channels alike")
  void heldOutputLimitIsSentUpstream() {
    gateway.channel("openai", openAi());
    gateway.channel("responses", openAi().put("wire_api", "responses"));
    gateway.channel("anthropic", new JsonObject().put("type", "anthropic").put("base_url", gateway.fake.anthropicBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.channel("gemini", new JsonObject().put("type", "gemini").put("base_url", gateway.fake.geminiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    for (String channel : List.of("openai", "responses", "anthropic", "gemini")) {
      model("via-" + channel, channel, "up-" + channel, 321);
      gateway.fake.script("up-" + channel, Behavior.reply("ok"));
    }
    Customer customer = gateway.customer("10", "via-openai", "via-responses", "via-anthropic", "via-gemini");

    for (String channel : List.of("openai", "responses", "anthropic", "gemini")) {
      HttpResponse<String> answer = http.post("/chat/completions", customer.key(), chat("via-" + channel).encode());
      assertThat(answer.statusCode()).as(channel).isEqualTo(200);
    }
    assertThat(sent("up-openai").getInteger("max_completion_tokens")).isEqualTo(321);
    assertThat(sent("up-responses").getInteger("max_output_tokens")).isEqualTo(321);
    assertThat(sent("up-anthropic").getInteger("max_tokens")).isEqualTo(321);
    assertThat(sent("up-gemini").getJsonObject("generationConfig").getInteger("maxOutputTokens")).isEqualTo(321);

    // A Responses client passed through to a Responses channel: its own field, set to what was held.
    HttpResponse<String> passed = http.post("/responses", customer.key(),
        new JsonObject().put("model", "via-responses").put("input", "hi").encode());
    assertThat(passed.statusCode()).isEqualTo(200);
    List<RecordedRequest> seen = gateway.fake.requestsFor("up-responses");
    assertThat(seen.get(seen.size() - 1).body().getInteger("max_output_tokens")).isEqualTo(321);

    // The client's own limit is what is held and sent, untouched.
    http.post("/chat/completions", customer.key(), chat("via-openai").put("max_tokens", 77).encode());
    List<RecordedRequest> openAi = gateway.fake.requestsFor("up-openai");
    JsonObject own = openAi.get(openAi.size() - 1).body();
    assertThat(own.getInteger("max_tokens")).isEqualTo(77);
    assertThat(own.containsKey("max_completion_tokens")).isFalse();
  }

  @Test
  @DisplayName("40 concurrent requests of 100 short words on an account of 0.5 credits: every hold covers what "
      + "the provider reports, so no charge exceeds its hold and the balance never goes below zero")
  void concurrentHoldsCoverTheReportedUsage() {
    gateway.channel("openai", openAi());
    admin("PUT", "/admin/models/" + MODEL, modelDefinition("openai", MODEL, 1)
        .put("price", new JsonObject().put("input_per_mtok", "100").put("output_per_mtok", "100")));
    // 100 words of "hi": about 100 tokens by any tokenizer; the provider reports exactly that.
    gateway.fake.script(MODEL, Behavior.reply("k").usage(100, 1));
    Customer customer = gateway.customer("0.5", MODEL);
    String body = new JsonObject().put("model", MODEL).put("max_tokens", 1).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi ".repeat(100).trim()))).encode();

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(http.postAsync("/chat/completions", customer.key(), body));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();

    long served = calls.stream().filter(c -> c.join().statusCode() == 200).count();
    assertThat(calls).allSatisfy(c -> assertThat(c.join().statusCode()).isIn(200, 402));
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == served);
    long balance = gateway.balanceMicros(customer.accountId());
    assertThat(balance).isNotNegative();
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(served).isPositive();
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(500_000 - balance)
        .isEqualTo(served * (100 + 1) * 100);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(500_000 - balance);
    assertThat(gateway.sql("SELECT count(*) FROM billing.usage WHERE cost_micros > held_micros AND account_id = ?",
        customer.accountId())).isZero();
  }

  @Test
  @DisplayName("a provider reporting more than was held is charged in full: the balance goes below zero by the "
      + "overrun, the overrun is counted, and the account's next request gets 402")
  void overrunIsChargedAsDebt() {
    gateway.channel("openai", openAi());
    model(MODEL, "openai", MODEL, 10);
    gateway.fake.script(MODEL, Behavior.reply("far more than asked").usage(10, 5_000), Behavior.reply("never"));
    Customer customer = gateway.customer("1", MODEL);

    HttpResponse<String> first = http.post("/chat/completions", customer.key(), chat(MODEL).put("max_tokens", 10)
        .encode());

    assertThat(first.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    long cost = 10 * 100 + 5_000 * 400;
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(cost);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(1_000_000 - cost).isNegative();
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(cost);
    assertThat(meters.find("gateway.ledger.overruns").counter()).isNotNull()
        .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));

    HttpResponse<String> next = http.post("/chat/completions", customer.key(), chat(MODEL).encode());
    assertThat(next.statusCode()).isEqualTo(402);
    assertThat(gateway.fake.requestsFor(MODEL)).hasSize(1);
  }

  @Test
  @DisplayName("a provider reporting usage no request can have (past a billion tokens, here near the long range) is "
      + "not believed: the answer goes through, streamed or not, and is priced by the gateway's own count, never a 500")
  void absurdUsageIsPricedByOwnCount() {
    gateway.channel("openai", openAi());
    model(MODEL, "openai", MODEL, 100);
    gateway.fake.script(MODEL, Behavior.reply("three words here").usage(Long.MAX_VALUE / 3, Long.MAX_VALUE / 3),
        Behavior.reply("three words here").usage(Long.MAX_VALUE / 3, Long.MAX_VALUE / 3));
    Customer customer = gateway.customer("100", MODEL);

    HttpResponse<String> whole = http.post("/chat/completions", customer.key(), chat(MODEL).encode());
    HttpResponse<String> streamed = http.post("/chat/completions", customer.key(), chat(MODEL).put("stream", true)
        .encode());

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).contains("three words here");
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.body()).contains("three").contains("[DONE]");
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 2);
    long cost = gateway.usageCostMicros(customer.accountId());
    assertThat(cost).as("priced by the gateway's count of a short prompt and answer").isPositive()
        .isLessThan(2 * (1_000 * 100 + 100 * 400));
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(cost);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(100_000_000 - cost);
  }

  @Test
  @DisplayName("n × max_tokens far beyond any balance is a 400 naming the field, and the key's concurrency slot is "
      + "free again at once")
  void outOfRangeBoundIsRefusedAndReleasesTheSlots() {
    gateway.channel("openai", openAi());
    model(MODEL, "openai", MODEL, 10);
    gateway.fake.script(MODEL, Behavior.reply("ok"));
    Customer customer = gateway.customer("1", MODEL);
    admin("PATCH", "/admin/keys/" + customer.keyId(), new JsonObject().put("concurrency", 1));

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> refused = http.post("/chat/completions", customer.key(), chat(MODEL)
          .put("n", Integer.MAX_VALUE).put("max_tokens", Integer.MAX_VALUE).encode());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(RawHttp.error(refused).getString("param")).isEqualTo("n");
    }
    HttpResponse<String> normal = http.post("/chat/completions", customer.key(), chat(MODEL).encode());
    assertThat(normal.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a request carrying a PDF is held at the model's whole context window: its bytes say little about "
      + "the tokens of its pages")
  void referencedFileHoldsTheWindow() {
    gateway.channel("openai", openAi());
    admin("PUT", "/admin/models/" + MODEL, modelDefinition("openai", MODEL, 10).put("context_length", 100_000));
    gateway.fake.script(MODEL, Behavior.reply("ok").usage(50_000, 1));
    // 100,000 prompt tokens at 100 µcr each: 10 credits. The account has 0.5.
    Customer customer = gateway.customer("0.5", MODEL);
    JsonObject withFile = chat(MODEL).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "summarise"))
            .add(new JsonObject().put("type", "file").put("file", new JsonObject().put("filename", "a.pdf")
                .put("file_data", "data:application/pdf;base64,JVBERi0xLjQKJeLjz9MK"))))));

    HttpResponse<String> refused = http.post("/chat/completions", customer.key(), withFile.encode());

    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(gateway.fake.requestsFor(MODEL)).isEmpty();
    assertThat(http.post("/chat/completions", customer.key(), chat(MODEL).encode()).statusCode()).isEqualTo(200);
  }

  private JsonObject sent(String upstreamModel) {
    List<RecordedRequest> seen = gateway.fake.requestsFor(upstreamModel);
    assertThat(seen).isNotEmpty();
    return seen.get(0).body();
  }

  private JsonObject openAi() {
    return new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY);
  }

  /** A model at 100 µcr per input token and 400 per output token. */
  private void model(String alias, String channel, String upstreamModel, int maxOutputTokens) {
    admin("PUT", "/admin/models/" + alias, modelDefinition(channel, upstreamModel, maxOutputTokens));
  }

  private static JsonObject modelDefinition(String channel, String upstreamModel, int maxOutputTokens) {
    return new JsonObject().put("type", "llm").put("context_length", 128_000).put("max_output_tokens", maxOutputTokens)
        .put("price", new JsonObject().put("input_per_mtok", "100").put("output_per_mtok", "400"))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstreamModel)));
  }

  private void admin(String method, String path, JsonObject body) {
    gateway.admin.ok(method, path, body);
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello")));
  }
}
