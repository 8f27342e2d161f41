package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.common.bus.BillingBus;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Vouchers through the whole gateway: which pot pays, and the 402 and 403 a customer's SDK sees. */
@ExtendWith(VertxExtension.class)
class VouchersEndToEndTest {
  private static final String GPT = "gpt-mini";
  private static final String CLAUDE = "claude-mini";

  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    // 1 µcr an input token, 10 µcr an output token; requests hold their bound and cost 10·1 + 5·10 = 60 µcr.
    for (String model : List.of(GPT, CLAUDE, "llama-mini")) {
      gateway.openAiModel(model, model, GatewayUnderTest.price("1", "10", null));
      gateway.fake.script(model, Behavior.reply("ok").usage(10, 5));
    }
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a key that spends only vouchers, asking for a model none of them covers, gets 403 "
      + "voucher_model_not_allowed through the OpenAI SDK; a covered model is paid by the voucher")
  void voucherOnlyKey() {
    Customer customer = gateway.customer(null, "*");
    grant(customer.accountId(), "0.01", CLAUDE.replace("mini", "*"));
    gateway.admin.ok("PATCH", "/admin/keys/" + customer.keyId(), new JsonObject().put("vouchers_only", true));
    OpenAIClient sdk = gateway.sdk(customer.key());

    assertThatThrownBy(() -> sdk.chat().completions().create(params(GPT)))
        .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.code()).contains("voucher_model_not_allowed");
        });
    assertThat(sdk.chat().completions().create(params(CLAUDE)).choices()).hasSize(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    JsonObject voucher = vouchers(customer.accountId()).getJsonObject(0);
    assertThat(voucher.getLong("remaining_micros")).isEqualTo(10_000 - 60);
    assertThat(gateway.balanceMicros(customer.accountId())).isZero();
    assertThat(gateway.fake.requestsFor(GPT)).isEmpty();
  }

  @Test
  @DisplayName("an unbound key whose account can pay only from vouchers not covering the model gets 402 "
      + "insufficient_credits saying so")
  void uncoveredModelIs402() {
    Customer customer = gateway.customer(null, "*");
    grant(customer.accountId(), "5", "claude-*");

    assertThatThrownBy(() -> gateway.sdk(customer.key()).chat().completions().create(params(GPT)))
        .isInstanceOfSatisfying(UnexpectedStatusCodeException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(402);
          assertThat(e.body().toString()).contains("insufficient_credits").contains("vouchers do not cover");
        });
  }

  @Test
  @DisplayName("200 concurrent requests against one cash balance and two vouchers for different models, at the edge "
      + "of what they cover: no pot goes below zero, and usage costs = total drop = ledger charges")
  void concurrentRequestsAtTheEdge() {
    Customer customer = gateway.customer("0.003", "*");
    long gptVoucher = grant(customer.accountId(), "0.002", "gpt-*").getLong("id");
    long claudeVoucher = grant(customer.accountId(), "0.0015", "claude-*").getLong("id");
    List<String> models = List.of(GPT, CLAUDE, "llama-mini");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(http.postAsync("/chat/completions", customer.key(), new JsonObject().put("model", models.get(i % 3))
          .put("max_tokens", 5).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
              .put("content", "hi"))).encode()));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();

    long served = calls.stream().filter(c -> c.join().statusCode() == 200).count();
    assertThat(calls).allSatisfy(c -> assertThat(c.join().statusCode()).isIn(200, 402));
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == served);
    long cash = gateway.balanceMicros(customer.accountId());
    JsonArray pots = vouchers(customer.accountId());
    long gptLeft = remaining(pots, gptVoucher);
    long claudeLeft = remaining(pots, claudeVoucher);
    assertThat(List.of(cash, gptLeft, claudeLeft)).allSatisfy(left -> assertThat(left).isNotNegative());
    long drop = (3_000 - cash) + (2_000 - gptLeft) + (1_500 - claudeLeft);
    assertThat(served).isPositive();
    assertThat(drop).isEqualTo(served * 60);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(drop);
    assertThat(gateway.sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' "
        + "AND account_id = ?", customer.accountId())).isEqualTo(drop);
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("an operator creates a batch of codes as a CSV download and a customer's redemption raises the balance")
  void codeBatchAsCsv() {
    Customer customer = gateway.customer(null, "*");
    AdminClient.Reply created = gateway.admin.send("POST", "/admin/code-batches?format=csv",
        new JsonObject().put("name", "=cmd|' /C calc'!A0").put("count", 3).put("amount_credits", "1.5"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.raw().headers().firstValue("content-type").orElse("")).startsWith("text/csv");
    String[] lines = created.raw().body().split("\r\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0]).isEqualTo("code,amount_credits,batch");
    assertThat(lines[1]).matches("[0-9A-Z-]{23},1.5,\"'=cmd\\|' /C calc'!A0\"");
    String code = lines[1].split(",")[0];

    JsonObject redeemed = gateway.vertx.eventBus().<JsonObject>request(BillingBus.CODES_REDEEM,
        new JsonObject().put("account_id", customer.accountId()).put("code", code)).toCompletionStage()
        .toCompletableFuture().join().body();
    assertThat(redeemed.getLong("amount_micros")).isEqualTo(1_500_000);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(1_500_000);
    JsonObject report = gateway.admin.ok("GET", "/admin/code-batches", null).getJsonArray("data").getJsonObject(0);
    assertThat(report.getLong("redeemed")).isEqualTo(1);
    assertThat(report.containsKey("codes")).isFalse();
  }

  private JsonObject grant(long account, String credits, String pattern) {
    return gateway.admin.ok("POST", "/admin/accounts/" + account + "/vouchers", new JsonObject()
        .put("amount_credits", credits).put("models", new JsonArray().add(pattern)));
  }

  private JsonArray vouchers(long account) {
    return gateway.admin.ok("GET", "/admin/accounts/" + account + "/vouchers", null).getJsonArray("data");
  }

  private static long remaining(JsonArray vouchers, long id) {
    return vouchers.stream().map(JsonObject.class::cast).filter(v -> v.getLong("id") == id).findFirst()
        .orElseThrow().getLong("remaining_micros");
  }

  private static ChatCompletionCreateParams params(String model) {
    return ChatCompletionCreateParams.builder().model(model).maxCompletionTokens(5).addUserMessage("hi").build();
  }
}
