package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OpenAI SDK through the gateway to an OpenAI-compatible upstream, charged to the micro-credit. */
@ExtendWith(VertxExtension.class)
class ChatCompletionsTest {
  private static final String MODEL = "gpt-4o-mini";
  private static final String UPSTREAM_MODEL = "gpt-4o-mini-2024-07-18";

  private GatewayUnderTest gateway;
  private Customer customer;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel(MODEL, UPSTREAM_MODEL, GatewayUnderTest.price("15", "60", "7.5"));
    customer = gateway.customer("10", MODEL);
    client = gateway.sdk(customer.key());
  }

  @Test
  @DisplayName("a non-stream completion returns the upstream answer, reports its cost, and is charged exactly that")
  void nonStreamCompletionIsChargedToTheMicroCredit() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("Hello there, friend").usage(100, 20));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("Say hello").build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello there, friend");
    assertThat(completion.model()).isEqualTo(MODEL);
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(100);
    assertThat(usage.completionTokens()).isEqualTo(20);
    // 100 × 15 µcr + 20 × 60 µcr
    assertThat(SdkStreams.cost(usage._additionalProperties())).isEqualByComparingTo("0.0027");
    gateway.awaitBalance(customer.accountId(), 10_000_000 - 2_700);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("channel")).isEqualTo("fake-openai");
    assertThat(row.getString("outcome")).isEqualTo("completed");
    assertThat(row.getLong("input_tokens")).isEqualTo(100);
    assertThat(row.getLong("output_tokens")).isEqualTo(20);
    assertThat(row.getLong("cost_micros")).isEqualTo(2_700);
  }

  @Test
  @DisplayName("a streamed completion arrives whole, and the usage chunk the client asked for carries the cost")
  void streamedCompletionWithUsage() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("one two three four five").usage(50, 5));

    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build());

    assertThat(SdkStreams.text(chunks)).isEqualTo("one two three four five");
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(usage.completionTokens()).isEqualTo(5);
    assertThat(SdkStreams.cost(usage._additionalProperties())).isEqualByComparingTo("0.00105"); // 50 × 15 + 5 × 60 µcr
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(MODEL));
    gateway.awaitBalance(customer.accountId(), 10_000_000 - 1_050);
  }

  @Test
  @DisplayName("a stream whose client did not ask for usage shows no usage chunk, yet usage is asked upstream and charged")
  void usageChunkHiddenFromClientsThatDidNotAsk() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("alpha beta").usage(10, 2));

    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Go").build());

    assertThat(SdkStreams.text(chunks)).isEqualTo("alpha beta");
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.choices()).isNotEmpty();
      assertThat(c.usage()).isEmpty();
    });
    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    gateway.awaitBalance(customer.accountId(), 10_000_000 - (10 * 15 + 2 * 60));
  }

  @Test
  @DisplayName("tool definitions go upstream and tool calls come back, streamed and not")
  void toolCallsPassThrough() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.toolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}"));
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder().name("get_weather").build())
        .build();

    ChatCompletion completion = client.chat().completions().create(params);
    List<ChatCompletionChunk> chunks = SdkStreams.stream(client, params);

    ChatCompletionMessageToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.asFunction().function().arguments()))
        .isEqualTo(new JsonObject().put("city", "Paris").put("unit", "c"));
    String streamedArguments = chunks.stream()
        .flatMap(c -> c.choices().stream())
        .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(List::stream))
        .map(tc -> tc.function().flatMap(f -> f.arguments()).orElse(""))
        .collect(Collectors.joining());
    assertThat(new JsonObject(streamedArguments)).isEqualTo(new JsonObject().put("city", "Paris").put("unit", "c"));
    JsonArray tools = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0).body().getJsonArray("tools");
    assertThat(tools.getJsonObject(0).getJsonObject("function").getString("name")).isEqualTo("get_weather");
  }

  @Test
  @DisplayName("a multi-turn conversation reaches the upstream whole, with the upstream model name and unknown fields")
  void multiTurnAndUnknownFieldsPassThrough() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("Paris."));

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL)
        .addSystemMessage("You are terse.")
        .addUserMessage("Capital of France?")
        .addAssistantMessage("Paris.")
        .addUserMessage("And of Italy?")
        .putAdditionalBodyProperty("enable_thinking", JsonValue.from(true))
        .putAdditionalBodyProperty("vendor_options", JsonValue.from(Map.of("tier", "fast")))
        .build());

    assertThat(completion.choices().get(0).message().content()).contains("Paris.");
    JsonObject sent = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0).body();
    assertThat(sent.getString("model")).isEqualTo(UPSTREAM_MODEL);
    assertThat(sent.getJsonArray("messages")).hasSize(4);
    assertThat(sent.getJsonArray("messages").getJsonObject(3).getString("content")).isEqualTo("And of Italy?");
    assertThat(sent.getBoolean("enable_thinking")).isTrue();
    assertThat(sent.getJsonObject("vendor_options").getString("tier")).isEqualTo("fast");
  }

  @Test
  @DisplayName("the upstream sees the channel's key, never the client's")
  void clientKeyNeverReachesTheUpstream() {
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build());

    RecordedRequest upstream = gateway.fake.requestsFor(UPSTREAM_MODEL).get(0);
    assertThat(upstream.header("authorization")).isEqualTo("Bearer " + GatewayUnderTest.CHANNEL_KEY);
    upstream.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(customer.key()));
    assertThat(upstream.body().encode()).doesNotContain(customer.key());
  }

  @Test
  @DisplayName("cached prompt tokens are priced once, at the cache-read price")
  void cachedTokensArePricedOnce() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("ok").usage(100, 20).cachedTokens(40));

    client.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL).addUserMessage("hi").build());

    // 60 uncached × 15 + 40 cached × 7.5 + 20 × 60 µcr
    gateway.awaitBalance(customer.accountId(), 10_000_000 - 2_400);
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getLong("input_tokens")).isEqualTo(60);
    assertThat(row.getLong("cache_read_tokens")).isEqualTo(40);
  }

  @Test
  @DisplayName("when the upstream reports no usage, the gateway counts the tokens itself and charges them")
  void missingUsageIsCounted() {
    gateway.fake.script(UPSTREAM_MODEL, Behavior.reply("a counted answer of several words").omitUsage());

    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(MODEL).addUserMessage("count me").build());

    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isPositive();
    assertThat(usage.completionTokens()).isPositive();
    long expected = usage.promptTokens() * 15 + usage.completionTokens() * 60;
    gateway.awaitBalance(customer.accountId(), 10_000_000 - expected);
  }

}
