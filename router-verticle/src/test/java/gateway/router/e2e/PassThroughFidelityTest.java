package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.ThinkingConfigEnabled;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.RawHttp.Event;
import gateway.router.provider.WireSamples;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
 * A client whose channel speaks its own format gets the provider's answer exactly as the provider
 * sent it: recorded wire samples from the providers' docs are replayed upstream, and the client
 * must see every event and field unchanged but the model (the alias) and the added cost; the
 * provider must see the client's request unchanged but the model.
 */
@ExtendWith(VertxExtension.class)
class PassThroughFidelityTest {
  private static final String CLAUDE = "claude-pt";
  private static final String CLAUDE_UPSTREAM = "claude-sonnet-4-5-20250929";
  private static final String GPT = "gpt-pt";
  private static final String GPT_UPSTREAM = "gpt-4.1-2025-04-14";
  private static final long START_MICROS = 10_000_000;

  private GatewayUnderTest gateway;
  private ReplayUpstream replay;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    replay = ReplayUpstream.start(vertx);
    // Channels whose operator lets clients use the beta and the stored state these samples carry.
    gateway.channel("replay-anthropic", new JsonObject().put("type", "anthropic").put("base_url", replay.baseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY)
        .put("allow", new JsonObject().put("anthropic_beta", new JsonArray().add("interleaved-thinking-2025-05-14"))));
    gateway.channel("replay-responses", new JsonObject().put("type", "openai").put("wire_api", "responses")
        .put("base_url", replay.baseUrl()).put("api_key", GatewayUnderTest.CHANNEL_KEY)
        .put("allow", new JsonObject().put("stored_responses", true)));
    gateway.routedModel(CLAUDE, "replay-anthropic", CLAUDE_UPSTREAM, Upstream.PRICE);
    gateway.routedModel(GPT, "replay-responses", GPT_UPSTREAM, Upstream.PRICE);
    customer = gateway.customer("10", CLAUDE, GPT);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("Anthropic → Anthropic, streamed: thinking with its signature, every event as sent; the request as sent, anthropic-beta too")
  void anthropicStreamIsRelayedUnchanged() {
    replay.answer("text/event-stream", WireSamples.bytes("anthropic/stream-thinking.sse"));
    JsonObject request = WireSamples.json("anthropic/request-thinking-cache-control.json").put("model", CLAUDE)
        .put("stream", true);

    HttpResponse<String> response = http.post("/messages", null, request.encode(),
        Map.of("x-api-key", customer.key(), "anthropic-version", "2023-06-01", "anthropic-beta", "interleaved-thinking-2025-05-14"));

    assertThat(response.statusCode()).isEqualTo(200);
    ReplayUpstream.Received upstream = replay.received().get(0);
    assertThat(upstream.path()).isEqualTo("/v1/messages");
    assertThat(upstream.body()).isEqualTo(request.copy().put("model", CLAUDE_UPSTREAM));
    assertThat(upstream.headers().get("anthropic-beta")).isEqualTo("interleaved-thinking-2025-05-14");
    assertThat(upstream.headers().get("x-api-key")).isEqualTo(GatewayUnderTest.CHANNEL_KEY);
    List<Event> sent = RawHttp.events(WireSamples.bytes("anthropic/stream-thinking.sse").toString());
    List<Event> received = RawHttp.events(response.body());
    assertThat(received).hasSameSizeAs(sent);
    for (int i = 0; i < sent.size(); i++) {
      Event expected = sent.get(i);
      Event actual = received.get(i);
      assertThat(actual.type()).isEqualTo(expected.type());
      switch (expected.type()) {
        case "message_start" -> expected.data().getJsonObject("message").put("model", CLAUDE);
        case "message_delta" -> {
          // The sample reports no usage: the gateway adds the counted one, with its cost.
          assertThat(actual.data().getJsonObject("usage").getValue("cost")).isNotNull();
          actual.data().remove("usage");
        }
        default -> { }
      }
      assertThat(actual.data()).as("event %d", i).isEqualTo(expected.data());
    }
    awaitCompletedRow();
  }

