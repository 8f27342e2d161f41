package gateway.billing;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.PgUrl;
import gateway.common.bus.BillingBus;
import gateway.testsupport.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redemption codes: created once, stored as hashes, redeemed exactly once, each redemption a ledger row. */
@ExtendWith(VertxExtension.class)
class RedemptionCodesTest {
  private Vertx vertx;
  private BillingConfig config;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    config = BillingDeployment.deploy(vertx, TestServices.env());
  }

  @Test
  @DisplayName("a batch's codes are shown once, easy to type (Crockford base32, grouped), carry 100 random bits, "
      + "and are stored only as hashes")
  void codesAreShownOnceAndStoredHashed() {
    JsonObject batch = create(new JsonObject().put("name", "launch").put("count", 25).put("amount_micros", 5_000_000));

    List<String> codes = codes(batch);
    assertThat(codes).hasSize(25).doesNotHaveDuplicates()
        .allMatch(code -> code.matches("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}"));
    assertThat(sql("SELECT count(*) FROM billing.codes")).isEqualTo(25);
    for (String code : codes) {
      String plain = code.replace("-", "");
      assertThat(sql("SELECT count(*) FROM billing.codes WHERE code_sha256 = sha256(convert_to('" + plain
          + "', 'UTF8')) AND hint = '" + plain.substring(16) + "'")).isEqualTo(1);
    }
    // Nothing but the hash and a four-character hint: no column could hold a code.
    assertThat(sql("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'billing' "
        + "AND table_name = 'codes' AND column_name NOT IN ('id', 'batch_id', 'code_sha256', 'hint', 'remaining')"))
        .isZero();
    JsonObject listed = call(BillingBus.CODES_BATCHES, new JsonObject()).getJsonArray("data").getJsonObject(0);
    assertThat(listed.containsKey("codes")).isFalse();
    assertThat(listed.getInteger("code_count")).isEqualTo(25);
  }

  @Test
  @DisplayName("redeeming credits raises the balance with a ledger row; the code typed loosely (case, spaces, O for "
      + "0) works; a second redemption of a single-use code is refused")
  void redeemCredits() {
    String code = codes(create(new JsonObject().put("name", "promo").put("count", 1).put("amount_micros", 2_500_000)))
        .get(0);
    String typed = " " + code.toLowerCase(Locale.ROOT).replace("-", " ").replace('0', 'o') + " ";

    JsonObject redeemed = call(BillingBus.CODES_REDEEM, new JsonObject().put("account_id", 1).put("code", typed));

    assertThat(redeemed.getString("kind")).isEqualTo("credits");
    assertThat(redeemed.getLong("amount_micros")).isEqualTo(2_500_000);
    assertThat(call(BillingBus.BALANCE, new JsonObject().put("account_id", 1)).getLong("balance_micros"))
        .isEqualTo(2_500_000);
    assertThat(sql("SELECT sum(amount_micros) FROM billing.ledger WHERE kind = 'redemption' AND account_id = 1"))
        .isEqualTo(2_500_000);
    ReplyException again = refusal(2, code);
    assertThat(again.failureCode()).isEqualTo(400);
    assertThat(again.getMessage()).contains("already been redeemed");
  }

  @Test
  @DisplayName("a voucher batch grants a voucher for its models, valid for its days, as a ledger row")
  void redeemVoucher() {
    String code = codes(create(new JsonObject().put("name", "claude-trial").put("count", 1).put("amount_micros", 900)
        .put("voucher", new JsonObject().put("models", new JsonArray().add("claude-*")).put("valid_days", 7)))).get(0);

    JsonObject redeemed = call(BillingBus.CODES_REDEEM, new JsonObject().put("account_id", 3).put("code", code));

    assertThat(redeemed.getString("kind")).isEqualTo("voucher");
    JsonObject voucher = call(BillingBus.VOUCHERS_LIST, new JsonObject().put("account_id", 3)).getJsonArray("data")
        .getJsonObject(0);
    assertThat(voucher.getLong("id")).isEqualTo(redeemed.getLong("voucher_id"));
    assertThat(voucher.getJsonArray("models")).containsExactly("claude-*");
    assertThat(voucher.getLong("remaining_micros")).isEqualTo(900);
    assertThat(OffsetDateTime.parse(voucher.getString("expires_at")))
        .isBetween(OffsetDateTime.now().plusDays(6), OffsetDateTime.now().plusDays(8));
    assertThat(voucher.getString("source")).isEqualTo("redemption");
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'voucher_grant' AND redemption_id IS NOT NULL"))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("50 simultaneous redemptions of one single-use code from different accounts give exactly one success")
  void fiftyWayRaceRedeemsOnce() {
    String code = codes(create(new JsonObject().put("name", "race").put("count", 1).put("amount_micros", 1_000_000)))
        .get(0);
    List<Future<Message<JsonObject>>> attempts = new ArrayList<>();
    for (int account = 100; account < 150; account++) {
      attempts.add(vertx.eventBus().request(BillingBus.CODES_REDEEM,
          new JsonObject().put("account_id", account).put("code", code)));
    }
    result(Future.join(attempts).otherwiseEmpty());

    assertThat(attempts.stream().filter(Future::succeeded)).hasSize(1);
    assertThat(attempts.stream().filter(Future::failed))
        .allSatisfy(f -> assertThat(((ReplyException) f.cause()).failureCode()).isEqualTo(400));
    assertThat(sql("SELECT count(*) FROM billing.redemptions")).isEqualTo(1);
    assertThat(sql("SELECT sum(amount_micros) FROM billing.ledger WHERE kind = 'redemption'")).isEqualTo(1_000_000);
    assertThat(sql("SELECT sum(balance_micros) FROM billing.balances")).isEqualTo(1_000_000);
  }

  @Test
  @DisplayName("a batch allowing one redemption per account refuses the account's second code, even when both are "
      + "tried at once; the report lists who redeemed")
  void perAccountLimit() {
    List<String> codes = codes(create(new JsonObject().put("name", "one-each").put("count", 6).put("amount_micros", 10)));
    List<Future<Message<JsonObject>>> attempts = new ArrayList<>();
    for (String code : codes.subList(0, 4)) {
      attempts.add(vertx.eventBus().request(BillingBus.CODES_REDEEM,
          new JsonObject().put("account_id", 7).put("code", code)));
    }
    result(Future.join(attempts).otherwiseEmpty());
    assertThat(attempts.stream().filter(Future::succeeded)).hasSize(1);
    call(BillingBus.CODES_REDEEM, new JsonObject().put("account_id", 8).put("code", codes.get(5)));

    JsonObject report = call(BillingBus.CODES_BATCH, new JsonObject().put("batch_id", 1));
    assertThat(report.getLong("redeemed")).isEqualTo(2);
    assertThat(report.getLong("accounts")).isEqualTo(2);
    assertThat(report.getJsonArray("redemptions").stream().map(r -> ((JsonObject) r).getLong("account_id")))
        .containsExactlyInAnyOrder(7L, 8L);
  }

  @Test
  @DisplayName("a disabled batch, an expired code, an unknown code and text that is no code are all refused with a "
      + "400 on 'code' saying which")
  void refusals() {
    List<String> codes = codes(create(new JsonObject().put("name", "off").put("count", 1).put("amount_micros", 10)));
    String expired = codes(create(new JsonObject().put("name", "old").put("count", 1).put("amount_micros", 10)
        .put("expires_at", OffsetDateTime.now().minusMinutes(1).toString()))).get(0);
    call(BillingBus.CODES_DISABLE, new JsonObject().put("batch_id", 1));

    assertThat(refusal(1, codes.get(0)).getMessage()).contains("no longer valid");
    assertThat(refusal(1, expired).getMessage()).contains("expired");
    assertThat(refusal(1, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ").getMessage()).contains("does not exist");
    assertThat(refusal(1, "'; DROP TABLE billing.codes; --").getMessage()).contains("not a redemption code");
    assertThat(sql("SELECT count(*) FROM billing.redemptions")).isZero();
    assertThat(((ReplyException) failure(request(BillingBus.CODES_CREATE, new JsonObject().put("name", "x")
        .put("count", 100_000).put("amount_micros", 1)))).failureCode()).isEqualTo(400);
  }

  private JsonObject create(JsonObject batch) {
    return call(BillingBus.CODES_CREATE, batch);
  }

  @SuppressWarnings("unchecked")
  private static List<String> codes(JsonObject batch) {
    return batch.getJsonArray("codes").getList();
  }

  private ReplyException refusal(long account, String code) {
    return (ReplyException) failure(request(BillingBus.CODES_REDEEM,
        new JsonObject().put("account_id", account).put("code", code)));
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  private Future<Message<JsonObject>> request(String address, JsonObject body) {
    return vertx.eventBus().request(address, body);
  }

  private long sql(String query) {
    PgUrl url = PgUrl.parse(config.pg().url());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
