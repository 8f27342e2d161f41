package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.RawHttp.Event;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream outcomes of the README, on the new endpoints, passed through and translated: what
 * the client sees as the stream ends and what it is charged.
 */
@ExtendWith(VertxExtension.class)
class InboundStreamOutcomesTest {
  private static final long START_MICROS = 10_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    // The provider's usage is waited for only briefly after a client leaves, so the streams here,
    // which run on for longer, are cancelled (UsageGraceTest covers usage that comes in time).
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_USAGE_GRACE_MS", 50));
    for (Upstream upstream : Upstream.values()) {
      upstream.install(gateway);
    }
    customer = gateway.customer("10", Upstream.ANTHROPIC.alias, Upstream.OPENAI_CHAT.alias,
        Upstream.OPENAI_RESPONSES.alias);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("Messages, passed through: Anthropic's overloaded error event mid-stream reaches the client as that type, with no message_stop")
  void anthropicErrorEventKeepsItsType() {
    gateway.fake.script(Upstream.ANTHROPIC.upstreamModel, Behavior.reply("one two three four").usage(40, 4)
        .errorEventAfterChunks(2, "Overloaded"));

    HttpResponse<String> response = http.post("/messages", customer.key(), messages(Upstream.ANTHROPIC.alias));

    List<Event> events = RawHttp.events(response.body());
    Event last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo("error");
    assertThat(last.data().getJsonObject("error").getString("type")).isEqualTo("overloaded_error");
    assertThat(last.data().getJsonObject("error").getString("message")).contains("Overloaded");
    assertThat(events).extracting(Event::type).contains("content_block_delta").doesNotContain("message_stop");
    assertSettled("upstream_cut");
  }

  @Test
  @DisplayName("Messages, translated: a client hanging up mid-stream cancels the provider and pays for what was generated")
  void messagesClientGone() {
    gateway.fake.script(Upstream.OPENAI_CHAT.upstreamModel, Behavior.reply("one two three four five six seven eight")
        .chunkDelay(Duration.ofMillis(100)));

    http.readStreamThenHangUp("/messages", customer.key(), messages(Upstream.OPENAI_CHAT.alias),
        line -> line.contains("three"));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.fake.cancelledStreams() == 1);
    assertSettled("client_disconnected");
  }

  @Test
  @DisplayName("Responses, passed through: a client hanging up mid-stream cancels the provider and pays for what was generated")
  void responsesClientGone() {
    gateway.fake.script(Upstream.OPENAI_RESPONSES.upstreamModel,
        Behavior.reply("one two three four five six seven eight").chunkDelay(Duration.ofMillis(100)));

    http.readStreamThenHangUp("/responses", customer.key(), new JsonObject().put("model",
        Upstream.OPENAI_RESPONSES.alias).put("input", "Count").put("stream", true).encode(),
        line -> line.contains("three"));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.fake.cancelledStreams() == 1);
    assertSettled("client_disconnected");
  }

  @Test
  @DisplayName("Responses, passed through: OpenAI's error event mid-stream ends the client's stream with response.failed")
  void responsesErrorEventEndsWithResponseFailed() {
    gateway.fake.script(Upstream.OPENAI_RESPONSES.upstreamModel, Behavior.reply("one two three four").usage(40, 4)
        .errorEventAfterChunks(2, "server busy"));

    HttpResponse<String> response = http.post("/responses", customer.key(), new JsonObject()
        .put("model", Upstream.OPENAI_RESPONSES.alias).put("input", "Count").put("stream", true).encode());

    List<Event> events = RawHttp.events(response.body());
    Event last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo("response.failed");
    assertThat(last.data().getJsonObject("response").getString("model")).isEqualTo(Upstream.OPENAI_RESPONSES.alias);
    assertThat(last.data().getJsonObject("response").getJsonObject("error").getString("message")).contains("server busy");
    assertThat(last.data().getLong("sequence_number"))
        .isEqualTo(events.get(events.size() - 2).data().getLong("sequence_number") + 1);
    assertThat(events).extracting(Event::type).doesNotContain("response.completed");
    assertSettled("upstream_cut");
  }

  private static String messages(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 100).put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Count")))
        .encode();
  }

  private void assertSettled(String outcome) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(outcome);
    assertThat(row.getLong("output_tokens")).isPositive();
    assertThat(row.getLong("cost_micros")).isPositive();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - row.getLong("cost_micros"));
  }
}
