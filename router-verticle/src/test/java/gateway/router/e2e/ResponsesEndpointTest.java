package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /v1/responses} beyond the pairings: OpenAI's error shape, the output bound of the hold,
 * how {@code instructions} and {@code max_output_tokens} reach a translated provider, and the
 * provider-side state a translation cannot carry.
 */
@ExtendWith(VertxExtension.class)
class ResponsesEndpointTest {
  private static final String CLAUDE = Upstream.ANTHROPIC.alias;
  private static final String GPT_RESPONSES = Upstream.OPENAI_RESPONSES.alias;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    Upstream.ANTHROPIC.install(gateway);
    Upstream.OPENAI_RESPONSES.install(gateway);
    customer = gateway.customer("10", CLAUDE, GPT_RESPONSES);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("instructions become Anthropic's system prompt and max_output_tokens its max_tokens")
  void instructionsAndOutputBoundReachAnthropic() {
    gateway.fake.script(Upstream.ANTHROPIC.upstreamModel, Behavior.reply("Bonjour"));

    Response response = gateway.sdk(customer.key()).responses().create(ResponseCreateParams.builder().model(CLAUDE)
        .instructions("Answer in French.").maxOutputTokens(64).input("Say hello").build());

    assertThat(ResponsesPairingsTest.text(response)).isEqualTo("Bonjour");
    JsonObject sent = gateway.fake.requestsFor(Upstream.ANTHROPIC.upstreamModel).get(0).body();
    assertThat(sent.getInteger("max_tokens")).isEqualTo(64);
    assertThat(sent.getJsonArray("system").getJsonObject(0).getString("text")).isEqualTo("Answer in French.");
    assertThat(sent.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getString("text")).isEqualTo("Say hello");
  }

  @Test
  @DisplayName("previous_response_id reaches a Responses channel allowing stored responses as is, but to a translated route it is a 400 saying why, and free")
  void providerStateOnlyOnAResponsesChannel() {
    gateway.channel(Upstream.OPENAI_RESPONSES.channel, Upstream.OPENAI_RESPONSES.definition(gateway)
        .put("allow", new JsonObject().put("stored_responses", true)));
    JsonObject request = new JsonObject().put("model", CLAUDE).put("input", "And then?")
        .put("previous_response_id", "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");

    HttpResponse<String> translated = http.post("/responses", customer.key(), request.encode());
    HttpResponse<String> passedThrough = http.post("/responses", customer.key(), request.copy()
        .put("model", GPT_RESPONSES).encode());

    assertThat(translated.statusCode()).isEqualTo(400);
    JsonObject error = RawHttp.error(translated);
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "code", "param");
    assertThat(error.getString("code")).isEqualTo("invalid_value");
    assertThat(error.getString("message")).contains("previous_response_id");
    assertThat(gateway.fake.requestsFor(Upstream.ANTHROPIC.upstreamModel)).isEmpty();
    assertThat(passedThrough.statusCode()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor(Upstream.OPENAI_RESPONSES.upstreamModel).get(0).body()
        .getString("previous_response_id")).isEqualTo("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(2));
    assertThat(gateway.usageRows(customer.accountId()).stream().map(row -> ((JsonObject) row).getString("outcome")))
        .containsExactlyInAnyOrder("failed", "completed");
  }

  @Test
  @DisplayName("refusals have OpenAI's error shape, which the SDK raises as its typed exceptions")
  void refusalsInOpenAiShape() {
    assertThatThrownBy(() -> gateway.sdk("sk-nope").responses().create(hello(CLAUDE)))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> gateway.sdk(customer.key()).responses().create(hello("no-such-model")))
        .isInstanceOf(NotFoundException.class);
    Customer broke = gateway.customer(null, CLAUDE);
    assertThatThrownBy(() -> gateway.sdk(broke.key()).responses().create(hello(CLAUDE)))
        .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> assertThat(e.statusCode()).isEqualTo(402));
    HttpResponse<String> noInput = http.post("/responses", customer.key(),
        new JsonObject().put("model", CLAUDE).encode());
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(noInput).getString("param")).isEqualTo("input");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("the hold is bounded by max_output_tokens: too large for the balance is a 402 before any upstream call")
  void holdUsesMaxOutputTokens() {
    Customer small = gateway.customer("0.01", GPT_RESPONSES); // 10,000 µcr; an output token costs 60

    assertThatThrownBy(() -> gateway.sdk(small.key()).responses().create(ResponseCreateParams.builder()
        .model(GPT_RESPONSES).input("hi").maxOutputTokens(1_000).build()))
        .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> assertThat(e.statusCode()).isEqualTo(402));
    Response served = gateway.sdk(small.key()).responses().create(ResponseCreateParams.builder()
        .model(GPT_RESPONSES).input("hi").maxOutputTokens(50).build());

    assertThat(served.output()).isNotEmpty();
    assertThat(gateway.fake.requestsFor(Upstream.OPENAI_RESPONSES.upstreamModel)).hasSize(1);
  }

  private static ResponseCreateParams hello(String model) {
    return ResponseCreateParams.builder().model(model).input("hi").build();
  }
}
