package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
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
 * A request whose fields have the wrong JSON type deep inside, where only a translation for
 * another provider reads them: the client gets a 400 at once (never a hang) naming the field, before
 * anything is held, and nothing reaches the provider.
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
  @DisplayName("a chat tool call whose 'function' is a string, for an Anthropic channel: a 400 naming it, nothing held")
  void wronglyTypedToolCall() {
    JsonObject body = new JsonObject().put("model", Upstream.ANTHROPIC.alias).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))
        .add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray()
            .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", "oops"))))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "42")));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body.encode());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(response).getString("code")).isEqualTo("invalid_value");
    assertThat(RawHttp.error(response).getString("param")).isEqualTo("messages[1].tool_calls[0].function");
    assertNothingHeldNorSent();
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
    assertNothingHeldNorSent();
  }

  /** Refused as it was parsed: no hold, no usage row, the balance untouched, nothing upstream. */
  private void assertNothingHeldNorSent() {
    assertThat(gateway.usageRowCount(customer.accountId())).isZero();
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(10_000_000L);
    assertThat(gateway.fake.requests()).isEmpty();
  }
}
