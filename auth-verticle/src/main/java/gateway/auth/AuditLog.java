package gateway.auth;

import gateway.common.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The append-only record of admin API calls (the table's triggers refuse UPDATE, DELETE and
 * TRUNCATE), read newest first and keyset-paged by id.
 */
final class AuditLog {
  private static final Set<String> ACTOR_KINDS = Set.of("admin_token", "operator");
  private static final int MAX_LIMIT = 500;
  private static final int MAX_TEXT = 2000;

  private final Pool pool;

  AuditLog(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> append(JsonObject entry) {
    String kind = entry.getString("actor_kind");
    if (!ACTOR_KINDS.contains(kind)) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("'actor_kind' must be admin_token or operator",
          "actor_kind"));
    }
    Tuple row = Tuple.of(kind, entry.getLong("actor_user_id"), text(entry, "actor_email"),
            Requests.requiredString(entry, "method"), text(entry, "path"), Requests.requiredString(entry, "action"),
            entry.getInteger("status", 0), text(entry, "target"))
        .addValue(entry.getJsonObject("before"))
        .addValue(entry.getJsonObject("after"))
        .addString(text(entry, "request_id"))
        .addString(text(entry, "client_address"));
    return pool.preparedQuery(AuthSql.APPEND_AUDIT).execute(row)
        .map(rows -> new JsonObject().put("id", rows.iterator().next().getLong("id")));
  }

  Future<JsonObject> list(JsonObject query) {
    int limit = Math.max(1, Math.min(query.getInteger("limit", 100), MAX_LIMIT));
    long beforeId = query.getLong("before_id", Long.MAX_VALUE);
    Tuple parameters = Tuple.of(beforeId, query.getString("action"), query.getLong("actor_user_id"),
        instant(query, "from", OffsetDateTime.parse("1970-01-01T00:00:00Z")),
        instant(query, "until", OffsetDateTime.parse("9999-12-31T00:00:00Z")), limit);
    return pool.preparedQuery(AuthSql.SELECT_AUDIT).execute(parameters).map(rows -> {
      JsonArray data = new JsonArray();
      Long last = null;
      for (Row row : rows) {
        data.add(view(row));
        last = row.getLong("id");
      }
      return new JsonObject().put("data", data).put("next_before_id", rows.size() == limit ? last : null);
    });
  }

  private static JsonObject view(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("at", row.getOffsetDateTime("at").toInstant().toString())
        .put("actor", new JsonObject()
            .put("kind", row.getString("actor_kind"))
            .put("user_id", row.getLong("actor_user_id"))
            .put("email", row.getString("actor_email")))
        .put("method", row.getString("method"))
        .put("path", row.getString("path"))
        .put("action", row.getString("action"))
        .put("status", row.getInteger("status"))
        .put("target", row.getString("target"))
        .put("before", row.getJsonObject("before"))
        .put("after", row.getJsonObject("after"))
        .put("request_id", row.getString("request_id"))
        .put("client_address", row.getString("client_address"));
  }

  private static String text(JsonObject entry, String field) {
    String value = entry.getString(field);
    if (value == null) {
      return null;
    }
    // Postgres text cannot hold NUL; a path is the client's to choose.
    String clean = value.replace('\0', '\uFFFD');
    return clean.length() > MAX_TEXT ? clean.substring(0, MAX_TEXT) : clean;
  }

  private static OffsetDateTime instant(JsonObject query, String field, OffsetDateTime fallback) {
    String value = query.getString(field);
    if (value == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be an ISO-8601 timestamp", field);
    }
  }
}
