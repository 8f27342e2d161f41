package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.errors.RateLimitException;
import com.anthropic.models.messages.MessageCountTokensParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code count_tokens} is free but bounded: a smaller body limit than the other endpoints (2 KiB here) and a number
 * of calls per key and minute (3 here), each refusal in Anthropic's shape.
 */
@ExtendWith(VertxExtension.class)
class CountTokensLimitsTest {
  private static final String CLAUDE = Upstream.ANTHROPIC.alias;

  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_COUNT_TOKENS_MAX_BODY_BYTES", 2048)
        .with("GATEWAY_COUNT_TOKENS_PER_MINUTE", 3));
    Upstream.ANTHROPIC.install(gateway);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a body over count_tokens' own limit is Anthropic's 413 request_too_large; /v1/messages still takes it")
  void largeBodyIs413() {
    Customer customer = gateway.customer("10", CLAUDE);
    gateway.fake.script(Upstream.ANTHROPIC.upstreamModel, Behavior.reply("ok"));
    String big = request("word ".repeat(1000));

    HttpResponse<String> counted = http.post("/messages/count_tokens", null, big, Map.of("x-api-key", customer.key()));
    HttpResponse<String> answered = http.post("/messages", null, big, Map.of("x-api-key", customer.key()));

    assertThat(counted.statusCode()).isEqualTo(413);
    JsonObject body = new JsonObject(counted.body());
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("type")).isEqualTo("request_too_large");
    assertThat(answered.statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("past its calls per minute a key gets 429 with Retry-After (the SDK's RateLimitException); other keys go on")
  void callsPerMinuteAreLimited() {
    Customer busy = gateway.customer("10", CLAUDE);
    Customer other = gateway.customer("10", CLAUDE);
    MessageCountTokensParams params = MessageCountTokensParams.builder().model(CLAUDE).addUserMessage("hi").build();

    for (int i = 0; i < 3; i++) {
      assertThat(AnthropicSdk.client(gateway, busy.key()).messages().countTokens(params).inputTokens()).isPositive();
    }
    HttpResponse<String> refused = http.post("/messages/count_tokens", null, request("hi"),
        Map.of("x-api-key", busy.key()));
    RateLimitException sdk = catchThrowableOfType(RateLimitException.class,
        () -> AnthropicSdk.client(gateway, busy.key()).messages().countTokens(params));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("type")).isEqualTo("rate_limit_error");
    assertThat(refused.headers().firstValue("retry-after")).hasValueSatisfying(
        seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
    assertThat(sdk.statusCode()).isEqualTo(429);
    assertThat(AnthropicSdk.client(gateway, other.key()).messages().countTokens(params).inputTokens()).isPositive();
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("the count is the same tokenizer's as before the move off the event loop: more words, more tokens")
  void countsAreStillCounts() {
    Customer customer = gateway.customer("10", CLAUDE);

    long few = count(customer, "hi");
    long more = count(customer, "hi there, how are you doing on this fine morning in the city?");

    assertThat(few).isPositive();
    assertThat(more).isGreaterThan(few + 5);
  }

  private long count(Customer customer, String text) {
    HttpResponse<String> response = http.post("/messages/count_tokens", null, request(text),
        Map.of("x-api-key", customer.key()));
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body()).getLong("input_tokens");
  }

  private static String request(String text) {
    return new JsonObject().put("model", CLAUDE).put("max_tokens", 100).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", text))).encode();
  }
}
