package gateway.billing;

import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Reads the usage rows that settle and release write. */
final class UsageLog {
  static final int MAX_LIMIT = 1000;

  private final Pool pool;

  UsageLog(Pool pool) {
    this.pool = pool;
  }

  /** Newest first; {@code accountId} null lists every account. */
  Future<JsonObject> list(Long accountId, int limit) {
    int bounded = Math.max(1, Math.min(limit, MAX_LIMIT));
    return pool.preparedQuery(BillingSql.SELECT_USAGE).execute(Tuple.of(accountId, bounded)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(view(row)));
      return new JsonObject().put("data", data);
    });
  }

  private static JsonObject view(Row row) {
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
        .put("outcome", row.getString("outcome"))
        .put("latency_ms", row.getLong("latency_ms"))
        .put("attempts", row.getInteger("attempts"))
        .put("error", row.getString("error"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
