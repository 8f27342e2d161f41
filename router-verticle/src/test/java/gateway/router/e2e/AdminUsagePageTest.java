package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /admin/usage} says how large its page is, when it cut the limit asked for, and when more rows exist. */
@ExtendWith(VertxExtension.class)
class AdminUsagePageTest {
  private static final String MODEL = "gpt-4o-mini";

  @Test
  @DisplayName("a page smaller than the rows says has_more; a limit over 1000 is capped and says so")
  void pageSaysWhatItLeftOut(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
    Customer customer = gateway.customer("1", MODEL);
    RawHttp http = new RawHttp(gateway.v1());
    String hello = new JsonObject().put("model", MODEL).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    for (int i = 0; i < 2; i++) {
      assertThat(http.post("/chat/completions", customer.key(), hello).statusCode()).isEqualTo(200);
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> gateway.usageRowCount(customer.accountId()) == 2);
    String usage = "/admin/usage?account_id=" + customer.accountId();

    JsonObject one = gateway.admin.ok("GET", usage + "&limit=1", null);
    JsonObject huge = gateway.admin.ok("GET", usage + "&limit=5000", null);
    JsonObject plain = gateway.admin.ok("GET", usage, null);

    assertThat(one.getJsonArray("data")).hasSize(1);
    assertThat(one.getInteger("limit")).isEqualTo(1);
    assertThat(one.getBoolean("capped")).isFalse();
    assertThat(one.getBoolean("has_more")).isTrue();
    assertThat(huge.getJsonArray("data")).hasSize(2);
    assertThat(huge.getInteger("limit")).isEqualTo(1000);
    assertThat(huge.getBoolean("capped")).isTrue();
    assertThat(huge.getBoolean("has_more")).isFalse();
    assertThat(plain.getInteger("limit")).isEqualTo(100);
    assertThat(plain.getBoolean("has_more")).isFalse();
  }
}
