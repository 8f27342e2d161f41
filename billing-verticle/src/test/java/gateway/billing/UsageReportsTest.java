package gateway.billing;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.PgUrl;
import gateway.common.bus.BillingBus;
import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The read-only usage reports of the self-service API: keyset pages, totals, spend. */
@ExtendWith(VertxExtension.class)
class UsageReportsTest {
  private Vertx vertx;
  private BillingConfig config;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    config = BillingDeployment.deploy(vertx, TestServices.env());
  }

  @Test
  @DisplayName("keyset pages walk every row exactly once, newest first, even when many rows share a timestamp")
  void pagesWalkEveryRowOnce() {
    // 250 rows of account 1 on only five distinct instants, plus rows of another account.
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome, created_at) "
        + "SELECT 'r' || g, 1, 10 + g % 2, 'm', 1, 1, 'completed', "
        + "timestamptz '2026-03-01 00:00:00.123456Z' + (g % 5) * interval '1 second' FROM generate_series(1, 250) g");
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome) "
        + "SELECT 'other' || g, 2, 99, 'm', 1, 1, 'completed' FROM generate_series(1, 20) g");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    String previous = null;
    for (int pages = 0; pages < 100; pages++) {
      JsonObject query = new JsonObject().put("account_id", 1).put("limit", 40);
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      JsonObject page = call(BillingBus.USAGE_PAGE, query);
      for (Object row : page.getJsonArray("data")) {
        JsonObject usage = (JsonObject) row;
        String order = usage.getString("created_at") + "|" + usage.getString("request_id");
        if (previous != null) {
          assertThat(order.compareTo(previous)).as("newest first").isLessThanOrEqualTo(0);
        }
        previous = order;
        seen.add(usage.getString("request_id"));
      }
      cursor = page.getString("next_cursor");
      if (cursor == null) {
        break;
      }
    }
    assertThat(seen).hasSize(250);
    assertThat(new HashSet<>(seen)).hasSize(250).allMatch(id -> id.startsWith("r"));
  }

  @Test
  @DisplayName("filters by key set, key, model and time apply to pages and totals alike; totals group by day, model and key")
  void filtersAndTotals() {
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, input_tokens, output_tokens, cost_micros, "
        + "priced_micros, outcome, created_at) VALUES "
        + "('a', 1, 10, 'gpt', 100, 10, 1000, 1000, 'completed', '2026-03-01T10:00:00Z'),"
        + "('b', 1, 10, 'claude', 200, 20, 2000, 2000, 'completed', '2026-03-01T23:59:59Z'),"
        + "('c', 1, 11, 'gpt', 300, 30, 3000, 3000, 'completed', '2026-03-02T00:00:00Z'),"
        + "('d', 1, 12, 'gpt', 400, 40, 0, 0, 'failed', '2026-03-03T00:00:00Z')");

    assertThat(ids(call(BillingBus.USAGE_PAGE, new JsonObject().put("account_id", 1)
        .put("key_ids", new JsonArray().add(10).add(12))))).containsExactly("d", "b", "a");
    assertThat(ids(call(BillingBus.USAGE_PAGE, new JsonObject().put("account_id", 1).put("model", "gpt")
        .put("from", "2026-03-01T12:00:00Z").put("until", "2026-03-03T00:00:00Z")))).containsExactly("c");
    assertThat(ids(call(BillingBus.USAGE_PAGE, new JsonObject().put("account_id", 1).put("key_id", 11))))
        .containsExactly("c");
    assertThat(ids(call(BillingBus.USAGE_PAGE, new JsonObject().put("account_id", 1)
        .put("key_ids", new JsonArray())))).isEmpty();

    JsonObject byDay = call(BillingBus.USAGE_TOTALS, new JsonObject().put("account_id", 1).put("group_by", "day"));
    assertThat(byDay.getJsonArray("data").stream().map(d -> ((JsonObject) d).getString("day")))
        .containsExactly("2026-03-01", "2026-03-02", "2026-03-03");
    assertThat(byDay.getJsonArray("data").getJsonObject(0).getLong("cost_micros")).isEqualTo(3000);
    assertThat(byDay.getJsonObject("total").getLong("requests")).isEqualTo(4);
    assertThat(byDay.getJsonObject("total").getLong("failed_requests")).isEqualTo(1);
    assertThat(byDay.getJsonObject("total").getLong("cost_micros")).isEqualTo(6000);

    JsonObject byModel = call(BillingBus.USAGE_TOTALS, new JsonObject().put("account_id", 1).put("group_by", "model")
        .put("key_ids", new JsonArray().add(10)));
    assertThat(byModel.getJsonArray("data").stream().map(d -> ((JsonObject) d).getString("model")))
        .containsExactly("claude", "gpt");
    JsonObject byKey = call(BillingBus.USAGE_TOTALS, new JsonObject().put("account_id", 1).put("group_by", "key"));
    assertThat(byKey.getJsonArray("data").getJsonObject(1).getLong("key_id")).isEqualTo(11);
    assertThat(byKey.getJsonArray("data").getJsonObject(1).getLong("input_tokens")).isEqualTo(300);

    assertThat(refusal(BillingBus.USAGE_TOTALS, new JsonObject().put("account_id", 1).put("group_by", "week")))
        .contains("group_by");
    assertThat(refusal(BillingBus.USAGE_PAGE, new JsonObject().put("account_id", 1).put("cursor", "!!")))
        .contains("cursor");
  }

  @Test
  @DisplayName("spend counts today's and this month's charges (UTC), for the account or one key")
  void spendTodayAndThisMonth() {
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome, created_at) "
        + "VALUES ('now1', 1, 10, 'm', 5, 5, 'completed', now()), ('now2', 1, 11, 'm', 7, 7, 'completed', now()), "
        + "('old', 1, 10, 'm', 1000, 1000, 'completed', now() - interval '40 days'), "
        + "('month', 1, 10, 'm', 100, 100, 'completed', date_trunc('month', now(), 'UTC'))");
    long firstOfMonthIsToday = longQuery("SELECT CASE WHEN date_trunc('day', now(), 'UTC') = "
        + "date_trunc('month', now(), 'UTC') THEN 1 ELSE 0 END");
    JsonObject account = call(BillingBus.SPEND, new JsonObject().put("account_id", 1));
    JsonObject key = call(BillingBus.SPEND, new JsonObject().put("account_id", 1).put("key_id", 11));
    assertThat(account.getLong("month_micros")).isEqualTo(112);
    assertThat(account.getLong("today_micros")).isEqualTo(12 + 100 * firstOfMonthIsToday);
    assertThat(key.getLong("month_micros")).isEqualTo(7);
    assertThat(key.getLong("today_micros")).isEqualTo(7);
  }

  private static List<String> ids(JsonObject page) {
    Set<String> unique = new HashSet<>();
    List<String> ids = new ArrayList<>();
    for (Object row : page.getJsonArray("data")) {
      String id = ((JsonObject) row).getString("request_id");
      assertThat(unique.add(id)).isTrue();
      ids.add(id);
    }
    return ids;
  }

  @Test
  @DisplayName("an outcome filter narrows pages and totals to that outcome, keyset paging intact; an unknown one is a 400")
  void outcomeFilter() {
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome, created_at) "
        + "SELECT 'o' || lpad(g::text, 3, '0'), 1, 10, 'm', 1, 1, CASE WHEN g % 4 = 0 THEN 'failed' ELSE 'completed' END, "
        + "timestamptz '2026-03-01T00:00:00Z' + g * interval '1 second' FROM generate_series(1, 40) g");
    List<String> failed = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 20; pages++) {
      JsonObject query = new JsonObject().put("account_id", 1).put("outcome", "failed").put("limit", 3);
      JsonObject page = call(BillingBus.USAGE_PAGE, cursor == null ? query : query.put("cursor", cursor));
      page.getJsonArray("data").forEach(row -> failed.add(((JsonObject) row).getString("request_id")));
      cursor = page.getString("next_cursor");
      if (cursor == null) {
        break;
      }
    }
    assertThat(failed).hasSize(10).doesNotHaveDuplicates().startsWith("o040", "o036");
    JsonObject totals = call(BillingBus.USAGE_TOTALS, new JsonObject().put("account_id", 1).put("group_by", "model")
        .put("outcome", "completed"));
    assertThat(totals.getJsonObject("total").getLong("requests")).isEqualTo(30);
    assertThat(refusal(BillingBus.USAGE_PAGE, new JsonObject().put("account_id", 1).put("outcome", "meh")))
        .contains("outcome");
  }

  @Test
  @DisplayName("a key's last use is its newest usage row, within the account asked about; never used is null")
  void keysLastUsed() {
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome, created_at) "
        + "SELECT 'l' || g, 1, 10 + g % 2, 'm', 1, 1, 'completed', "
        + "timestamptz '2026-03-01T00:00:00Z' + g * interval '1 minute' FROM generate_series(1, 9) g");
    sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome, created_at) "
        + "VALUES ('foreign', 2, 12, 'm', 1, 1, 'completed', timestamptz '2026-03-02T00:00:00Z')");
    JsonArray data = call(BillingBus.KEYS_LAST_USED, new JsonObject().put("account_id", 1)
        .put("key_ids", new JsonArray().add(10).add(11).add(12))).getJsonArray("data");
    java.util.Map<Long, Object> byKey = new java.util.HashMap<>();
    data.forEach(row -> byKey.put(((JsonObject) row).getLong("key_id"), ((JsonObject) row).getValue("last_used_at")));
    assertThat(byKey).containsEntry(10L, "2026-03-01T00:08:00Z").containsEntry(11L, "2026-03-01T00:09:00Z")
        .containsEntry(12L, null);
    assertThat(refusal(BillingBus.KEYS_LAST_USED, new JsonObject().put("account_id", 1))).contains("key_ids");
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  private String refusal(String address, JsonObject body) {
    Throwable failure = failure(vertx.eventBus().request(address, body));
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    return failure.getMessage();
  }

  private long longQuery(String query) {
    PgUrl url = PgUrl.parse(config.pg().url());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void sql(String statement) {
    PgUrl url = PgUrl.parse(config.pg().url());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement()) {
      s.execute(statement);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
