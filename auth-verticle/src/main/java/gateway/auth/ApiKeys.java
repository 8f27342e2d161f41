package gateway.auth;

import gateway.common.GatewayError;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * API keys: creation (the only time a full secret is returned, with regeneration),
 * changes, and verification of a presented secret by its SHA-256.
 */
final class ApiKeys {
  private final Pool pool;
  private final Accounts accounts;

  ApiKeys(Pool pool, Accounts accounts) {
    this.pool = pool;
    this.accounts = accounts;
  }

  /** The principal of a valid key; 401 for a missing, unknown, disabled or expired one. */
  Future<Principal> verify(String secret) {
    if (secret == null || !secret.startsWith(KeySecret.SCHEME)) {
      return Future.failedFuture(GatewayError.INVALID_API_KEY.exception());
    }
    return verifyHash(KeySecret.sha256(secret));
  }

  /** Like {@link #verify} for a key the caller hashed already, so the secret never crosses the bus. */
  Future<Principal> verifyHash(byte[] hash) {
    if (hash == null || hash.length != KeySecret.HASH_BYTES) {
      return Future.failedFuture(GatewayError.INVALID_API_KEY.exception());
    }
    return pool.preparedQuery(AuthSql.VERIFY_KEY)
        .execute(Tuple.of(Buffer.buffer(hash)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw GatewayError.INVALID_API_KEY.exception();
          }
          Row row = rows.iterator().next();
          if (!KeySecret.sameHash(hash, row.getBuffer("key_hash").getBytes())) {
            throw GatewayError.INVALID_API_KEY.exception();
          }
          if (row.getOffsetDateTime("deleted_at") != null) {
            throw GatewayError.INVALID_API_KEY.exception("This API key was deleted.");
          }
          if (row.getBoolean("disabled")) {
            throw GatewayError.INVALID_API_KEY.exception("This API key is disabled.");
          }
          OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
          if (expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now())) {
            throw GatewayError.INVALID_API_KEY.exception("This API key has expired.");
          }
          return new Principal(
              row.getLong("id"),
              row.getLong("account_id"),
              row.getString("name"),
              Arrays.asList(row.getArrayOfStrings("models")),
              expiresAt == null ? null : expiresAt.toInstant().toEpochMilli(),
              RateLimits.fromJson(row.getJsonObject("limits")),
              RateLimits.fromJson(row.getJsonObject("account_limits")),
              voucherIds(row),
              row.getBoolean("vouchers_only"));
        });
  }

  Future<JsonObject> create(JsonObject body) {
    long accountId = Requests.requiredLong(body, "account_id");
    String name = body.getValue("name") == null ? "default" : Requests.requiredString(body, "name");
    List<String> models = Requests.models(body);
    OffsetDateTime expiresAt = Requests.expiresAt(body);
    JsonObject limits = Requests.limits(body).toJson();
    Long[] vouchers = Requests.voucherIds(body);
    boolean vouchersOnly = Requests.optionalBoolean(body, "vouchers_only", false);
    Long owner = body.getValue("user_id") instanceof Number n ? n.longValue() : null;
    String secret = KeySecret.generate();
    return accounts.get(accountId)
        .compose(account -> pool.preparedQuery(AuthSql.INSERT_KEY).execute(Tuple.of(
            accountId, name, Buffer.buffer(KeySecret.sha256(secret)), KeySecret.displayPrefix(secret),
            models.toArray(new String[0]), limits, expiresAt).addArrayOfLong(vouchers).addBoolean(vouchersOnly)
            .addLong(owner)))
        .map(rows -> view(rows.iterator().next()).put("key", secret));
  }

  /** Changes the fields present in {@code body}: disabled, name, models, expires_at and limits. */
  Future<JsonObject> update(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return pool.preparedQuery(AuthSql.SELECT_KEY).execute(Tuple.of(id)).compose(rows -> {
      Row current = single(rows, id);
      String name = body.containsKey("name") ? Requests.requiredString(body, "name") : current.getString("name");
      String[] models = body.containsKey("models")
          ? Requests.models(body).toArray(new String[0])
          : current.getArrayOfStrings("models");
      boolean disabled = current.getBoolean("disabled");
      if (body.containsKey("disabled")) {
        if (!(body.getValue("disabled") instanceof Boolean b)) {
          throw GatewayError.INVALID_VALUE.exception("'disabled' must be true or false", "disabled");
        }
        disabled = b;
      }
      OffsetDateTime expiresAt = body.containsKey("expires_at")
          ? Requests.expiresAt(body)
          : current.getOffsetDateTime("expires_at");
      JsonObject limits = Requests.mergeLimits(current.getJsonObject("limits"), body);
      Long[] vouchers = body.containsKey("voucher_ids") ? Requests.voucherIds(body) : current.getArrayOfLongs("voucher_ids");
      boolean vouchersOnly = Requests.optionalBoolean(body, "vouchers_only", current.getBoolean("vouchers_only"));
      return pool.preparedQuery(AuthSql.UPDATE_KEY)
          .execute(Tuple.of(id, name, models, limits, disabled, expiresAt).addArrayOfLong(vouchers)
              .addBoolean(vouchersOnly))
          .map(updated -> view(updated.iterator().next()));
    });
  }

  Future<JsonObject> regenerate(long id) {
    String secret = KeySecret.generate();
    return pool.preparedQuery(AuthSql.REGENERATE_KEY)
        .execute(Tuple.of(id, Buffer.buffer(KeySecret.sha256(secret)), KeySecret.displayPrefix(secret)))
        .map(rows -> view(single(rows, id)).put("key", secret));
  }

  Future<JsonObject> get(long id) {
    return pool.preparedQuery(AuthSql.SELECT_KEY).execute(Tuple.of(id)).map(rows -> view(single(rows, id)));
  }

  Future<JsonObject> list(long accountId) {
    return accounts.get(accountId)
        .compose(account -> pool.preparedQuery(AuthSql.SELECT_KEYS_OF_ACCOUNT).execute(Tuple.of(accountId)))
        .map(rows -> {
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(view(row)));
          return new JsonObject().put("data", data);
        });
  }

  private static List<Long> voucherIds(Row row) {
    Long[] ids = row.getArrayOfLongs("voucher_ids");
    return ids == null ? null : List.of(ids);
  }

  private static Row single(RowSet<Row> rows, long id) {
    if (rows.size() == 0) {
      throw GatewayError.NOT_FOUND.exception("no API key " + id);
    }
    return rows.iterator().next();
  }

  /** What the admin API shows of a key: everything but the secret. */
  static JsonObject view(Row row) {
    OffsetDateTime expiresAt = row.getOffsetDateTime("expires_at");
    JsonObject view = new JsonObject()
        .put("id", row.getLong("id"))
        .put("account_id", row.getLong("account_id"))
        .put("name", row.getString("name"))
        .put("prefix", row.getString("key_prefix"))
        .put("models", new JsonArray(Arrays.asList(row.getArrayOfStrings("models"))))
        .put("disabled", row.getBoolean("disabled"))
        .put("expires_at", expiresAt == null ? null : expiresAt.toInstant().toString())
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("voucher_ids", row.getArrayOfLongs("voucher_ids") == null ? null
            : new JsonArray(Arrays.asList(row.getArrayOfLongs("voucher_ids"))))
        .put("vouchers_only", row.getBoolean("vouchers_only"))
        .put("user_id", row.getLong("user_id"))
        .put("deleted_at", row.getOffsetDateTime("deleted_at") == null ? null
            : row.getOffsetDateTime("deleted_at").toInstant().toString());
    view.mergeIn(row.getJsonObject("limits"));
    return view;
  }
}
