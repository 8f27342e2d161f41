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
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that leaves does not make the rest of its request free: the gateway reads on, unwritten,
 * for the provider's own usage (which counts hidden reasoning), for a few seconds at most.
 */
@ExtendWith(VertxExtension.class)
class UsageGraceTest {
  private static final String MODEL = "reasoning-model";
  private static final long START = 10_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_USAGE_GRACE_MS", 3_000));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
    customer = gateway.customer("10", MODEL);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a stream client leaving after the content, before OpenAI's final usage chunk, is charged the "
      + "provider's usage, hidden reasoning tokens included, not the visible text")
  void streamClientGoneBeforeUsageIsChargedTheReportedUsage() {
    gateway.fake.script(MODEL, Behavior.reply("four visible words here").usage(40, 900).reasoningTokens(880)
        .chunkDelay(Duration.ofMillis(150)));

    List<String> seen = http.readStreamThenHangUp("/chat/completions", customer.key(), body(true),
        line -> line.contains("\"finish_reason\":\"stop\""));

    assertThat(seen).noneMatch(line -> line.contains("\"usage\""));
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("input_tokens")).isEqualTo(40);
    assertThat(row.getLong("output_tokens")).isEqualTo(900);
    assertThat(row.getLong("reasoning_tokens")).isEqualTo(880);
    assertThat(row.getLong("cost_micros")).isEqualTo(40 * 15 + 900 * 60);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START - (40 * 15 + 900 * 60));
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("when the usage does not come within the grace, the stream is cancelled and the prompt and the "
      + "generated text are charged")
  void usageThatNeverComesChargesPromptAndGeneratedText() {
    // The next event comes well after the grace of 3 s.
    gateway.fake.script(MODEL, Behavior.reply("one two three four five six").usage(40, 900)
        .chunkDelay(Duration.ofSeconds(8)));

    http.readStreamThenHangUp("/chat/completions", customer.key(), body(true), line -> line.contains("one"));

    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.fake.cancelledStreams() == 1);
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("input_tokens")).isPositive();
    assertThat(row.getLong("output_tokens")).isBetween(1L, 5L);
    assertThat(row.getLong("cost_micros"))
        .isEqualTo(row.getLong("input_tokens") * 15 + row.getLong("output_tokens") * 60);
  }

  @Test
  @DisplayName("a non-stream client hanging up while the provider writes is charged the provider's usage when the "
      + "answer arrives within the grace")
  void nonStreamClientGoneIsChargedTheAnswersUsage() throws Exception {
    gateway.fake.script(MODEL, Behavior.reply("a long essay").usage(25, 700).firstByteDelay(Duration.ofMillis(800)));

    try (Socket socket = new Socket("127.0.0.1", gateway.config.httpPort())) {
      byte[] payload = body(false).getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer " + customer.key()
          + "\r\ncontent-type: application/json\r\ncontent-length: " + payload.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.fake.requestsFor(MODEL).isEmpty());
    }

    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("output_tokens")).isEqualTo(700);
    assertThat(row.getLong("cost_micros")).isEqualTo(25 * 15 + 700 * 60);
  }

  private JsonObject awaitUsageRow() {
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    return gateway.usageRows(customer.accountId()).getJsonObject(0);
  }

  private static String body(boolean stream) {
    return new JsonObject().put("model", MODEL).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "think hard")))
        .encode();
  }
}
