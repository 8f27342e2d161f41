package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAI SDK through the gateway to a Google Gemini upstream, translated both ways and charged once. */
@ExtendWith(VertxExtension.class)
class GeminiUpstreamTest {
  private static final String MODEL = "gemini-flash";
  private static final String UPSTREAM_MODEL = "gemini-2.5-flash";
  private static final long START_MICROS = 10_000_000;
  private static final JsonObject WEATHER_ARGUMENTS = new JsonObject().put("location", "Paris").put("unit", "c");

  private GatewayUnderTest gateway;
  private Customer customer;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.geminiModel(MODEL, UPSTREAM_MODEL, GatewayUnderTest.price("15", "60", "7.5"));
    customer = gateway.customer("10", MODEL);
    client = gateway.sdk(customer.key());
  }

  @Test
  @DisplayName("a non-stream completion reaches Gemini's generateContent and comes back in OpenAI shape, charged exactly")
  void nonStreamCompletion() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("Hello there, friend").usage(100, 20));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addSystemMessage("You are terse.").addUserMessage("Say hello").maxCompletionTokens(64).build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there, friend");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo(MODEL);
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.completionTokens()).isEqualTo(20);
    assertThat(SdkStreams.cost(usage._additionalProperties())).isEqualByComparingTo("0.0027"); // 100 × 15 + 20 × 60 µcr
    gateway.awaitBalance(customer.accountId(), START_MICROS - 2_700);

    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(upstream.body().getJsonObject("systemInstruction")).isEqualTo(new JsonObject()
        .put("parts", new JsonArray().add(new JsonObject().put("text", "You are terse."))));
    assertThat(upstream.body().getJsonArray("contents")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("role", "user").put("parts", new JsonArray().add(new JsonObject().put("text", "Say hello")))));
    assertThat(upstream.body().getJsonObject("generationConfig").getInteger("maxOutputTokens")).isEqualTo(64);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("channel")).isEqualTo("fake-gemini");
    assertThat(row.getString("outcome")).isEqualTo("completed");
  }

  @Test
  @DisplayName("a streamed completion uses streamGenerateContent with alt=sse, arrives whole, and its usage chunk carries the cost")
  void streamedCompletion() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four five").usage(50, 5));

    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build());

    assertThat(SdkStreams.text(chunks)).isEqualTo("one two three four five");
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(MODEL));
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(50);
    assertThat(usage.completionTokens()).isEqualTo(5);
    assertThat(SdkStreams.cost(usage._additionalProperties())).isEqualByComparingTo("0.00105");
    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(upstream.query()).isEqualTo("alt=sse");
    gateway.awaitBalance(customer.accountId(), START_MICROS - 1_050);
  }

  @Test
  @DisplayName("parallel function calls come back with ids of their own, and their results go back as functionResponses by name")
  void parallelToolCallRoundTrip() {
    gateway.fake.script(UPSTREAM_MODEL,
        Behavior.toolCall("get_weather", WEATHER_ARGUMENTS.encode()).withToolCall("get_time", "{\"city\":\"Paris\"}"),
        Behavior.reply("18°C at noon in Paris."));
    ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Weather and time in Paris?")
        .addFunctionTool(tool("get_weather"))
        .addFunctionTool(tool("get_time"));

    ChatCompletion first = client.chat().completions().create(conversation.build());
    ChatCompletionMessage assistant = first.choices().get(0).message();
    List<ChatCompletionMessageFunctionToolCall> calls = assistant.toolCalls().orElseThrow().stream()
        .map(ChatCompletionMessageToolCall::asFunction).toList();
    ChatCompletion second = client.chat().completions().create(conversation
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(1).id()).content("12:00").build())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(calls.get(0).id())
            .content("{\"temperature\":18}").build())
        .build());

    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(calls).extracting(c -> c.function().name()).containsExactly("get_weather", "get_time");
    assertThat(calls.get(0).id()).startsWith("call_").isNotEqualTo(calls.get(1).id());
    assertThat(new JsonObject(calls.get(0).function().arguments())).isEqualTo(WEATHER_ARGUMENTS);
    assertThat(second.choices().get(0).message().content()).contains("18°C at noon in Paris.");

    JsonObject firstSent = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0).body();
    assertThat(firstSent.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations")).hasSize(2);
    JsonArray contents = gateway.fake.requestsFor(UPSTREAM_MODEL).get(1).body().getJsonArray("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "model").put("parts", new JsonArray()
        .add(new JsonObject().put("functionCall", new JsonObject().put("name", "get_weather")
            .put("args", WEATHER_ARGUMENTS)))
        .add(new JsonObject().put("functionCall", new JsonObject().put("name", "get_time")
            .put("args", new JsonObject().put("city", "Paris"))))));
    assertThat(contents.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "user").put("parts", new JsonArray()
        .add(new JsonObject().put("functionResponse", new JsonObject().put("name", "get_time")
            .put("response", new JsonObject().put("content", "12:00"))))
        .add(new JsonObject().put("functionResponse", new JsonObject().put("name", "get_weather")
            .put("response", new JsonObject().put("temperature", 18))))));
  }

  @Test
  @DisplayName("streamed function calls open with id and name, then carry their whole arguments; finish reason tool_calls")
  void streamedToolCalls() {
    gateway.fake.script(UPSTREAM_MODEL,
        Behavior.reply("Checking.").withToolCall("get_weather", WEATHER_ARGUMENTS.encode()));

    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Weather in Paris?").addFunctionTool(tool("get_weather")).build());

    List<ChatCompletionChunk.Choice.Delta.ToolCall> calls = chunks.stream()
        .flatMap(c -> c.choices().stream())
        .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(List::stream))
        .toList();
    assertThat(SdkStreams.text(chunks)).isEqualTo("Checking.");
    assertThat(calls.get(0).id()).hasValueSatisfying(id -> assertThat(id).startsWith("call_"));
    assertThat(calls.get(0).function().orElseThrow().name()).contains("get_weather");
    assertThat(new JsonObject(calls.stream().map(c -> c.function().flatMap(f -> f.arguments()).orElse(""))
        .collect(Collectors.joining()))).isEqualTo(WEATHER_ARGUMENTS);
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(c -> c.finishReason().stream()))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  @DisplayName("cached prompt tokens, inside Gemini's prompt count, are priced once at the cache-read price; thinking is output")
  void cachedTokensPricedOnce() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("ok").usage(100, 20).cachedTokens(40).reasoningTokens(5));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("hi").build());

    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.completionTokens()).isEqualTo(20);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(40L);
    assertThat(usage.completionTokensDetails().orElseThrow().reasoningTokens()).contains(5L);
    // 60 uncached × 15 + 40 cached × 7.5 + 20 × 60 µcr
    gateway.awaitBalance(customer.accountId(), START_MICROS - 2_400);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getLong("input_tokens")).isEqualTo(60);
    assertThat(row.getLong("cache_read_tokens")).isEqualTo(40);
    assertThat(row.getLong("output_tokens")).isEqualTo(20);
    assertThat(row.getLong("reasoning_tokens")).isEqualTo(5);
  }

  @Test
  @DisplayName("an answer Gemini blocks for safety is a normal completion with finish reason content_filter, streamed or not")
  void safetyBlockIsANormalAnswer() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("never shown").finishReason("content_filter").usage(12, 0));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("something unsafe").build());
    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("something unsafe").build());

    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    assertThat(completion.choices().get(0).message().content().orElse("")).isEmpty();
    assertThat(SdkStreams.text(chunks)).isEmpty();
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(c -> c.finishReason().stream()))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.CONTENT_FILTER);
    gateway.awaitBalance(customer.accountId(), START_MICROS - 2 * 12 * 15);
  }

  @Test
  @DisplayName("a stream Gemini cuts off mid-answer ends the client's stream with an error, not a hang or a clean end")
  void cutStreamEndsWithAnError() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four five six").usage(40, 6).cutAfterChunks(2));

    SdkStreams.assertStreamFails(client,
        ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Count").build(), "broke");
    awaitSettled("upstream_cut");
  }

  @Test
  @DisplayName("an error object in the middle of a Gemini stream ends the client's stream with that error")
  void errorEventEndsWithAnError() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four").usage(40, 4)
        .errorEventAfterChunks(1, "The model is overloaded."));

    SdkStreams.assertStreamFails(client,
        ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Count").build(),
        "The model is overloaded.");
    awaitSettled("upstream_cut");
  }

  @Test
  @DisplayName("a channel whose key Gemini refuses (400 API_KEY_INVALID) is the gateway's failure: 502, never the client's 400")
  void refusedChannelKeyIsNotTheClientsError() {
    gateway.channel("fake-gemini-wrong-key", new JsonObject().put("type", "gemini")
        .put("base_url", gateway.fake.geminiBaseUrl()).put("api_key", "AIza-revoked"));
    gateway.routedModel(MODEL, "fake-gemini-wrong-key", UPSTREAM_MODEL, GatewayUnderTest.price("15", "60", "7.5"));

    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("hi").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
    gateway.awaitBalance(customer.accountId(), START_MICROS);
  }

  @Test
  @DisplayName("the upstream sees the channel's key in x-goog-api-key, not in the URL, and never the client's key")
  void channelKeyReachesTheUpstream() {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build());

    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.header("x-goog-api-key")).isEqualTo(GatewayUnderTest.CHANNEL_KEY);
    assertThat(upstream.header("authorization")).isNull();
    assertThat(upstream.query()).isNull();
    upstream.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(customer.key()));
    assertThat(upstream.body().encode()).doesNotContain(customer.key());
  }

  private static FunctionDefinition tool(String name) {
    return FunctionDefinition.builder().name(name).description("Looks up " + name)
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of(
                "location", Map.of("type", "string"), "unit", Map.of("type", "string"))))
            .putAdditionalProperty("additionalProperties", JsonValue.from(false))
            .build())
        .build();
  }

  private void awaitSettled(String outcome) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(outcome);
    assertThat(row.getLong("cost_micros")).isPositive();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - row.getLong("cost_micros"));
  }
}
