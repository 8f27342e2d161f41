package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An answer that does not reach the client whole is never charged as completed, and a request the
 * gateway fails on always ends. Driven by bodies that once broke the Responses translation (a
 * {@code reasoning} that is not an object): whether the gateway refuses them or serves them, every
 * request ends, and only a delivered answer is charged as completed.
 */
@ExtendWith(VertxExtension.class)
class UndeliveredAnswersTest {
  private static final List<Object> ODD_REASONING = List.of(1, "x", true, new io.vertx.core.json.JsonArray());

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    Upstream.OPENAI_CHAT.install(gateway);
    gateway.fake.script(Upstream.OPENAI_CHAT.upstreamModel, Behavior.reply("fine"));
    customer = gateway.customer("10", Upstream.OPENAI_CHAT.alias);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a Responses request with a reasoning that is not an object ends, whole or streamed, in the "
      + "client's error shape or an answer, and is charged as completed only if its answer was delivered complete")
  void oddReasoningEndsAndIsChargedOnlyWhenDelivered() {
    int delivered = 0;
    for (Object reasoning : ODD_REASONING) {
      for (boolean stream : List.of(false, true)) {
        JsonObject body = new JsonObject().put("model", Upstream.OPENAI_CHAT.alias).put("input", "hi")
            .put("stream", stream).put("reasoning", reasoning);
        HttpResponse<String> response = http.post("/responses", customer.key(), body.encode());
        boolean complete = response.statusCode() == 200 && (stream
            ? response.body().contains("event: response.completed") : response.body().contains("\"completed\""));
        if (complete) {
          delivered++;
        }
        assertThat(response.body()).doesNotContain("java.", "Exception");
      }
    }
    int completed = delivered;
    await().atMost(Duration.ofSeconds(10)).until(() ->
        gateway.sql("SELECT count(*) FROM billing.usage WHERE outcome = 'completed' AND account_id = ?",
            customer.accountId()) == completed);
    // Partly delivered answers are charged for what was delivered (gateway_error); anything else is free.
    assertThat(gateway.sql("SELECT count(*) FROM billing.usage WHERE outcome NOT IN ('completed', 'gateway_error') "
        + "AND cost_micros > 0 AND account_id = ?", customer.accountId())).isZero();
    assertThat(gateway.usageRowCount(customer.accountId())).isLessThanOrEqualTo(ODD_REASONING.size() * 2);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }
}
