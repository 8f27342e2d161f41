package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.PgUrl;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ledger that falls behind bounds what a router serves unrecorded: with more settles unanswered than
 * {@code GATEWAY_MAX_UNANSWERED_SETTLES}, new paid requests are refused with 503 before any hold or upstream call, and
 * once billing catches up they are served again, every served request charged once. Billing is made to fall behind
 * for real: a transaction of the test holds a lock on the usage table, so every settle's insert waits.
 */
@ExtendWith(VertxExtension.class)
class LedgerBehindTest {
  private static final String MODEL = "ledger-behind-model";
  private static final String BODY = new JsonObject().put("model", MODEL).put("max_tokens", 100)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  private static final long COST = 100_000; // 100 output tokens at 1,000 credits per million
  private static final int MAX_UNANSWERED = 3;

  @Test
  @DisplayName("past GATEWAY_MAX_UNANSWERED_SETTLES unanswered settles a paid request is a 503 naming the ledger, "
      + "free and never sent upstream; served again once billing catches up; every served request charged once")
  void refusesWhileTheLedgerIsBehind(Vertx vertx) throws SQLException {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx,
        env -> env.with("GATEWAY_MAX_UNANSWERED_SETTLES", MAX_UNANSWERED), 1, 1); // one router: one count
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("0", "1000", null));
    gateway.fake.script(MODEL, Behavior.reply("ok").usage(10, 100));
    Customer customer = gateway.customer("1000", MODEL);
    RawHttp http = new RawHttp(gateway.v1());
    int served = 0;
    for (int i = 0; i < 2; i++) { // settled and answered before billing is held up
      assertThat(http.post("/chat/completions", customer.key(), BODY).statusCode()).isEqualTo(200);
      served++;
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == 2);

    HttpResponse<String> refused;
    PgUrl url = PgUrl.parse(gateway.config.pgUrl());
    try (Connection lock = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      lock.setAutoCommit(false);
      try (Statement s = lock.createStatement()) {
        s.execute("LOCK TABLE billing.usage IN EXCLUSIVE MODE"); // reads go on, no settle can write its row
      }
      for (int i = 0; i <= MAX_UNANSWERED; i++) { // each answered; its settle then waits for billing
        assertThat(http.post("/chat/completions", customer.key(), BODY).statusCode()).as("request %d", i)
            .isEqualTo(200);
        served++;
      }
      int callsBefore = gateway.fake.requests().size();
      refused = http.post("/chat/completions", customer.key(), BODY);
      assertThat(gateway.fake.requests()).as("a refused request never reaches the provider").hasSize(callsBefore);
      lock.rollback();
    }

    assertThat(refused.statusCode()).isEqualTo(503);
    JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
    assertThat(error.getString("message")).contains("ledger is behind");
    assertThat(error.getString("type")).isEqualTo("service_unavailable");
    assertThat(refused.body()).doesNotContain("Exception").doesNotContain("gateway.");

    await().atMost(Duration.ofSeconds(20)).until(() -> http.post("/chat/completions", customer.key(), BODY)
        .statusCode() == 200);
    served++;
    int expected = served;
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == expected);
    long drop = 1_000_000_000L - gateway.balanceMicros(customer.accountId());
    assertThat(drop).as("each served request charged once, the refused one free").isEqualTo(expected * COST);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(drop);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(drop);
  }
}
