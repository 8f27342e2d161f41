package gateway.billing;

import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;

/** Reads the usage rows that settle and release write. */
final class UsageLog {
  static final int MAX_LIMIT = 1000;

  private final Pool pool;

  UsageLog(Pool pool) {
    this.pool = pool;
  }

  /**
   * Newest first; {@code accountId} null lists every account. The page holds at most {@link #MAX_LIMIT} rows: the
   * reply says the page size used ({@code limit}), whether the one asked for was cut down to it ({@code capped}),
   * and whether older rows exist beyond the page ({@code has_more}).
   */
  Future<JsonObject> list(Long accountId, int limit) {
    int bounded = Math.max(1, Math.min(limit, MAX_LIMIT));
    return pool.preparedQuery(BillingSql.SELECT_USAGE).execute(Tuple.of(accountId, bounded + 1)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> {
        if (data.size() < bounded) {
          data.add(view(row));
        }
      });
      return new JsonObject()
          .put("data", data)
          .put("limit", bounded)
          .put("capped", limit > MAX_LIMIT)
          .put("has_more", rows.size() > bounded);
    });
  }

  /** Totals per model and overall between two instants: what an operator reconciles an account with. */
  Future<JsonObject> summarize(Long accountId, OffsetDateTime from, OffsetDateTime until) {
    return pool.preparedQuery(BillingSql.SUMMARIZE_USAGE).execute(Tuple.of(accountId, from, until)).map(rows -> {
      JsonArray models = new JsonArray();
      long[] totals = new long[7];
      for (Row row : rows) {
        long[] values = {row.getLong("requests"), row.getLong("failed"), row.getLong("input_tokens"),
            row.getLong("cache_read_tokens"), row.getLong("cache_write_tokens"), row.getLong("output_tokens"),
            row.getLong("cost_micros")};
        for (int i = 0; i < totals.length; i++) {
          totals[i] += values[i];
        }
        models.add(summary(values).put("model", row.getString("model")));
      }
      return new JsonObject()
          .put("account_id", accountId)
          .put("from", from.toInstant().toString())
          .put("until", until.toInstant().toString())
          .put("total", summary(totals))
          .put("models", models);
    });
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

  static JsonObject view(Row row) {
    long cost = row.getLong("cost_micros");
    return new JsonObject()
        .put("request_id", row.getString("request_id"))
        .put("account_id", row.getLong("account_id"))
        .put("key_id", row.getLong("key_id"))
        .put("model", row.getString("model"))
        .put("channel", row.getString("channel"))
        .put("input_tokens", row.getLong("input_tokens"))
        .put("cache_read_tokens", row.getLong("cache_read_tokens"))
        .put("cache_write_tokens", row.getLong("cache_write_tokens"))
        .put("output_tokens", row.getLong("output_tokens"))
        .put("reasoning_tokens", row.getLong("reasoning_tokens"))
        .put("cost_micros", cost)
        .put("cost_credits", Credits.fromMicros(cost))
        .put("priced_micros", row.getLong("priced_micros"))
        .put("held_micros", row.getLong("held_micros"))
        .put("outcome", row.getString("outcome"))
        .put("latency_ms", row.getLong("latency_ms"))
        .put("attempts", row.getInteger("attempts"))
        .put("error", row.getString("error"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
