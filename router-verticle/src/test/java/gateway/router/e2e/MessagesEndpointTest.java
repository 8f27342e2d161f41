package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageDeltaEvent;
import com.anthropic.models.messages.RawMessageStreamEvent;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.provider.WireSamples;
import gateway.testsupport.fake.Behavior;
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
 * {@code /v1/messages} as Claude Code and the Anthropic SDK use it: the gateway key in
 * {@code x-api-key} or as a Bearer token, every refusal of the gateway's own in Anthropic's error
 * shape (which the SDK turns into its typed exceptions), {@code count_tokens}, holds bounded by
 * {@code max_tokens}, and what a translation to another provider leaves out.
 */
@ExtendWith(VertxExtension.class)
class MessagesEndpointTest {
  private static final String CLAUDE = Upstream.ANTHROPIC.alias;
  private static final String GPT = Upstream.OPENAI_CHAT.alias;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    Upstream.ANTHROPIC.install(gateway);
    Upstream.OPENAI_CHAT.install(gateway);
    customer = gateway.customer("10", CLAUDE, GPT);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("the Anthropic SDK authenticates with a gateway key, in x-api-key (apiKey) or as a Bearer token (authToken)")
  void sdkAuthenticatesWithAGatewayKey() {
    gateway.fake.script(Upstream.ANTHROPIC.upstreamModel, Behavior.reply("hi there"));
    AnthropicClient byApiKey = AnthropicSdk.client(gateway, customer.key());
    AnthropicClient byBearer = AnthropicOkHttpClient.builder().baseUrl(gateway.baseUrl()).authToken(customer.key())
        .maxRetries(0).timeout(Duration.ofSeconds(30)).build();

    assertThat(MessagesPairingsTest.text(byApiKey.messages().create(hello(CLAUDE)))).isEqualTo("hi there");
    assertThat(MessagesPairingsTest.text(byBearer.messages().create(hello(CLAUDE)))).isEqualTo("hi there");
    HttpResponse<String> raw = http.post("/messages", null, helloJson(CLAUDE), Map.of("x-api-key", customer.key()));
    assertThat(raw.statusCode()).isEqualTo(200);
    // The channel's own key goes upstream, never the customer's.
    gateway.fake.requestsFor(Upstream.ANTHROPIC.upstreamModel).forEach(request -> {
      assertThat(request.header("x-api-key")).isEqualTo(GatewayUnderTest.CHANNEL_KEY);
      assertThat(request.header("authorization")).isNull();
    });
  }

  @Test
  @DisplayName("the gateway's own refusals are in Anthropic's shape, and the SDK raises its typed exception for each")
  void refusalsInAnthropicShape() {
    assertThatThrownBy(() -> AnthropicSdk.client(gateway, "sk-nope").messages().create(hello(CLAUDE)))
        .isInstanceOf(UnauthorizedException.class);

    HttpResponse<String> missingKey = http.post("/messages", null, helloJson(CLAUDE), Map.of());
    assertAnthropicError(missingKey, 401, "authentication_error");

    Customer broke = gateway.customer(null, CLAUDE);
    AnthropicServiceException noCredits = catchThrowableOfType(AnthropicServiceException.class,
        () -> AnthropicSdk.client(gateway, broke.key()).messages().create(hello(CLAUDE)));
    assertThat(noCredits.statusCode()).isEqualTo(402);
    assertAnthropicError(http.post("/messages", null, helloJson(CLAUDE), Map.of("x-api-key", broke.key())), 402,
        "billing_error");

    Customer scoped = gateway.customer("1", "another-model");
    assertThatThrownBy(() -> AnthropicSdk.client(gateway, scoped.key()).messages().create(hello(CLAUDE)))
        .isInstanceOf(PermissionDeniedException.class);
    assertAnthropicError(http.post("/messages", null, helloJson(CLAUDE), Map.of("x-api-key", scoped.key())), 403,
        "permission_error");

    assertThatThrownBy(() -> AnthropicSdk.client(gateway, customer.key()).messages().create(hello("no-such-model")))
        .isInstanceOf(NotFoundException.class);
    assertAnthropicError(http.post("/messages", null, helloJson("no-such-model"), Map.of("x-api-key", customer.key())),
        404, "not_found_error");
    // The SDK cannot leave max_tokens out, which Anthropic requires; a raw client can.
    JsonObject noMaxTokens = new JsonObject(helloJson(CLAUDE));
    noMaxTokens.remove("max_tokens");
    HttpResponse<String> missingField = http.post("/messages", null, noMaxTokens.encode(),
        Map.of("x-api-key", customer.key()));
    assertAnthropicError(missingField, 400, "invalid_request_error");
    assertThat(new JsonObject(missingField.body()).getJsonObject("error").getString("message")).contains("max_tokens");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("a key over its rate limit gets 429 rate_limit_error, which the SDK raises as RateLimitException")
  void rateLimitInAnthropicShape() {
    long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "limited")).getLong("id");
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
    String key = gateway.admin.ok("POST", "/admin/accounts/" + account + "/keys",
        new JsonObject().put("name", "slow").put("rpm", 1).put("models", new JsonArray().add(CLAUDE))).getString("key");
    AnthropicClient client = AnthropicSdk.client(gateway, key);