  @Test
  @DisplayName("the Anthropic SDK streaming through a pass-through keeps the thinking block's signature for its next turn")
  void anthropicSdkKeepsTheThinkingSignature() {
    replay.answer("text/event-stream", withUsage(WireSamples.bytes("anthropic/stream-thinking.sse").toString()));
    AnthropicClient client = AnthropicSdk.client(gateway, customer.key());

    Message message;
    try (StreamResponse<RawMessageStreamEvent> response = client.messages().createStreaming(MessageCreateParams
        .builder().model(CLAUDE).maxTokens(20000).thinking(ThinkingConfigEnabled.builder().budgetTokens(16000).build())
        .addUserMessage("What is 27 * 453?").build())) {
      MessageAccumulator accumulator = MessageAccumulator.create();
      response.stream().forEach(accumulator::accumulate);
      message = accumulator.message();
    }

    ContentBlock thinking = message.content().get(0);
    assertThat(thinking.isThinking()).isTrue();
    assertThat(thinking.asThinking().signature()).isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...");
    assertThat(thinking.asThinking().thinking()).startsWith("Let me solve this step by step");
    assertThat(message.content().get(1).asText().text()).isEqualTo("27 * 453 = 12,231");
    assertThat(message.model().asString()).isEqualTo(CLAUDE);
  }

  @Test
  @DisplayName("Anthropic → Anthropic, whole: the documented message as sent, its three input buckets each priced once")
  void anthropicMessageIsRelayedUnchanged() {
    replay.answer("application/json", WireSamples.bytes("anthropic/message-api-reference.json"));
    JsonObject request = WireSamples.json("anthropic/request-tool-result.json").put("model", CLAUDE);

    HttpResponse<String> response = http.post("/messages", null, request.encode(),
        Map.of("x-api-key", customer.key(), "anthropic-version", "2023-06-01"));

    JsonObject expected = WireSamples.json("anthropic/message-api-reference.json").put("model", CLAUDE);
    // 2095 uncached × 15 + 2051 read × 7.5 + 2051 written × 15 (the input price) + 503 × 60, rounded up once
    expected.getJsonObject("usage").put("cost", 0.107753);
    assertThat(new JsonObject(response.body())).isEqualTo(expected);
    assertThat(replay.received().get(0).body()).isEqualTo(request.copy().put("model", CLAUDE_UPSTREAM));
    assertThat(awaitCompletedRow().getLong("cost_micros")).isEqualTo(107_753);
  }

  @Test
  @DisplayName("Responses → Responses, streamed: every documented event as sent, the cost on response.completed")
  void responsesStreamIsRelayedUnchanged() {
    replay.answer("text/event-stream", WireSamples.bytes("responses/stream-text.sse"));

    HttpResponse<String> response = http.post("/responses", customer.key(),
        new JsonObject().put("model", GPT).put("input", "Tell me a story").put("stream", true).encode());

    List<Event> sent = RawHttp.events(WireSamples.bytes("responses/stream-text.sse").toString());
    List<Event> received = RawHttp.events(response.body());
    assertThat(received).hasSameSizeAs(sent);
    for (int i = 0; i < sent.size(); i++) {
      JsonObject expected = sent.get(i).data();
      if (expected.getValue("response") instanceof JsonObject r) {
        r.put("model", GPT);
      }
      if (expected.getString("type").equals("response.completed")) {
        expected.getJsonObject("response").getJsonObject("usage").put("cost", 0);
      }
      assertThat(received.get(i).type()).isEqualTo(sent.get(i).type());
      assertThat(received.get(i).data()).as("event %d", i).isEqualTo(expected);
    }
    assertThat(awaitCompletedRow().getLong("cost_micros")).isZero(); // the sample reports zero tokens
  }

  @Test
  @DisplayName("Responses → Responses, whole: the documented response as sent, with its cost; the request as sent, stored state and all")
  void responsesResponseIsRelayedUnchanged() {
    replay.answer("application/json", WireSamples.bytes("responses/response-create.json"));
    JsonObject request = new JsonObject().put("model", GPT)
        .put("previous_response_id", "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b")
        .put("include", new JsonArray().add("reasoning.encrypted_content"))
        .put("store", false)
        .put("input", new JsonArray()
            .add(new JsonObject().put("type", "reasoning").put("id", "rs_1").put("summary", new JsonArray())
                .put("encrypted_content", "gAAAA-opaque"))
            .add(new JsonObject().put("role", "user").put("content", "Another one, please.")))
        .put("a_field_openai_adds_next_year", true);

    HttpResponse<String> response = http.post("/responses", customer.key(), request.encode());

    JsonObject expected = WireSamples.json("responses/response-create.json").put("model", GPT);
    expected.getJsonObject("usage").put("cost", 0.00576); // 36 × 15 + 87 × 60 µcr
    assertThat(new JsonObject(response.body())).isEqualTo(expected);
    assertThat(replay.received().get(0).path()).isEqualTo("/v1/responses");
    // Untouched but for the upstream model and the output limit that was held (the client set none).
    assertThat(replay.received().get(0).body()).isEqualTo(request.copy().put("model", GPT_UPSTREAM)
        .put("max_output_tokens", 4096));
    assertThat(awaitCompletedRow().getLong("cost_micros")).isEqualTo(5_760);
  }

