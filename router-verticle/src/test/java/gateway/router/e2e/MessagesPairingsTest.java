package gateway.router.e2e;

import static gateway.router.e2e.PairingScenario.ARGUMENTS;
import static gateway.router.e2e.PairingScenario.FINAL_TEXT;
import static gateway.router.e2e.PairingScenario.FIRST_COST_CREDITS;
import static gateway.router.e2e.PairingScenario.FIRST_TEXT;
import static gateway.router.e2e.PairingScenario.TOOL;
import static gateway.router.e2e.PairingScenario.TOOL_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official Anthropic SDK through {@code POST /v1/messages} to each kind of channel: passed
 * through to Anthropic, translated for the others; a tool-call round trip whole and streamed, the
 * usage and cost of each turn, and a stream the provider breaks.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Messages in, every upstream out")
class MessagesPairingsTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("a tool-call round trip: the tool_use comes back, its tool_result goes upstream, both turns charged")
  void toolRoundTrip(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptToolRoundTrip();
    AnthropicClient client = AnthropicSdk.client(scenario.gateway, scenario.customer.key());
    MessageCreateParams.Builder conversation = conversation(scenario.alias());

    Message first = client.messages().create(conversation.build());
    ToolUseBlock call = toolUse(first);
    Message second = client.messages().create(conversation.addMessage(first)
        .addUserMessageOfContentBlockParams(List.of(toolResult(call.id()))).build());

    assertThat(first.model().asString()).isEqualTo(scenario.alias());
    assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(text(first)).isEqualTo(FIRST_TEXT);
    assertThat(call.name()).isEqualTo(TOOL);
    assertThat(new JsonObject(call._input().convert(Map.class))).isEqualTo(ARGUMENTS);
    assertThat(first.usage().inputTokens()).isEqualTo(60);
    assertThat(first.usage().cacheReadInputTokens()).contains(40L);
    assertThat(first.usage().outputTokens()).isEqualTo(20);
    assertThat(cost(first.usage()._additionalProperties())).isEqualByComparingTo(FIRST_COST_CREDITS);
    assertThat(text(second)).isEqualTo(FINAL_TEXT);
    assertThat(second.stopReason()).contains(StopReason.END_TURN);
    scenario.assertToolResultSent(call.id());
    scenario.assertBothTurnsCharged();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("the same round trip streamed: Anthropic's events, the tool input in fragments, the cost on message_delta")
  void streamedToolRoundTrip(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptToolRoundTrip();
    AnthropicClient client = AnthropicSdk.client(scenario.gateway, scenario.customer.key());
    MessageCreateParams.Builder conversation = conversation(scenario.alias());

    List<RawMessageStreamEvent> firstEvents = stream(client, conversation.build());
    Message first = accumulate(firstEvents);
    ToolUseBlock call = toolUse(first);
    List<RawMessageStreamEvent> secondEvents = stream(client, conversation.addMessage(first)
        .addUserMessageOfContentBlockParams(List.of(toolResult(call.id()))).build());

    assertThat(firstEvents.get(0).isMessageStart()).isTrue();
    assertThat(firstEvents.get(0).asMessageStart().message().model().asString()).isEqualTo(scenario.alias());
    assertThat(firstEvents.get(firstEvents.size() - 1).isMessageStop()).isTrue();
    // Gemini sends a call's arguments whole; the others in fragments.
    assertThat(firstEvents).filteredOn(e -> e.isContentBlockDelta() && e.asContentBlockDelta().delta().isInputJson())
        .hasSizeGreaterThanOrEqualTo(upstream == Upstream.GEMINI ? 1 : 2);
    assertThat(text(first)).isEqualTo(FIRST_TEXT);
    assertThat(call.name()).isEqualTo(TOOL);
    assertThat(new JsonObject(call._input().convert(Map.class))).isEqualTo(ARGUMENTS);
    assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
    RawMessageStreamEvent delta = firstEvents.stream().filter(RawMessageStreamEvent::isMessageDelta).findFirst()
        .orElseThrow();
    assertThat(delta.asMessageDelta().usage().outputTokens()).isEqualTo(20);
    assertThat(cost(delta.asMessageDelta().usage()._additionalProperties())).isEqualByComparingTo(FIRST_COST_CREDITS);
    assertThat(text(accumulate(secondEvents))).isEqualTo(FINAL_TEXT);
    scenario.assertToolResultSent(call.id());
    scenario.assertBothTurnsCharged();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("a stream the provider breaks after content ends with Anthropic's error event, which the SDK raises, not a hang")
  void brokenStreamEndsWithAnErrorEvent(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptCutStream();
    AnthropicClient client = AnthropicSdk.client(scenario.gateway, scenario.customer.key());
    List<RawMessageStreamEvent> received = new ArrayList<>();

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> {
      try (StreamResponse<RawMessageStreamEvent> response = client.messages().createStreaming(
          MessageCreateParams.builder().model(scenario.alias()).maxTokens(200).addUserMessage("Count").build())) {
        response.stream().forEach(received::add);
      }
    }).isInstanceOf(AnthropicException.class).hasMessageContaining("broke off"));

    assertThat(received).anyMatch(RawMessageStreamEvent::isContentBlockDelta);
    assertThat(received).noneMatch(RawMessageStreamEvent::isMessageStop);
    scenario.assertCutCharged();
  }

  static MessageCreateParams.Builder conversation(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(512)
        .system("You answer about the weather.")
        .addTool(Tool.builder().name(TOOL).description("Current weather of a city")
            .inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("location", Map.of("type", "string"),
                    "unit", Map.of("type", "string"))))
                .addRequired("location").build())
            .build())
        .addUserMessage("Weather in Paris?");
  }

  static ContentBlockParam toolResult(String callId) {
    return ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(callId).content(TOOL_OUTPUT).build());
  }

  static ToolUseBlock toolUse(Message message) {
    return message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).findFirst()
        .orElseThrow(() -> new AssertionError("no tool_use in " + message));
  }

  static String text(Message message) {
    return message.content().stream().filter(ContentBlock::isText).map(b -> b.asText().text())
        .collect(Collectors.joining());
  }

  static List<RawMessageStreamEvent> stream(AnthropicClient client, MessageCreateParams params) {
    try (StreamResponse<RawMessageStreamEvent> response = client.messages().createStreaming(params)) {
      return response.stream().collect(Collectors.toCollection(ArrayList::new));
    }
  }

  static Message accumulate(List<RawMessageStreamEvent> events) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    events.forEach(accumulator::accumulate);
    return accumulator.message();
  }

  static BigDecimal cost(Map<String, JsonValue> properties) {
    return new BigDecimal(properties.get("cost").toString());
  }
}