    client.messages().create(hello(CLAUDE));
    RateLimitException limited = catchThrowableOfType(RateLimitException.class,
        () -> client.messages().create(hello(CLAUDE)));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().values("retry-after")).isNotEmpty();
    assertAnthropicError(http.post("/messages", null, helloJson(CLAUDE), Map.of("x-api-key", key)), 429,
        "rate_limit_error");
  }

  @Test
  @DisplayName("count_tokens counts the prompt without calling upstream or charging; the key must be allowed the model")
  void countTokens() {
    AnthropicClient client = AnthropicSdk.client(gateway, customer.key());

    long short_ = client.messages().countTokens(MessageCountTokensParams.builder().model(CLAUDE)
        .addUserMessage("hi").build()).inputTokens();
    long long_ = client.messages().countTokens(MessageCountTokensParams.builder().model(CLAUDE)
        .system("You are a careful assistant who answers in full sentences.")
        .addUserMessage("What is the weather like in Paris today, and should I bring an umbrella?").build())
        .inputTokens();

    assertThat(short_).isPositive();
    assertThat(long_).isGreaterThan(short_ + 10);
    assertThatThrownBy(() -> client.messages().countTokens(
        MessageCountTokensParams.builder().model("no-such-model").addUserMessage("hi").build()))
        .isInstanceOf(NotFoundException.class);
    assertThat(gateway.fake.requests()).isEmpty();
    assertThat(gateway.usageRowCount(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("the hold is bounded by max_tokens: too large for the balance is a 402 before any upstream call")
  void holdUsesMaxTokens() {
    Customer small = gateway.customer("0.01", CLAUDE); // 10,000 µcr; an output token costs 60
    AnthropicClient client = AnthropicSdk.client(gateway, small.key());

    AnthropicServiceException refused = catchThrowableOfType(AnthropicServiceException.class, () ->
        client.messages().create(MessageCreateParams.builder().model(CLAUDE).maxTokens(1_000).addUserMessage("hi")
            .build()));
    Message served = client.messages().create(MessageCreateParams.builder().model(CLAUDE).maxTokens(50)
        .addUserMessage("hi").build());

    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(served.content()).isNotEmpty();
    assertThat(gateway.fake.requestsFor(Upstream.ANTHROPIC.upstreamModel)).hasSize(1);
  }

  @Test
  @DisplayName("translated for another provider, thinking blocks, cache_control and the thinking switch are left out")
  void translationLeavesOutWhatOnlyAnthropicReads() {
    JsonObject request = WireSamples.json("anthropic/request-thinking-cache-control.json").put("model", GPT);

    HttpResponse<String> response = http.post("/messages", null, request.encode(), Map.of("x-api-key", customer.key()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("type")).isEqualTo("message");
    JsonObject sent = gateway.fake.requestsFor(Upstream.OPENAI_CHAT.upstreamModel).get(0).body();
    assertThat(sent.containsKey("thinking")).isFalse();
    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(20000);
    assertThat(sent.encode()).doesNotContain("cache_control").doesNotContain("signature");
    JsonArray messages = sent.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "assistant")
        .put("content", "27 * 453 = 12,231"));
  }

  @Test
  @DisplayName("MCP servers only Anthropic runs: to a translated route the request is a 400 saying why, and free")
  void mcpServersNeedAnAnthropicChannel() {
    JsonObject request = new JsonObject(helloJson(GPT)).put("mcp_servers", new JsonArray().add(new JsonObject()
        .put("type", "url").put("url", "https://example.com/sse").put("name", "example")));

    HttpResponse<String> response = http.post("/messages", null, request.encode(), Map.of("x-api-key", customer.key()));

    assertAnthropicError(response, 400, "invalid_request_error");
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).contains("mcp_servers");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  private static MessageCreateParams hello(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("hi").build();
  }

  private static String helloJson(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 100).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static void assertAnthropicError(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("type", "error");
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo(type);
    assertThat(body.getJsonObject("error").getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("a stream from a chat channel: message_start carries the gateway's prompt count (as count_tokens says), the final message_delta the provider's")
  void messageStartCarriesThePromptCount() {
    gateway.fake.script(Upstream.OPENAI_CHAT.upstreamModel, Behavior.reply("a short answer").usage(777, 4));
    AnthropicClient client = AnthropicSdk.client(gateway, customer.key());
    MessageCreateParams params = MessageCreateParams.builder().model(GPT).maxTokens(64)
        .system("You are terse.").addUserMessage("How big is my context right now, roughly?").build();

    List<RawMessageStreamEvent> events = MessagesPairingsTest.stream(client, params);

    long local = client.messages().countTokens(MessageCountTokensParams.builder().model(GPT)
        .system("You are terse.").addUserMessage("How big is my context right now, roughly?").build()).inputTokens();
    assertThat(local).isPositive().isNotEqualTo(777);
    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(0).asMessageStart().message().usage().inputTokens()).isEqualTo(local);
    RawMessageDeltaEvent last = events.stream().filter(RawMessageStreamEvent::isMessageDelta)
        .map(RawMessageStreamEvent::asMessageDelta).reduce((a, b) -> b).orElseThrow();
    assertThat(last.usage().inputTokens()).contains(777L);
    assertThat(MessagesPairingsTest.text(MessagesPairingsTest.accumulate(events))).isEqualTo("a short answer");
  }
}
