package gateway.router.e2e;

import static gateway.router.e2e.PairingScenario.ARGUMENTS;
import static gateway.router.e2e.PairingScenario.FINAL_TEXT;
import static gateway.router.e2e.PairingScenario.FIRST_COST_CREDITS;
import static gateway.router.e2e.PairingScenario.FIRST_TEXT;
import static gateway.router.e2e.PairingScenario.TOOL;
import static gateway.router.e2e.PairingScenario.TOOL_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
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
 * The official OpenAI SDK through {@code POST /v1/responses} to each kind of channel: passed
 * through to a {@code wire_api: responses} channel, translated for the others; a tool-call round
 * trip whole and streamed, the usage and cost of each turn, and a stream the provider breaks.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Responses in, every upstream out")
class ResponsesPairingsTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("a tool-call round trip: the function_call comes back, its output goes upstream, both turns charged")
  void toolRoundTrip(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptToolRoundTrip();
    OpenAIClient client = scenario.gateway.sdk(scenario.customer.key());
    List<ResponseInputItem> input = new ArrayList<>(List.of(userMessage()));

    Response first = client.responses().create(turn(scenario.alias(), input));
    ResponseFunctionToolCall call = functionCall(first);
    input.addAll(asInput(first));
    input.add(toolOutput(call.callId()));
    Response second = client.responses().create(turn(scenario.alias(), input));

    assertThat(first.model().asString()).isEqualTo(scenario.alias());
    assertThat(first.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(first)).isEqualTo(FIRST_TEXT);
    assertThat(call.name()).isEqualTo(TOOL);
    assertThat(new JsonObject(call.arguments())).isEqualTo(ARGUMENTS);
    assertThat(first.usage().orElseThrow().inputTokens()).isEqualTo(100);
    assertThat(first.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(40);
    assertThat(first.usage().orElseThrow().outputTokens()).isEqualTo(20);
    assertThat(cost(first.usage().orElseThrow()._additionalProperties())).isEqualByComparingTo(FIRST_COST_CREDITS);
    assertThat(text(second)).isEqualTo(FINAL_TEXT);
    scenario.assertToolResultSent(call.callId());
    scenario.assertBothTurnsCharged();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("the same round trip streamed: response.created … output_text.delta … response.completed with usage and cost")
  void streamedToolRoundTrip(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptToolRoundTrip();
    OpenAIClient client = scenario.gateway.sdk(scenario.customer.key());
    List<ResponseInputItem> input = new ArrayList<>(List.of(userMessage()));

    List<ResponseStreamEvent> firstEvents = stream(client, turn(scenario.alias(), input));
    Response first = accumulate(firstEvents);
    ResponseFunctionToolCall call = functionCall(first);
    input.addAll(asInput(first));
    input.add(toolOutput(call.callId()));
    Response second = accumulate(stream(client, turn(scenario.alias(), input)));

    assertThat(firstEvents.get(0).isCreated()).isTrue();
    assertThat(firstEvents.get(0).asCreated().response().model().asString()).isEqualTo(scenario.alias());
    assertThat(firstEvents).anyMatch(ResponseStreamEvent::isOutputTextDelta);
    assertThat(firstEvents).anyMatch(ResponseStreamEvent::isFunctionCallArgumentsDelta);
    ResponseStreamEvent last = firstEvents.get(firstEvents.size() - 1);
    assertThat(last.isCompleted()).isTrue();
    assertThat(last.asCompleted().response().usage().orElseThrow().inputTokens()).isEqualTo(100);
    assertThat(cost(last.asCompleted().response().usage().orElseThrow()._additionalProperties()))
        .isEqualByComparingTo(FIRST_COST_CREDITS);
    assertThat(text(first)).isEqualTo(FIRST_TEXT);
    assertThat(call.name()).isEqualTo(TOOL);
    assertThat(new JsonObject(call.arguments())).isEqualTo(ARGUMENTS);
    assertThat(text(second)).isEqualTo(FINAL_TEXT);
    scenario.assertToolResultSent(call.callId());
    scenario.assertBothTurnsCharged();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("a stream the provider breaks after content ends with response.failed and no response.completed, not a hang")
  void brokenStreamEndsWithResponseFailed(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptCutStream();
    OpenAIClient client = scenario.gateway.sdk(scenario.customer.key());

    List<ResponseStreamEvent> events = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        stream(client, ResponseCreateParams.builder().model(scenario.alias()).input("Count").build()));

    assertThat(events).anyMatch(ResponseStreamEvent::isOutputTextDelta);
    assertThat(events).noneMatch(ResponseStreamEvent::isCompleted);
    ResponseStreamEvent last = events.get(events.size() - 1);
    assertThat(last.isFailed()).isTrue();
    assertThat(last.asFailed().response().status()).contains(ResponseStatus.FAILED);
    assertThat(last.asFailed().response().error().orElseThrow().message()).contains("broke off");
    scenario.assertCutCharged();
  }

  static ResponseCreateParams turn(String model, List<ResponseInputItem> input) {
    return ResponseCreateParams.builder().model(model)
        .instructions("You answer about the weather.")
        .maxOutputTokens(512)
        .addTool(FunctionTool.builder().name(TOOL).description("Current weather of a city").strict(false)
            .parameters(FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "location", Map.of("type", "string"), "unit", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("location")))
                .build())
            .build())
        .inputOfResponse(List.copyOf(input))
        .build();
  }

  static ResponseInputItem userMessage() {
    return ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
        .content("Weather in Paris?").build());
  }

  /** The output items a client sends back in its next turn: the message and the function call. */
  static List<ResponseInputItem> asInput(Response response) {
    List<ResponseInputItem> items = new ArrayList<>();
    for (ResponseOutputItem item : response.output()) {
      if (item.isMessage()) {
        items.add(ResponseInputItem.ofResponseOutputMessage(item.asMessage()));
      } else if (item.isFunctionCall()) {
        items.add(ResponseInputItem.ofFunctionCall(item.asFunctionCall()));
      }
    }
    return items;
  }

  static ResponseInputItem toolOutput(String callId) {
    return ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(callId)
        .output(TOOL_OUTPUT).build());
  }

  static ResponseFunctionToolCall functionCall(Response response) {
    return response.output().stream().filter(ResponseOutputItem::isFunctionCall)
        .map(ResponseOutputItem::asFunctionCall).findFirst()
        .orElseThrow(() -> new AssertionError("no function_call in " + response));
  }

  static String text(Response response) {
    return response.output().stream().filter(ResponseOutputItem::isMessage)
        .flatMap(item -> item.asMessage().content().stream())
        .filter(content -> content.isOutputText())
        .map(content -> content.asOutputText().text())
        .collect(Collectors.joining());
  }

  static List<ResponseStreamEvent> stream(OpenAIClient client, ResponseCreateParams params) {
    try (StreamResponse<ResponseStreamEvent> response = client.responses().createStreaming(params)) {
      return response.stream().collect(Collectors.toCollection(ArrayList::new));
    }
  }

  static Response accumulate(List<ResponseStreamEvent> events) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    events.forEach(accumulator::accumulate);
    return accumulator.response();
  }

  static BigDecimal cost(Map<String, JsonValue> properties) {
    return new BigDecimal(properties.get("cost").toString());
  }
}
