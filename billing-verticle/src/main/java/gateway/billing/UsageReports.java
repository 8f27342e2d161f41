package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.bus.RequestOutcome;
import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * What an account's users read of their usage: rows filtered by time, key, model and outcome and paged by
 * keyset (the cursor names the last row seen, so page 10,000 costs what page 1 does and a CSV
 * export can walk a million rows a page at a time), totals grouped by day, model or key, and the
 * spend of today and this month. Read-only: nothing here moves money.
 */
final class UsageReports {
  static final int MAX_PAGE = 1000;
  private static final OffsetDateTime EPOCH = OffsetDateTime.parse("1970-01-01T00:00:00Z");
  private static final OffsetDateTime FAR_FUTURE = OffsetDateTime.parse("9999-01-01T00:00:00Z");
  private static final int MAX_KEY_FILTER = 10_000;

  private final Pool pool;

  UsageReports(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> page(JsonObject query) {
    int limit = Math.max(1, Math.min(query.getInteger("limit", 100), MAX_PAGE));
    Cursor cursor = Cursor.parse(query.getValue("cursor"));
    OffsetDateTime until = instant(query, "until", FAR_FUTURE);
    if (cursor != null && cursor.createdAt().plus(1, ChronoUnit.MICROS).isBefore(until)) {
      until = cursor.createdAt().plus(1, ChronoUnit.MICROS);
    }
    Tuple parameters = filters(query, until)
        .addOffsetDateTime(cursor == null ? null : cursor.createdAt())
        .addString(cursor == null ? null : cursor.requestId())
        .addInteger(limit);
    return pool.preparedQuery(BillingSql.USAGE_PAGE).execute(parameters).map(rows -> {
      JsonArray data = new JsonArray();
      Row last = null;
      for (Row row : rows) {
        data.add(UsageLog.view(row));
        last = row;
      }
      String next = rows.size() == limit && last != null
          ? new Cursor(last.getOffsetDateTime("created_at"), last.getString("request_id")).encode() : null;
      return new JsonObject().put("data", data).put("next_cursor", next);
    });
  }

  Future<JsonObject> totals(JsonObject query) {
    String groupBy = query.getString("group_by", "day");
    String statement = switch (groupBy) {
      case "day" -> BillingSql.USAGE_TOTALS_BY_DAY;
      case "model" -> BillingSql.USAGE_TOTALS_BY_MODEL;
      case "key" -> BillingSql.USAGE_TOTALS_BY_KEY;
      default -> throw GatewayError.INVALID_VALUE.exception("'group_by' must be day, model or key", "group_by");
    };
    String column = groupBy.equals("key") ? "key_id" : groupBy;
    return pool.preparedQuery(statement).execute(filters(query, instant(query, "until", FAR_FUTURE))).map(rows -> {
      JsonArray data = new JsonArray();
      long[] total = new long[7];
      for (Row row : rows) {
        long[] values = {row.getLong("requests"), row.getLong("failed"), row.getLong("input_tokens"),
            row.getLong("cache_read_tokens"), row.getLong("cache_write_tokens"), row.getLong("output_tokens"),
            row.getLong("cost_micros")};
        for (int i = 0; i < total.length; i++) {
          total[i] += values[i];
        }
        data.add(summary(values).put(column, row.getValue("grp")));
      }
      return new JsonObject().put("group_by", groupBy).put("data", data).put("total", summary(total));
    });
  }

  Future<JsonObject> spend(JsonObject query) {
    return pool.preparedQuery(BillingSql.SPEND).execute(Tuple.of(accountId(query), query.getLong("key_id")))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new JsonObject()
              .put("today_micros", row.getLong("today"))
              .put("today_credits", Credits.fromMicros(row.getLong("today")))
              .put("month_micros", row.getLong("month"))
              .put("month_credits", Credits.fromMicros(row.getLong("month")));
        });
  }

  private static Tuple filters(JsonObject query, OffsetDateTime until) {
    Object model = query.getValue("model");
    if (model != null && (!(model instanceof String m) || m.length() > 200)) {
      throw GatewayError.INVALID_VALUE.exception("'model' must be a model alias", "model");
    }
    return Tuple.of(accountId(query), keyIds(query.getValue("key_ids")), query.getLong("key_id"), model,
        instant(query, "from", EPOCH), until).addString(outcome(query.getValue("outcome")));
  }

  /** Each key's newest usage time: {account_id, key_ids} → {data: [{key_id, last_used_at (ISO-8601 or null)}]}. */
  Future<JsonObject> lastUsed(JsonObject query) {
    Long[] ids = keyIds(query.getValue("key_ids"));
    if (ids == null) {
      throw GatewayError.MISSING_FIELD.exception("'key_ids' is required", "key_ids");
    }
    // Tuple.of(id, ids) would spread the array into parameters of its own.
    Tuple parameters = Tuple.tuple().addLong(accountId(query)).addArrayOfLong(ids);
    return pool.preparedQuery(BillingSql.KEYS_LAST_USED).execute(parameters).map(rows -> {
      JsonArray data = new JsonArray();
      for (Row row : rows) {
        OffsetDateTime at = row.getOffsetDateTime("last_used_at");
        data.add(new JsonObject().put("key_id", row.getLong("key_id"))
            .put("last_used_at", at == null ? null : at.toInstant().toString()));
      }
      return new JsonObject().put("data", data);
    });
  }

  private static String outcome(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String wire) {
      for (RequestOutcome known : RequestOutcome.values()) {
        if (known.wire.equals(wire)) {
          return wire;
        }
      }
    }
    throw GatewayError.INVALID_VALUE.exception("'outcome' must be completed, client_disconnected, upstream_cut, "
        + "gateway_error or failed", "outcome");
  }

  private static Long[] keyIds(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray array) || array.size() > MAX_KEY_FILTER) {
      throw GatewayError.INVALID_VALUE.exception("'key_ids' must be a list of key ids", "key_ids");
    }
    Long[] ids = new Long[array.size()];
    for (int i = 0; i < ids.length; i++) {
      if (!(array.getValue(i) instanceof Number n)) {
        throw GatewayError.INVALID_VALUE.exception("'key_ids' must be a list of key ids", "key_ids");
      }
      ids[i] = n.longValue();
    }
    return ids;
  }

  private static long accountId(JsonObject query) {
    if (!(query.getValue("account_id") instanceof Number n)) {
      throw GatewayError.MISSING_FIELD.exception("'account_id' is required", "account_id");
    }
    return n.longValue();
  }

  private static JsonObject summary(long[] v) {
    return new JsonObject()
        .put("requests", v[0])
        .put("failed_requests", v[1])
        .put("input_tokens", v[2])
        .put("cache_read_tokens", v[3])
        .put("cache_write_tokens", v[4])
        .put("output_tokens", v[5])
        .put("cost_micros", v[6])
        .put("cost_credits", Credits.fromMicros(v[6]));
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

  /** Where a page ended: the last row's time (to the microsecond, as Postgres keeps it) and request id. */
  record Cursor(OffsetDateTime createdAt, String requestId) {
    String encode() {
      Instant at = createdAt.toInstant();
      long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((micros + ":" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(Object value) {
      if (value == null) {
        return null;
      }
      try {
        String text = new String(Base64.getUrlDecoder().decode((String) value), StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        long micros = Long.parseLong(text.substring(0, colon));
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        return new Cursor(at.atOffset(ZoneOffset.UTC), text.substring(colon + 1));
      } catch (RuntimeException e) {
        throw GatewayError.INVALID_VALUE.exception("'cursor' is not a cursor this API gave out", "cursor");
      }
    }
  }
}
