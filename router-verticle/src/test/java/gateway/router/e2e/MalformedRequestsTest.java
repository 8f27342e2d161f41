package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request whose fields have the wrong JSON type deep inside, where only a translation for
 * another provider reads them: the client gets a 400 at once (never a hang), the hold is released
 * and nothing reaches the provider.
 */
@ExtendWith(VertxExtension.class)
class MalformedRequestsTest {
  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    Upstream.ANTHROPIC.install(gateway);
    customer = gateway.customer("10", Upstream.ANTHROPIC.alias);
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a chat tool call whose 'function' is a string, translated for Anthropic: a 400, the hold released")
  void wronglyTypedToolCall() {
    JsonObject body = new JsonObject().put("model", Upstream.ANTHROPIC.alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))
        .add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", "oops"))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "42")));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body.encode());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(response).getString("code")).isEqualTo("invalid_value");
    assertReleased();
  }

  @Test
  @DisplayName("the same on /v1/messages, answered in Anthropic's shape")
  void wronglyTypedMessagesField() {
    JsonObject body = new JsonObject().put("model", Upstream.ANTHROPIC.alias).put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "image").put("source", "not an object")))));

    HttpResponse<String> response = http.post("/messages", null, body.encode(), Map.of("x-api-key", customer.key()));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("type"))
        .isEqualTo("invalid_request_error");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  private void assertReleased() {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    assertThat(gateway.usageRows(customer.accountId()).getJsonObject(0).getString("outcome")).isEqualTo("failed");
    assertThat(gateway.fake.requests()).isEmpty();
  }
}
