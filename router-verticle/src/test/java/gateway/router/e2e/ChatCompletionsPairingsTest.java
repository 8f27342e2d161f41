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

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
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
 * The official OpenAI SDK through {@code POST /v1/chat/completions} to each kind of channel, with
 * the same round trip, usage and breakage as the other endpoints' pairing tests: the chat shape is
 * every translation's pivot, so this also covers the OpenAI Responses upstream adapter.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Chat completions in, every upstream out")
class ChatCompletionsPairingsTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("a tool-call round trip: the tool call comes back, its tool message goes upstream, both turns charged")
  void toolRoundTrip(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptToolRoundTrip();
    OpenAIClient client = scenario.gateway.sdk(scenario.customer.key());
    ChatCompletionCreateParams.Builder conversation = conversation(scenario.alias());

    ChatCompletion first = client.chat().completions().create(conversation.build());
    ChatCompletionMessage assistant = first.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().orElseThrow().get(0).asFunction();
    ChatCompletion second = client.chat().completions().create(conversation.addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(TOOL_OUTPUT).build())
        .build());

    assertThat(first.model()).isEqualTo(scenario.alias());
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(assistant.content()).contains(FIRST_TEXT);
    assertThat(call.function().name()).isEqualTo(TOOL);
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(ARGUMENTS);
    CompletionUsage usage = first.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(40L);
    assertThat(usage.completionTokens()).isEqualTo(20);
    assertThat(cost(usage._additionalProperties())).isEqualByComparingTo(FIRST_COST_CREDITS);
    assertThat(second.choices().get(0).message().content()).contains(FINAL_TEXT);
    scenario.assertToolResultSent(call.id());
    scenario.assertBothTurnsCharged();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("the same round trip streamed: chunks, the tool call opened then its argument fragments, the priced usage chunk")
  void streamedToolRoundTrip(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptToolRoundTrip();
    OpenAIClient client = scenario.gateway.sdk(scenario.customer.key());
    ChatCompletionCreateParams.Builder conversation = conversation(scenario.alias())
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());

    List<ChatCompletionChunk> firstChunks = stream(client, conversation.build());
    ChatCompletionMessage assistant = accumulate(firstChunks).choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().orElseThrow().get(0).asFunction();
    List<ChatCompletionChunk> secondChunks = stream(client, conversation.addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(TOOL_OUTPUT).build())
        .build());

    assertThat(firstChunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(scenario.alias()));
    assertThat(assistant.content()).contains(FIRST_TEXT);
    assertThat(call.function().name()).isEqualTo(TOOL);
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(ARGUMENTS);
    CompletionUsage usage = firstChunks.get(firstChunks.size() - 1).usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(cost(usage._additionalProperties())).isEqualByComparingTo(FIRST_COST_CREDITS);
    assertThat(accumulate(secondChunks).choices().get(0).message().content()).contains(FINAL_TEXT);
    scenario.assertToolResultSent(call.id());
    scenario.assertBothTurnsCharged();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Upstream.class)
  @DisplayName("a stream the provider breaks after content ends with an error the SDK raises, not a hang")
  void brokenStreamEndsWithAnError(Upstream upstream, Vertx vertx) {
    PairingScenario scenario = new PairingScenario(GatewayUnderTest.start(vertx), upstream);
    scenario.scriptCutStream();
    OpenAIClient client = scenario.gateway.sdk(scenario.customer.key());
    List<ChatCompletionChunk> received = new ArrayList<>();

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> {
      try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(
          ChatCompletionCreateParams.builder().model(scenario.alias()).addUserMessage("Count").build())) {
        response.stream().forEach(received::add);
      }
    }).isInstanceOf(OpenAIException.class).hasMessageContaining("broke"));

    assertThat(received).anyMatch(c -> c.choices().stream().anyMatch(ch -> ch.delta().content().isPresent()));
    scenario.assertCutCharged();
  }

  static ChatCompletionCreateParams.Builder conversation(String model) {
    return ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(512)
        .addSystemMessage("You answer about the weather.")
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder().name(TOOL).description("Current weather of a city")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "location", Map.of("type", "string"), "unit", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("location")))
                .build())
            .build());
  }

  static List<ChatCompletionChunk> stream(OpenAIClient client, ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(params)) {
      return response.stream().collect(Collectors.toCollection(ArrayList::new));
    }
  }

  static ChatCompletion accumulate(List<ChatCompletionChunk> chunks) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    chunks.forEach(accumulator::accumulate);
    return accumulator.chatCompletion();
  }

  static BigDecimal cost(Map<String, JsonValue> properties) {
    return new BigDecimal(properties.get("cost").toString());
  }
}
