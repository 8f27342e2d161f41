package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An exception inside a request's own handling, after the upstream answered, ends the request: the
 * client gets a 5xx in its own error shape (no Java in it), the connection is not left open, and a
 * request whose answer never reached the client is free.
 *
 * <p>The exception is made by the upstream's answer, not by a stand-in of our code: a provider whose
 * answer is well formed but reports 9×10<sup>18</sup> prompt tokens, whose price overflows a long
 * ({@code Math.multiplyExact} throws {@code ArithmeticException}). Reading the answer succeeds; pricing
 * it, in the exchange's step after the route loop, throws — which only the exchange's generic guard
 * ({@code Exchange.guard} to {@code failedInGateway}) catches.
 */
@ExtendWith(VertxExtension.class)
class GatewayFailureEndsRequestTest {
  /**
   * The most prompt tokens a provider's report is believed for (Settlement.MOST_TOKENS): at the route's cost price
   * below, what the request cost upstream does not fit a long, so pricing fails in the gateway after the answer.
   */
  private static final long BELIEVED_PROMPT = 1_000_000_000L;
  /** Credits per million tokens the operator pays upstream: absurd, accepted, and the way to fail the pricing. */
  private static final String ABSURD_COST = "9000000000000";
  private static final long START = 10_000_000;
  private static final Duration BOUND = Duration.ofSeconds(20);

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  /** Which client endpoint, served by which channel, and whether its errors are in Anthropic's shape. */
  enum Call {
    CHAT_ON_OPENAI("/chat/completions", Upstream.OPENAI_CHAT, false),
    MESSAGES_ON_ANTHROPIC("/messages", Upstream.ANTHROPIC, true),
    MESSAGES_THROUGH_CHAT("/messages", Upstream.OPENAI_CHAT, true),
    RESPONSES_ON_RESPONSES("/responses", Upstream.OPENAI_RESPONSES, false),
    CHAT_ON_GEMINI("/chat/completions", Upstream.GEMINI, false);

    final String path;
    final Upstream upstream;
    final boolean anthropic;

    Call(String path, Upstream upstream, boolean anthropic) {
      this.path = path;
      this.upstream = upstream;
      this.anthropic = anthropic;
    }

    JsonObject body(boolean stream) {
      JsonObject body = new JsonObject().put("model", upstream.alias).put("stream", stream);
      return switch (path) {
        case "/responses" -> body.put("input", "hi");
        case "/messages" -> body.put("max_tokens", 50)
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
        default -> body.put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
      };
    }
  }

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    for (Upstream upstream : Upstream.values()) {
      gateway.channel(upstream.channel, upstream.definition(gateway));
      gateway.model(upstream.alias, Upstream.PRICE, new JsonObject().put("channel", upstream.channel)
          .put("model", upstream.upstreamModel).put("cost", GatewayUnderTest.price(ABSURD_COST, "0", null)));
      gateway.fake.script(upstream.upstreamModel, Behavior.reply("an answer").usage(BELIEVED_PROMPT, 5));
    }
    customer = gateway.customer("10", "*");
    http = new RawHttp(gateway.v1());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  @DisplayName("a whole answer the gateway fails on after reading it is a 5xx in the client's error shape, "
      + "without a Java class name; its hold is released and nothing is charged")
  void wholeAnswerFailingInTheGatewayIsAFreeServerError(Call call) {
    HttpResponse<String> response = http.post(call.path, customer.key(), call.body(false).encode());

    assertThat(response.statusCode()).as(response.body()).isBetween(500, 599);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body()).doesNotContain("java.", "Exception", "ArithmeticException", "overflow");
    JsonObject body = new JsonObject(response.body());
    FuzzClient.assertErrorShape(body, call.anthropic, response.body());
    if (call.anthropic) {
      assertThat(body.getJsonObject("error").getString("type")).isEqualTo("api_error");
    } else {
      assertThat(body.getJsonObject("error").getString("type")).isEqualTo("server_error");
    }
    assertThat(gateway.fake.requestsFor(call.upstream.upstreamModel)).hasSize(1);

    JsonObject row = awaitOneUsageRow();
    assertThat(row.getString("outcome")).isEqualTo("failed");
    assertThat(row.getLong("cost_micros")).isZero();
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("a stream the gateway fails on after its content was written is ended, not left hanging, and "
      + "leaves no hold; it charges the prompt and the text delivered, never the usage it could not price")
  void streamFailingInTheGatewayIsEndedAndLeavesNoHold() {
    CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(URI.create(gateway.v1() + "/chat/completions")).timeout(BOUND)
            .header("authorization", "Bearer " + customer.key()).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Call.CHAT_ON_OPENAI.body(true).encode())).build(),
        HttpResponse.BodyHandlers.ofString());

    // Ended either way: a body without the stream's end (the connection closed where it stood) or a broken one.
    await().atMost(BOUND).until(answer::isDone);
    if (!answer.isCompletedExceptionally()) {
      String body = answer.getNow(null).body();
      assertThat(body).doesNotContain("data: [DONE]", "java.", "Exception");
    }

    JsonObject row = awaitOneUsageRow();
    assertThat(row.getString("outcome")).isIn("gateway_error", "failed");
    assertThat(row.getLong("input_tokens")).isLessThan(1_000);
    // The text already written ("an answer") is charged with the prompt, not only the prompt.
    assertThat(row.getLong("output_tokens")).isPositive();
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    long charged = START - gateway.balanceMicros(customer.accountId());
    assertThat(charged).isEqualTo(row.getLong("cost_micros"))
        .isEqualTo(gateway.ledgerChargesMicros(customer.accountId())).isLessThan(1_000 * 15 + 100 * 60);
  }

  private JsonObject awaitOneUsageRow() {
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.heldMicros(customer.accountId()) == 0);
    return gateway.usageRows(customer.accountId()).getJsonObject(0);
  }
}