  /**
   * The docs' thinking sample leaves out the usage that Anthropic's {@code message_start} and
   * {@code message_delta} always carry, and that the SDK requires: put it back.
   */
  private static io.vertx.core.buffer.Buffer withUsage(String sample) {
    StringBuilder sse = new StringBuilder();
    for (Event event : RawHttp.events(sample)) {
      JsonObject data = event.data();
      switch (event.type()) {
        case "message_start" -> data.getJsonObject("message").put("usage",
            new JsonObject().put("input_tokens", 40).put("output_tokens", 1));
        case "message_delta" -> data.put("usage", new JsonObject().put("output_tokens", 120));
        default -> { }
      }
      sse.append("event: ").append(event.type()).append("\ndata: ").append(data.encode()).append("\n\n");
    }
    return io.vertx.core.buffer.Buffer.buffer(sse.toString());
  }

  @Test
  @DisplayName("a whole-answer client of a channel that only streams gets the stream folded into Anthropic's message, signature kept")
  void streamOnlyAnthropicChannelFoldsTheStream() {
    gateway.channel("replay-anthropic", new JsonObject().put("type", "anthropic").put("base_url", replay.baseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY).put("stream_only", true));
    replay.answer("text/event-stream", withUsage(WireSamples.bytes("anthropic/stream-thinking.sse").toString()));
    JsonObject request = WireSamples.json("anthropic/request-thinking-cache-control.json").put("model", CLAUDE);

    HttpResponse<String> response = http.post("/messages", null, request.encode(), Map.of("x-api-key", customer.key()));

    JsonObject message = new JsonObject(response.body());
    assertThat(replay.received().get(0).body().getBoolean("stream")).isTrue();
    assertThat(message.getString("model")).isEqualTo(CLAUDE);
    assertThat(message.getString("stop_reason")).isEqualTo("end_turn");
    JsonArray content = message.getJsonArray("content");
    assertThat(content.getJsonObject(0).getString("signature"))
        .isEqualTo("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...");
    assertThat(content.getJsonObject(1).getString("text")).isEqualTo("27 * 453 = 12,231");
    assertThat(message.getJsonObject("usage").getLong("output_tokens")).isEqualTo(120);
    assertThat(message.getJsonObject("usage").getValue("cost")).isNotNull();
    assertThat(awaitCompletedRow().getLong("output_tokens")).isEqualTo(120);
  }

  @Test
  @DisplayName("a whole-answer client of a Responses channel that only streams gets the response of response.completed")
  void streamOnlyResponsesChannelFoldsTheStream() {
    gateway.channel("replay-responses", new JsonObject().put("type", "openai").put("wire_api", "responses")
        .put("base_url", replay.baseUrl()).put("api_key", GatewayUnderTest.CHANNEL_KEY).put("stream_only", true));
    replay.answer("text/event-stream", WireSamples.bytes("responses/stream-text.sse"));

    HttpResponse<String> response = http.post("/responses", customer.key(),
        new JsonObject().put("model", GPT).put("input", "Tell me a story").encode());

    List<Event> sent = RawHttp.events(WireSamples.bytes("responses/stream-text.sse").toString());
    JsonObject expected = sent.get(sent.size() - 1).data().getJsonObject("response").put("model", GPT);
    expected.getJsonObject("usage").put("cost", 0);
    assertThat(new JsonObject(response.body())).isEqualTo(expected);
    assertThat(replay.received().get(0).body().getBoolean("stream")).isTrue();
    awaitCompletedRow();
  }

  private JsonObject awaitCompletedRow() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo("completed");
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - row.getLong("cost_micros"));
    return row;
  }
}
