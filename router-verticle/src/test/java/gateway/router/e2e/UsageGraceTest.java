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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client that leaves does not make the rest of its request free: the gateway reads on, unwritten,
 * for the provider's own usage (which counts hidden reasoning), for a few seconds at most. The same
 * for every streaming API: chat, Messages and Responses, each served through the chat shape by an
 * OpenAI chat channel and passed through to a channel of its own protocol (Anthropic, Responses),
 * whose usage comes last in its own way (Anthropic's final {@code message_delta}, Responses'
 * {@code response.completed}).
 */
@ExtendWith(VertxExtension.class)
class UsageGraceTest {
  private static final String MODEL = "reasoning-model";
  private static final String CLAUDE = "reasoning-claude";
  private static final String RESPONSES = "reasoning-responses";
  private static final long START = 10_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_USAGE_GRACE_MS", 3_000));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
    gateway.anthropicModel(CLAUDE, CLAUDE, GatewayUnderTest.price("15", "60", null));
    gateway.channel("fake-responses", new JsonObject().put("type", "openai")
        .put("base_url", gateway.fake.openAiBaseUrl()).put("api_key", GatewayUnderTest.CHANNEL_KEY)
        .put("wire_api", "responses"));
    gateway.routedModel(RESPONSES, "fake-responses", RESPONSES, GatewayUnderTest.price("15", "60", null));
    customer = gateway.customer("10", MODEL, CLAUDE, RESPONSES);
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

    hangUpAfterSending("/chat/completions", body(false), MODEL);

    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("output_tokens")).isEqualTo(700);
    assertThat(row.getLong("cost_micros")).isEqualTo(25 * 15 + 700 * 60);
  }

  /** A streaming API and the model that serves it: through the chat shape, or passed through untranslated. */
  enum Api {
    MESSAGES_THROUGH_CHAT("/messages", MODEL, 880),
    MESSAGES_ON_ANTHROPIC("/messages", CLAUDE, 0),
    RESPONSES_THROUGH_CHAT("/responses", MODEL, 880),
    RESPONSES_ON_RESPONSES("/responses", RESPONSES, 880);

    final String path;
    final String model;
    /** What the usage row says of them: Anthropic reports no reasoning tokens apart. */
    final long reasoningReported;

    Api(String path, String model, long reasoningReported) {
      this.path = path;
      this.model = model;
      this.reasoningReported = reasoningReported;
    }
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  @DisplayName("a Messages or Responses stream client leaving after the content, before the provider's final usage, "
      + "is charged the provider's usage, not the visible text")
  void otherStreamClientsGoneBeforeUsageAreChargedTheReportedUsage(Api api) {
    gateway.fake.script(api.model, Behavior.reply("four visible words here").usage(40, 900).reasoningTokens(880)
        .chunkDelay(Duration.ofMillis(150)));

    // The last text delta: the provider's finishing events, its usage among them, are still to come.
    List<String> seen = http.readStreamThenHangUp(api.path, customer.key(), body(api.path, api.model, true),
        line -> line.contains(" here\""));

    assertThat(seen).as("the provider's final usage was not yet written").noneMatch(line -> line.contains("\":900"));
    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("input_tokens")).isEqualTo(40);
    assertThat(row.getLong("output_tokens")).isEqualTo(900);
    assertThat(row.getLong("reasoning_tokens")).isEqualTo(api.reasoningReported);
    assertThat(row.getLong("cost_micros")).isEqualTo(40 * 15 + 900 * 60);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START - (40 * 15 + 900 * 60));
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  @DisplayName("a non-stream Messages or Responses client hanging up while the provider writes is charged the "
      + "provider's usage when the answer arrives within the grace")
  void otherNonStreamClientsGoneAreChargedTheAnswersUsage(Api api) throws Exception {
    gateway.fake.script(api.model, Behavior.reply("a long essay").usage(25, 700)
        .firstByteDelay(Duration.ofMillis(800)));

    hangUpAfterSending(api.path, body(api.path, api.model, false), api.model);

    JsonObject row = awaitUsageRow();
    assertThat(row.getString("outcome")).isEqualTo(RequestOutcome.CLIENT_DISCONNECTED.wire);
    assertThat(row.getLong("input_tokens")).isEqualTo(25);
    assertThat(row.getLong("output_tokens")).isEqualTo(700);
    assertThat(row.getLong("cost_micros")).isEqualTo(25 * 15 + 700 * 60);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  /** Sends a whole request on a raw socket and closes it once the upstream has the call, before any answer. */
  private void hangUpAfterSending(String path, String body, String upstreamModel) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.config.httpPort())) {
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1" + path + " HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer " + customer.key()
          + "\r\ncontent-type: application/json\r\ncontent-length: " + payload.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.fake.requestsFor(upstreamModel).isEmpty());
    }
  }

  private JsonObject awaitUsageRow() {
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    return gateway.usageRows(customer.accountId()).getJsonObject(0);
  }

  private static String body(boolean stream) {
    return body("/chat/completions", MODEL, stream);
  }

  private static String body(String path, String model, boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("stream", stream);
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "user").put("content", "think hard"));
    return switch (path) {
      case "/responses" -> body.put("input", "think hard").encode();
      case "/messages" -> body.put("max_tokens", 1_000).put("messages", messages).encode();
      default -> body.put("messages", messages).encode();
    };
  }
}
