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
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAI SDK through the gateway to an Anthropic Messages upstream, translated both ways and charged once. */
@ExtendWith(VertxExtension.class)
class AnthropicUpstreamTest {
  private static final String MODEL = "claude-sonnet";
  private static final String UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";
  private static final long START_MICROS = 10_000_000;
  private static final JsonObject WEATHER_ARGUMENTS = new JsonObject().put("location", "Paris").put("unit", "c");

  private GatewayUnderTest gateway;
  private Customer customer;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.anthropicModel(MODEL, UPSTREAM_MODEL,
        GatewayUnderTest.price("15", "60", "7.5").put("cache_write_per_mtok", "20"));
    customer = gateway.customer("10", MODEL);
    client = gateway.sdk(customer.key());
  }

  @Test
  @DisplayName("a non-stream completion reaches Anthropic as a Messages request and comes back in OpenAI shape, charged exactly")
  void nonStreamCompletion() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("Hello there, friend").usage(100, 20));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addSystemMessage("You are terse.").addUserMessage("Say hello").build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there, friend");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo(MODEL);
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.completionTokens()).isEqualTo(20);
    assertThat(SdkStreams.cost(usage._additionalProperties())).isEqualByComparingTo("0.0027"); // 100 × 15 + 20 × 60 µcr
    gateway.awaitBalance(customer.accountId(), START_MICROS - 2_700);

    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.path()).isEqualTo("/v1/messages");
    assertThat(upstream.body().getString("model")).isEqualTo(UPSTREAM_MODEL);
    assertThat(upstream.body().getInteger("max_tokens")).isEqualTo(4096);
    assertThat(upstream.body().getJsonArray("system"))
        .isEqualTo(new JsonArray().add(new JsonObject().put("type", "text").put("text", "You are terse.")));
    assertThat(upstream.body().getJsonArray("messages")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Say hello")))));
    assertThat(upstream.body().containsKey("stream")).isFalse();
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("channel")).isEqualTo("fake-anthropic");
    assertThat(row.getString("outcome")).isEqualTo("completed");
  }

  @Test
  @DisplayName("a streamed completion arrives whole as OpenAI chunks, and the usage chunk the client asked for carries the cost")
  void streamedCompletion() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four five").usage(50, 5));

    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build());

    assertThat(SdkStreams.text(chunks)).isEqualTo("one two three four five");
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(MODEL));
    assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(50);
    assertThat(usage.completionTokens()).isEqualTo(5);
    assertThat(SdkStreams.cost(usage._additionalProperties())).isEqualByComparingTo("0.00105"); // 50 × 15 + 5 × 60 µcr
    assertThat(gateway.fake.requestsFor(UPSTREAM_MODEL).get(0).body().getBoolean("stream")).isTrue();
    gateway.awaitBalance(customer.accountId(), START_MICROS - 1_050);
  }

  @Test
  @DisplayName("a tool call comes back with Anthropic's id, and its result goes back as a tool_result for that id")
  void toolCallRoundTrip() {
    gateway.fake.script(UPSTREAM_MODEL,
        Behavior.reply("Let me check.").withToolCall("get_weather", WEATHER_ARGUMENTS.encode()),
        Behavior.reply("It is 18°C in Paris."));
    ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(weatherTool());

    ChatCompletion first = client.chat().completions().create(conversation.build());
    ChatCompletionMessage assistant = first.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = assistant.toolCalls().orElseThrow().get(0).asFunction();
    ChatCompletion second = client.chat().completions().create(conversation
        .addMessage(assistant)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18°C, sunny").build())
        .build());

    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(assistant.content()).contains("Let me check.");
    assertThat(call.id()).startsWith("toolu_");
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(WEATHER_ARGUMENTS);
    assertThat(second.choices().get(0).message().content()).contains("It is 18°C in Paris.");

    JsonObject firstSent = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0).body();
    assertThat(firstSent.getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("get_weather");
    assertThat(firstSent.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema").getString("type"))
        .isEqualTo("object");
    JsonArray messages = gateway.fake.requestsFor(UPSTREAM_MODEL).get(1).body().getJsonArray("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "assistant").put("content",
        new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "Let me check."))
            .add(new JsonObject().put("type", "tool_use").put("id", call.id()).put("name", "get_weather")
                .put("input", WEATHER_ARGUMENTS))));
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "user").put("content",
        new JsonArray().add(new JsonObject().put("type", "tool_result").put("tool_use_id", call.id())
            .put("content", "18°C, sunny"))));
  }

  @Test
  @DisplayName("a streamed tool call after text is tool call 0 with its id and name first, then its argument fragments")
  void streamedToolCallAfterText() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("Let me check.")
        .withToolCall("get_weather", WEATHER_ARGUMENTS.encode())
        .withToolCall("get_time", "{\"city\":\"Paris\"}"));

    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Weather and time in Paris?").addFunctionTool(weatherTool()).build());

    assertThat(SdkStreams.text(chunks)).isEqualTo("Let me check.");
    List<ChatCompletionChunk.Choice.Delta.ToolCall> calls = chunks.stream()
        .flatMap(c -> c.choices().stream())
        .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(List::stream))
        .toList();
    List<ChatCompletionChunk.Choice.Delta.ToolCall> starts = calls.stream().filter(c -> c.id().isPresent()).toList();
    assertThat(starts).extracting(c -> c.index()).containsExactly(0L, 1L);
    assertThat(starts).extracting(c -> c.function().orElseThrow().name().orElseThrow())
        .containsExactly("get_weather", "get_time");
    assertThat(new JsonObject(SdkStreams.arguments(calls, 0))).isEqualTo(WEATHER_ARGUMENTS);
    assertThat(new JsonObject(SdkStreams.arguments(calls, 1)).getString("city")).isEqualTo("Paris");
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).flatMap(c -> c.finishReason().stream()))
        .containsExactly(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  @DisplayName("tool_choice 'none' goes upstream as Anthropic's {type: none} and the answer comes back")
  void toolChoiceNone() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("No tools needed."));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Just talk.").addFunctionTool(weatherTool())
        .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build());

    assertThat(completion.choices().get(0).message().content()).contains("No tools needed.");
    assertThat(gateway.fake.requestsFor(UPSTREAM_MODEL).get(0).body().getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "none"));
  }

  @Test
  @DisplayName("cache reads and writes, outside Anthropic's input_tokens, are each priced once at their own price")
  void cachedTokensPricedOnce() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("ok").usage(100, 20).cachedTokens(40).cacheWriteTokens(10));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("hi").build());

    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(40L);
    // 50 uncached × 15 + 40 read × 7.5 + 10 written × 20 + 20 × 60 µcr
    gateway.awaitBalance(customer.accountId(), START_MICROS - 2_450);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getLong("input_tokens")).isEqualTo(50);
    assertThat(row.getLong("cache_read_tokens")).isEqualTo(40);
    assertThat(row.getLong("cache_write_tokens")).isEqualTo(10);
    assertThat(row.getLong("output_tokens")).isEqualTo(20);
    assertThat(row.getLong("cost_micros")).isEqualTo(2_450);
  }

  @Test
  @DisplayName("a stream Anthropic cuts off mid-answer ends the client's stream with an error, not a hang or a clean end")
  void cutStreamEndsWithAnError() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four five six").usage(40, 6).cutAfterChunks(2));

    SdkStreams.assertStreamFails(client,
        ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Count").build(), "broke");
    awaitSettled("upstream_cut");
  }

  @Test
  @DisplayName("an overloaded error event mid-stream ends the client's stream with an error")
  void errorEventEndsWithAnError() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four").usage(40, 4)
        .errorEventAfterChunks(1, "Overloaded"));

    SdkStreams.assertStreamFails(client,
        ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("Count").build(),
        "Overloaded");
    awaitSettled("upstream_cut");
  }

  @Test
  @DisplayName("Anthropic overloaded (529) before any answer fails over; with no other route the client gets 502 and pays nothing")
  void overloadedIsAnUpstreamError() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.error(529, "Overloaded"));

    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("hi").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
    gateway.awaitBalance(customer.accountId(), START_MICROS);
  }

  @Test
  @DisplayName("the upstream sees the channel's key in x-api-key with anthropic-version, never the client's key")
  void channelKeyReachesTheUpstream() {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build());

    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.header("x-api-key")).isEqualTo(GatewayUnderTest.CHANNEL_KEY);
    assertThat(upstream.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(upstream.header("authorization")).isNull();
    upstream.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(customer.key()));
    assertThat(upstream.body().encode()).doesNotContain(customer.key());
  }

  private static FunctionDefinition weatherTool() {
    return FunctionDefinition.builder().name("get_weather").description("Current weather of a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of(
                "location", Map.of("type", "string"), "unit", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("location")))
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
