package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pass-through route that fails after opening its stream but before any content has sent the
 * client nothing (its lifecycle events were held back), so the next route, translated, serves the
 * whole answer; with no next route the client gets a plain HTTP error in its own format and pays
 * nothing.
 */
@ExtendWith(VertxExtension.class)
class InboundFallbackTest {
  private static final long START_MICROS = 10_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    for (Upstream upstream : Upstream.values()) {
      upstream.install(gateway);
    }
    gateway.model("claude-first", Upstream.PRICE,
        route(Upstream.ANTHROPIC, "up-claude-flaky", 0), route(Upstream.OPENAI_CHAT, "up-gpt-steady", 1));
    gateway.model("responses-first", Upstream.PRICE,
        route(Upstream.OPENAI_RESPONSES, "up-responses-flaky", 0), route(Upstream.GEMINI, "up-gemini-steady", 1));
    customer = gateway.customer("10", "claude-first", "responses-first", Upstream.ANTHROPIC.alias);
  }

  @Test
  @DisplayName("Messages: Anthropic errors after message_start and ping; the OpenAI route serves a clean stream, charged once")
  void messagesStreamFallsBackBeforeContent() {
    gateway.fake.script("up-claude-flaky", Behavior.reply("never shown").errorEventAfterChunks(0, "Overloaded"));
    gateway.fake.script("up-gpt-steady", Behavior.reply("from the fallback").usage(30, 5));
    AnthropicClient client = AnthropicSdk.client(gateway, customer.key());

    List<RawMessageStreamEvent> events = MessagesPairingsTest.stream(client, MessageCreateParams.builder()
        .model("claude-first").maxTokens(100).addUserMessage("hi").build());

    assertThat(events).filteredOn(RawMessageStreamEvent::isMessageStart).hasSize(1);
    assertThat(MessagesPairingsTest.text(MessagesPairingsTest.accumulate(events))).isEqualTo("from the fallback");
    assertThat(gateway.fake.requestsFor("up-claude-flaky")).hasSize(1);
    assertCharged("fake-openai", 30 * 15 + 5 * 60);
  }

  @Test
  @DisplayName("Messages, whole answer: Anthropic overloaded (529) falls back to the OpenAI route, answered in Anthropic's format")
  void messagesFallBackOnOverload() {
    gateway.fake.script("up-claude-flaky", Behavior.error(529, "Overloaded"));
    gateway.fake.script("up-gpt-steady", Behavior.reply("from the fallback").usage(30, 5));

    Message message = AnthropicSdk.client(gateway, customer.key()).messages().create(MessageCreateParams.builder()
        .model("claude-first").maxTokens(100).addUserMessage("hi").build());

    assertThat(MessagesPairingsTest.text(message)).isEqualTo("from the fallback");
    assertCharged("fake-openai", 30 * 15 + 5 * 60);
  }

  @Test
  @DisplayName("Responses: the Responses channel errors after response.created; Gemini serves, and the client sees one response.created")
  void responsesStreamFallsBackBeforeContent() {
    gateway.fake.script("up-responses-flaky", Behavior.reply("never shown").errorEventAfterChunks(0, "server busy"));
    gateway.fake.script("up-gemini-steady", Behavior.reply("from the fallback").usage(30, 5));

    List<ResponseStreamEvent> events = ResponsesPairingsTest.stream(gateway.sdk(customer.key()),
        ResponseCreateParams.builder().model("responses-first").input("hi").build());

    assertThat(events).filteredOn(ResponseStreamEvent::isCreated).hasSize(1);
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertThat(ResponsesPairingsTest.text(ResponsesPairingsTest.accumulate(events))).isEqualTo("from the fallback");
    assertCharged("fake-gemini", 30 * 15 + 5 * 60);
  }

  @Test
  @DisplayName("Messages with no other route: a failure before content is a plain 502 in Anthropic's error shape, and free")
  void failureBeforeContentWithoutFallbackIsAFree502() {
    gateway.fake.script(Upstream.ANTHROPIC.upstreamModel, Behavior.reply("never shown").errorEventAfterChunks(0, "Overloaded"));

    HttpResponse<String> response = new RawHttp(gateway.v1()).post("/messages", null, new JsonObject()
        .put("model", Upstream.ANTHROPIC.alias).put("max_tokens", 50).put("stream", true)
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
        .encode(), Map.of("x-api-key", customer.key()));

    assertThat(response.statusCode()).isEqualTo(502);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo("api_error");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1));
    assertThat(gateway.usageRows(customer.accountId()).getJsonObject(0).getString("outcome")).isEqualTo("failed");
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  private static JsonObject route(Upstream upstream, String upstreamModel, int priority) {
    return new JsonObject().put("channel", upstream.channel).put("model", upstreamModel).put("priority", priority);
  }

  private void assertCharged(String channel, long micros) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("channel")).isEqualTo(channel);
    assertThat(row.getString("outcome")).isEqualTo("completed");
    assertThat(row.getLong("cost_micros")).isEqualTo(micros);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - micros);
  }
}
