package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The operator's reports over every account: requests, failures, tokens, what was charged, what it cost
 * upstream (known costs only; {@code uncosted_requests} counts the rows whose route names no cost price) and
 * the margin (revenue minus the known upstream cost), grouped
 * by UTC day, model, channel or account in the database (a million rows stay in Postgres), and paged by
 * the group key (keyset: {@code after} names the last group seen). Read-only.
 */
final class OperatorReports {
  static final int MAX_PAGE = 1000;
  static final int DEFAULT_PAGE = 100;
  private static final OffsetDateTime EPOCH = OffsetDateTime.parse("1970-01-01T00:00:00Z");
  private static final OffsetDateTime FAR_FUTURE = OffsetDateTime.parse("9999-01-01T00:00:00Z");

  private final Pool pool;

  OperatorReports(Pool pool) {
    this.pool = pool;
  }

  /** The group column a report answers with, by {@code group_by}. */
  private enum Grouping {
    DAY("day", BillingSql.REPORT_BY_DAY), MODEL("model", BillingSql.REPORT_BY_MODEL),
    CHANNEL("channel", BillingSql.REPORT_BY_CHANNEL), ACCOUNT("account_id", BillingSql.REPORT_BY_ACCOUNT);

    final String column;
    final String sql;

    Grouping(String column, String sql) {
      this.column = column;
      this.sql = sql;
    }
  }

  Future<JsonObject> revenue(JsonObject query) {
    String groupBy = query.getValue("group_by") instanceof String g ? g : "day";
    Grouping grouping = switch (groupBy) {
      case "day" -> Grouping.DAY;
      case "model" -> Grouping.MODEL;
      case "channel" -> Grouping.CHANNEL;
      case "account" -> Grouping.ACCOUNT;
      default -> throw GatewayError.INVALID_VALUE.exception(
          "'group_by' must be day, model, channel or account", "group_by");
    };
    int limit = query.getValue("limit") instanceof Number n ? (int) Math.max(1, Math.min(n.longValue(), MAX_PAGE))
        : DEFAULT_PAGE;
    OffsetDateTime from = instant(query, "from", EPOCH);
    OffsetDateTime until = instant(query, "until", FAR_FUTURE);
    Tuple page = Tuple.of(from, until);
    Object after = query.getValue("after");
    if (grouping == Grouping.ACCOUNT) {
      page.addLong(after == null ? null : accountAfter(after));
    } else {
      if (after != null && (!(after instanceof String text) || text.length() > 200)) {
        throw GatewayError.INVALID_VALUE.exception("'after' must be a group this report gave out", "after");
      }
      if (grouping == Grouping.DAY && after != null) {
        try {
          java.time.LocalDate.parse((String) after);
        } catch (DateTimeParseException e) {
          throw GatewayError.INVALID_VALUE.exception("'after' must be a day (YYYY-MM-DD)", "after");
        }
      }
      page.addString((String) after);
    }
    page.addInteger(limit + 1);
    Future<JsonObject> total = pool.preparedQuery(BillingSql.REPORT_TOTAL).execute(Tuple.of(from, until))
        .map(rows -> summary(rows.iterator().next()));
    Future<JsonObject> groups = pool.preparedQuery(grouping.sql).execute(page).map(rows -> {
      JsonArray data = new JsonArray();
      Object last = null;
      boolean more = false;
      for (Row row : rows) {
        if (data.size() == limit) {
          more = true;
          break;
        }
        last = row.getValue("grp");
        data.add(summary(row).put(grouping.column, last));
      }
      return new JsonObject().put("group_by", groupBy).put("data", data)
          .put("next_after", more ? String.valueOf(last) : null);
    });
    return Future.all(total, groups).map(done -> groups.result().put("total", total.result()));
  }

  private static long accountAfter(Object after) {
    try {
      return after instanceof Number n ? n.longValue() : Long.parseLong((String) after);
    } catch (ClassCastException | NumberFormatException e) {
      throw GatewayError.INVALID_VALUE.exception("'after' must be an account id", "after");
    }
  }

  private static JsonObject summary(Row row) {
    long cost = row.getLong("cost_micros");
    long upstream = row.getLong("upstream_cost_micros");
    return new JsonObject()
        .put("requests", row.getLong("requests"))
        .put("failed_requests", row.getLong("failed"))
        .put("input_tokens", row.getLong("input_tokens"))
        .put("output_tokens", row.getLong("output_tokens"))
        .put("cost_micros", cost)
        .put("cost_credits", Credits.fromMicros(cost))
        .put("upstream_cost_micros", upstream)
        .put("upstream_cost_credits", Credits.fromMicros(upstream))
        .put("margin_micros", cost - upstream)
        .put("uncosted_requests", row.getLong("uncosted"));
  }

  private static OffsetDateTime instant(JsonObject query, String field, OffsetDateTime fallback) {
    Object value = query.getValue(field);
    if (value == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse((String) value);
    } catch (ClassCastException | DateTimeParseException e) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be an ISO-8601 timestamp", field);
    }
  }
}
