package gateway.auth;

import gateway.common.GatewayError;
import gateway.common.bus.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Customer accounts: a name, account-wide limits and the models its users may give their keys
 * ({@code *}: any). Balances belong to billing.
 */
final class Accounts {
  private final Pool pool;

  Accounts(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> create(JsonObject body) {
    String name = Requests.requiredString(body, "name");
    RateLimits limits = Requests.limits(body);
    String[] models = body.getValue("models") == null ? new String[] {"*"}
        : Requests.models(body).toArray(new String[0]);
    return pool.preparedQuery(AuthSql.INSERT_ACCOUNT)
        .execute(Tuple.of(name, limits.toJson(), models))
        .map(rows -> view(rows.iterator().next()));
  }

  Future<JsonObject> get(long id) {
    return pool.preparedQuery(AuthSql.SELECT_ACCOUNT)
        .execute(Tuple.of(id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw GatewayError.NOT_FOUND.exception("no account " + id);
          }
          return view(rows.iterator().next());
        });
  }

  /** The operator console's account search: by name or id, newest first, a page at a time. */
  Future<JsonObject> search(JsonObject body) {
    String q = body.getString("q");
    String text = q == null || q.isBlank() ? null : q.strip();
    Long id = text != null && text.matches("\\d{1,18}") ? Long.valueOf(text) : null;
    String pattern = text == null ? null : "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    int limit = Math.max(1, Math.min(100, body.getInteger("limit", 50)));
    Long before = body.getLong("before_id");
    return pool.preparedQuery(AuthSql.SEARCH_ACCOUNTS)
        .execute(Tuple.of(pattern, id, before, limit + 1))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(view(row)));
          Long next = null;
          if (data.size() > limit) {
            data.remove(limit);
            next = data.getJsonObject(limit - 1).getLong("id");
          }
          return new JsonObject().put("data", data).put("next_before_id", next);
        });
  }

  /** Changes the fields present in {@code body}; a limit set to null is removed. */
  Future<JsonObject> update(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return get(id).compose(current -> {
      String name = body.containsKey("name") ? Requests.requiredString(body, "name") : current.getString("name");
      JsonObject limits = Requests.mergeLimits(current.getJsonObject("limits"), body);
      String[] models = body.containsKey("models") ? Requests.models(body).toArray(new String[0])
          : current.getJsonArray("models").stream().map(String.class::cast).toArray(String[]::new);
      return pool.preparedQuery(AuthSql.UPDATE_ACCOUNT)
          .execute(Tuple.of(id, name, limits, models))
          .map(rows -> view(rows.iterator().next()));
    });
  }

  Future<Void> ping() {
    return pool.query(AuthSql.PING).execute().mapEmpty();
  }

  private static JsonObject view(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("limits", row.getJsonObject("limits"))
        .put("models", new JsonArray(java.util.Arrays.asList(row.getArrayOfStrings("models"))))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
