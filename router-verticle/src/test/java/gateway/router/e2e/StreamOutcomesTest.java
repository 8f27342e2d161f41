package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.BillingBus;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each way a stream can end, and what it costs: the README's stream outcome table, row by row. */
@ExtendWith(VertxExtension.class)
class StreamOutcomesTest {
  private static final String MODEL = "stream-model";
  private static final long START = 10_000_000;
  private static final String STREAM_BODY = new JsonObject().put("model", MODEL).put("stream", true)
      .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
          .put("content", "Tell me a story"))).encode();

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    // The provider's usage is waited for only briefly after a client leaves, so the streams here,
    // which run on for longer, are cancelled (UsageGraceTest covers usage that comes in time).
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_USAGE_GRACE_MS", 50));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
    customer = gateway.customer("10", MODEL);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("completed: the client gets every chunk and [DONE]; the upstream's usage is charged")
  void completedIsChargedTheUsage() {
    gateway.fake.script(MODEL, Behavior.reply("once upon a time").usage(30, 4));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), STREAM_BODY);

    List<String> data = RawHttp.dataLines(response.body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.COMPLETED.wire);
    assertThat(row.getLong("cost_micros")).isEqualTo(30 * 15 + 4 * 60);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START - (30 * 15 + 4 * 60));
  }

  @Test
  @DisplayName("client disconnects: the upstream call is cancelled and what was generated is charged")
  void clientDisconnectCancelsUpstreamAndChargesWhatWasGenerated() {
    gateway.fake.script(MODEL, Behavior.reply("one two three four five six seven eight nine ten")
        .chunkDelay(Duration.ofMillis(100)));

    List<String> seen = http.readStreamThenHangUp("/chat/completions", customer.key(), STREAM_BODY,
        line -> line.contains("three"));

    assertThat(seen).noneMatch(line -> line.equals("[DONE]"));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.fake.cancelledStreams() == 1);
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("output_tokens")).isBetween(1L, 9L);
    assertThat(row.getLong("input_tokens")).isPositive();
    assertThat(row.getLong("cost_micros"))
        .isEqualTo(row.getLong("input_tokens") * 15 + row.getLong("output_tokens") * 60);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START - row.getLong("cost_micros"));
  }

  @Test
  @DisplayName("a non-stream client that hangs up before the answer: the upstream call is cancelled, the prompt "
      + "is charged, and the channel is not blamed")
  void nonStreamClientGoneIsChargedThePromptNotBlamedOnTheChannel() throws Exception {
    gateway.fake.script(MODEL, Behavior.reply("too late").firstByteDelay(Duration.ofSeconds(3)),
        Behavior.reply("on time"));
    java.net.http.HttpClient impatient = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.v1() + "/chat/completions"))
        .timeout(Duration.ofMillis(500))
        .header("authorization", "Bearer " + customer.key()).header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject(STREAM_BODY).put("stream", false)
            .encode()))
        .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        impatient.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.net.http.HttpTimeoutException.class);

    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("input_tokens")).isPositive();
    assertThat(row.getLong("cost_micros")).isEqualTo(row.getLong("input_tokens") * 15);
    assertThat(row.getInteger("attempts")).isEqualTo(1);
    assertThat(http.post("/chat/completions", customer.key(), new JsonObject(STREAM_BODY).put("stream", false)
        .encode()).body()).contains("on time");
  }

  @Test
  @DisplayName("upstream cut after content: the client gets an error event and no [DONE]; what was delivered is charged")
  void upstreamCutAfterContentChargesWhatWasDelivered() {
    gateway.fake.script(MODEL, Behavior.reply("alpha beta gamma delta epsilon").cutAfterChunks(2));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), STREAM_BODY);

    List<String> data = RawHttp.dataLines(response.body());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(data).doesNotContain("[DONE]");
    JsonObject last = new JsonObject(data.get(data.size() - 1));
    assertThat(last.getJsonObject("error").getString("type")).isEqualTo("upstream_error");
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.UPSTREAM_CUT.wire);
    assertThat(row.getLong("output_tokens")).isPositive();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START - row.getLong("cost_micros"));
  }

  @Test
  @DisplayName("an error event from the upstream after content ends the client stream the same way")
  void inStreamErrorAfterContent() {
    gateway.fake.script(MODEL, Behavior.reply("alpha beta gamma delta").errorEventAfterChunks(2, "overloaded"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), STREAM_BODY);

    List<String> data = RawHttp.dataLines(response.body());
    assertThat(data).doesNotContain("[DONE]");
    assertThat(new JsonObject(data.get(data.size() - 1)).getJsonObject("error").getString("message"))
        .contains("overloaded");
    assertThat(awaitUsageRow().getString("outcome")).isEqualTo(RequestOutcome.UPSTREAM_CUT.wire);
  }

  @Test
  @DisplayName("failure before any content: a plain HTTP error, and the request is free")
  void failureBeforeContentIsFree() {
    gateway.fake.script(MODEL, Behavior.reply("never seen").cutAfterChunks(0));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), STREAM_BODY);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(RawHttp.error(response).getString("code")).isEqualTo("upstream_error");
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.FAILED.wire);
    assertThat(row.getLong("cost_micros")).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("a replayed request id is never charged twice")
  void replayedRequestIdIsChargedOnce() {
    gateway.fake.script(MODEL, Behavior.reply("hi").usage(10, 1));
    HttpResponse<String> response = http.post("/chat/completions", customer.key(), STREAM_BODY);
    String requestId = response.headers().firstValue("x-request-id").orElseThrow();
    awaitUsageRow();
    long afterFirst = gateway.balanceMicros(customer.accountId());

    UsageReport replay = new UsageReport(requestId, customer.accountId(), customer.keyId(), MODEL, "fake-openai",
        new Usage(10, 0, 0, 1, 0), 999_999, RequestOutcome.COMPLETED, 1, 1, null);
    JsonObject reply = result(gateway.vertx.eventBus().<JsonObject>request(BillingBus.SETTLE, replay.toJson())).body();

    assertThat(reply.getBoolean("replayed")).isTrue();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(afterFirst).isEqualTo(START - (10 * 15 + 60));
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(10 * 15 + 60);
  }

  private JsonObject awaitUsageRow() {
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    return gateway.usageRows(customer.accountId()).getJsonObject(0);
  }
}
