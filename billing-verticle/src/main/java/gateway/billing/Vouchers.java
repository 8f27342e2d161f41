package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.money.Credits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vouchers: credit an account may spend only on a whitelist of model aliases, optionally until
 * an expiry. Granting, revoking and expiring are each one statement with its ledger row; holds
 * and charges on vouchers are the ledger's ({@code billing.reserve} / {@code billing.settle}).
 */
final class Vouchers {
  private static final Logger LOG = LoggerFactory.getLogger(Vouchers.class);
  private static final String UNIQUE_VIOLATION = "23505";

  /** A voucher to grant, already checked. */
  record Grant(long accountId, List<String> models, long amountMicros, OffsetDateTime expiresAt, String source,
               String note, String idempotencyKey) {
  }

  private final Pool pool;

  Vouchers(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> grant(Grant grant) {
    Tuple parameters = Tuple.of(grant.accountId(), grant.models().toArray(String[]::new),
            grant.models().stream().map(ModelPatterns::like).toArray(String[]::new), grant.amountMicros(),
            grant.expiresAt(), grant.source())
        .addString(grant.note()).addString(grant.idempotencyKey());
    return pool.preparedQuery(BillingSql.GRANT_VOUCHER).execute(parameters)
        .map(rows -> view(rows.iterator().next()).put("replayed", false))
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? replayed(grant) : Future.failedFuture(failure));
  }

  private Future<JsonObject> replayed(Grant grant) {
    return pool.preparedQuery(BillingSql.SELECT_VOUCHER_BY_KEY)
        .execute(Tuple.of(grant.accountId(), grant.idempotencyKey()))
        .compose(rows -> {
          JsonObject existing = view(rows.iterator().next());
          if (existing.getLong("granted_micros") != grant.amountMicros()) {
            return Future.failedFuture(GatewayError.CONFLICT.exception("idempotency_key '" + grant.idempotencyKey()
                + "' was used for a different voucher", "idempotency_key"));
          }
          return Future.succeededFuture(existing.put("replayed", true));
        });
  }

  Future<JsonObject> list(long accountId) {
    return pool.preparedQuery(BillingSql.LIST_VOUCHERS).execute(Tuple.of(accountId)).map(rows -> {
      JsonArray data = new JsonArray();
      rows.forEach(row -> data.add(view(row)));
      return new JsonObject().put("data", data);
    });
  }

  Future<JsonObject> get(long voucherId) {
    return pool.preparedQuery(BillingSql.SELECT_VOUCHER).execute(Tuple.of(voucherId)).compose(rows ->
        rows.size() == 0 ? Future.failedFuture(GatewayError.NOT_FOUND.exception("no voucher " + voucherId))
            : Future.succeededFuture(view(rows.iterator().next())));
  }

  /** Writes off what is left of a voucher (ledger row); holds resting on it are charged to cash. */
  Future<JsonObject> revoke(long voucherId) {
    return pool.preparedQuery(BillingSql.CLOSE_VOUCHER).execute(Tuple.of(voucherId, "revoked")).compose(rows -> {
      Long writtenOff = rows.iterator().next().getLong("written_off");
      if (writtenOff == null) {
        return Future.failedFuture(GatewayError.NOT_FOUND.exception("no voucher " + voucherId));
      }
      return pool.preparedQuery(BillingSql.SELECT_VOUCHER).execute(Tuple.of(voucherId))
          .map(voucher -> view(voucher.iterator().next()).put("written_off_micros", writtenOff));
    });
  }

  /** Writes off every voucher past its expiry, telling {@code changed} each account; completes with how many. */
  Future<Integer> expireDue(Consumer<Long> changed) {
    return pool.preparedQuery(BillingSql.EXPIRE_DUE_VOUCHERS).execute().map(rows -> {
      rows.forEach(row -> {
        LOG.info("voucher {} of account {} expired; {} µcr written off", row.getLong("id"),
            row.getLong("account_id"), row.getLong("written_off"));
        changed.accept(row.getLong("account_id"));
      });
      return rows.size();
    });
  }

  static JsonObject view(Row row) {
    long remaining = row.getLong("remaining_micros");
    long held = row.getLong("held_micros");
    boolean live = row.getOffsetDateTime("closed_at") == null && (row.getOffsetDateTime("expires_at") == null
        || row.getOffsetDateTime("expires_at").isAfter(OffsetDateTime.now()));
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("account_id", row.getLong("account_id"))
        .put("models", new JsonArray(List.of(row.getArrayOfStrings("models"))))
        .put("granted_micros", row.getLong("granted_micros"))
        .put("granted_credits", Credits.fromMicros(row.getLong("granted_micros")))
        .put("remaining_micros", remaining)
        .put("remaining_credits", Credits.fromMicros(remaining))
        .put("held_micros", held)
        .put("available_credits", Credits.fromMicros(live ? Math.max(0, remaining - held) : 0))
        .put("expires_at", instant(row, "expires_at"))
        .put("status", row.getString("closed_reason") != null ? row.getString("closed_reason") : live ? "active"
            : "expired")
        .put("source", row.getString("source"))
        .put("note", row.getString("note"))
        .put("created_at", instant(row, "created_at"));
  }

  private static String instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant().toString();
  }
}
