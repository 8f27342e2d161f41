package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /v1/me: what a key holder (a script, CI, an IDE plugin) may know with nothing but the key. */
@ExtendWith(VertxExtension.class)
class KeyHolderInfoTest {
  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_KEY_LIMITS", "rpm=600"));
    gateway.openAiModel("gpt-mini", "gpt-mini", GatewayUnderTest.price("1", "10", null));
    gateway.fake.script("gpt-mini", Behavior.reply("ok").usage(10, 5));
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a plain key sees the account's cash and vouchers, its models and limits, and its own spend this month")
  void plainKey() {
    Customer customer = gateway.customer("2", "gpt-mini");
    gateway.admin.ok("PATCH", "/admin/keys/" + customer.keyId(), new JsonObject().put("tpm", 5000));
    gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/vouchers",
        new JsonObject().put("amount_credits", "0.5").put("models", new JsonArray().add("gpt-*")));
    JsonObject other = gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/keys",
        new JsonObject().put("name", "other").put("models", new JsonArray().add("*")));
    gateway.sdk(customer.key()).chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-mini")
        .addUserMessage("hi").maxCompletionTokens(16).build());
    gateway.sdk(other.getString("key")).chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-mini").addUserMessage("hi").maxCompletionTokens(16).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 2);

    HttpResponse<String> response = http.get("/me", customer.key());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject me = new JsonObject(response.body());
    JsonObject key = me.getJsonObject("key");
    assertThat(key.getLong("id")).isEqualTo(customer.keyId());
    assertThat(key.getJsonArray("models")).containsExactly("gpt-mini");
    assertThat(key.getJsonObject("limits").getInteger("tpm")).isEqualTo(5000);
    assertThat(key.getJsonObject("limits").getInteger("rpm")).isEqualTo(600);
    assertThat(key.getBoolean("spends_cash")).isTrue();
    JsonObject account = me.getJsonObject("account");
    // Both requests (60 µcr each) were paid by the voucher, which covers gpt-*.
    assertThat(credits(account.getValue("cash_available_credits"))).isEqualByComparingTo("2");
    assertThat(credits(account.getValue("voucher_available_credits"))).isEqualByComparingTo("0.49988");
    assertThat(credits(account.getValue("available_credits"))).isEqualByComparingTo("2.49988");
    assertThat(credits(me.getJsonObject("spend").getValue("month_credits"))).isEqualByComparingTo("0.00006");
    assertThat(response.body()).doesNotContain(customer.key());

    assertThat(http.get("/me", null).statusCode()).isEqualTo(401);
    assertThat(http.get("/me", "sk-not-a-key").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a key bound to one voucher sees only what that voucher holds: no cash, no other voucher")
  void voucherBoundKey() {
    Customer customer = gateway.customer("3", "*");
    long bound = gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/vouchers",
        new JsonObject().put("amount_credits", 1).put("models", new JsonArray().add("gpt-*"))).getLong("id");
    gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/vouchers",
        new JsonObject().put("amount_credits", 7).put("models", new JsonArray().add("*")));
    gateway.admin.ok("PATCH", "/admin/keys/" + customer.keyId(), new JsonObject().put("voucher_ids",
        new JsonArray().add(bound)));

    JsonObject me = new JsonObject(http.get("/me", customer.key()).body());
    assertThat(me.getJsonObject("key").getBoolean("spends_cash")).isFalse();
    assertThat(me.getJsonObject("key").getJsonArray("voucher_ids").getLong(0)).isEqualTo(bound);
    assertThat(credits(me.getJsonObject("account").getValue("available_credits"))).isEqualByComparingTo("1");
    assertThat(credits(me.getJsonObject("account").getValue("cash_available_credits"))).isEqualByComparingTo("0");
    assertThat(me.getJsonObject("account").getJsonArray("vouchers")).hasSize(1);
    assertThat(credits(me.getJsonObject("spend").getValue("month_credits"))).isEqualByComparingTo("0");
  }

  private static java.math.BigDecimal credits(Object json) {
    return new java.math.BigDecimal(json.toString());
  }
}
