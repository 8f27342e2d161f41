package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeasePot;
import gateway.common.bus.LeaseTake;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Grants, returns and renews routers' credit leases (V10): each is one hold of the account's cash, or for an
 * account with vouchers one hold on one of its pots (V14), chosen by {@link #pot}. They go
 * through the pool that waits for the disk: a router spends a lease it was told it has, so a grant must not be
 * lost in a crash (a lease is taken once per many requests, so the wait does not show).
 */
final class CreditLeaseDesk {
  private final Pool pool;

  CreditLeaseDesk(Pool pool) {
    this.pool = pool;
  }

  Future<LeaseGrant> take(LeaseTake take) {
    if (take.leaseId() == null || !take.leaseId().startsWith("lease:")) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("a lease id starts with 'lease:'", "lease_id"));
    }
    Tuple parameters;
    String statement;
    if (LeaseTake.isPotLease(take.leaseId())) {
      // the prefix fixes the lease's kind for its life: its settles go to the statement for pot leases
      statement = BillingSql.TAKE_POT_LEASE;
      parameters = Tuple.of(take.leaseId(), take.accountId(), take.voucherId(), take.amountMicros(), take.minMicros(),
          take.lifeSeconds(), take.grow());
    } else if (take.voucherId() != null) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("only a pot lease ('" + LeaseTake.POT_PREFIX
          + "...') rests on a voucher", "voucher_id"));
    } else {
      statement = BillingSql.TAKE_LEASE;
      parameters = Tuple.of(take.leaseId(), take.accountId(), take.amountMicros(), take.minMicros(),
          take.lifeSeconds(), take.grow());
    }
    return pool.preparedQuery(statement).execute(parameters).map(rows -> {
      Row row = rows.iterator().next();
      LeaseGrant grant = new LeaseGrant(LeaseGrant.Outcome.fromWire(row.getString("outcome")),
          row.getLong("granted_micros"));
      LedgerMetrics.leaseTaken(grant);
      return grant;
    });
  }

  /** {account_id, model, life_seconds} → {@link LeasePot}. */
  Future<LeasePot> pot(JsonObject body) {
    if (!(body.getValue("account_id") instanceof Number account)) {
      return Future.failedFuture(GatewayError.MISSING_FIELD.exception("'account_id' is required", "account_id"));
    }
    if (!(body.getValue("model") instanceof String model)) {
      return Future.failedFuture(GatewayError.MISSING_FIELD.exception("'model' is required", "model"));
    }
    long life = body.getValue("life_seconds") instanceof Number n ? n.longValue() : 0;
    if (life <= 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("'life_seconds' must be positive",
          "life_seconds"));
    }
    return pool.preparedQuery(BillingSql.LEASE_POT).execute(Tuple.of(account.longValue(), StorableText.of(model),
        life)).map(rows -> {
          Row row = rows.iterator().next();
          return new LeasePot(LeasePot.Outcome.fromWire(row.getString("outcome")), row.getLong("voucher_id"));
        });
  }

  /** {lease_id, amount_micros?} → {returned_micros}. */
  Future<JsonObject> giveBack(JsonObject body) {
    String lease = body.getValue("lease_id") instanceof String id && id.startsWith("lease:") ? id : null;
    if (lease == null) {
      return Future.failedFuture(GatewayError.MISSING_FIELD.exception("'lease_id' names a lease", "lease_id"));
    }
    Long amount = body.getValue("amount_micros") instanceof Number n ? n.longValue() : null;
    return pool.preparedQuery(BillingSql.RETURN_LEASE).execute(Tuple.of(lease, amount))
        .map(rows -> new JsonObject().put("returned_micros", rows.iterator().next().getLong("returned_micros")));
  }

  /** {lease_ids[], life_seconds} → {leases: [still there]}. */
  Future<JsonObject> renew(JsonObject body) {
    JsonArray ids = body.getJsonArray("lease_ids", new JsonArray());
    long life = body.getLong("life_seconds", 0L);
    if (life <= 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("'life_seconds' must be positive",
          "life_seconds"));
    }
    String[] leases = ids.stream().map(String::valueOf).toArray(String[]::new);
    return pool.preparedQuery(BillingSql.RENEW_LEASES).execute(Tuple.of(leases, life)).map(rows -> {
      JsonArray alive = new JsonArray();
      rows.forEach(row -> alive.add(row.getString("lease")));
      return new JsonObject().put("leases", alive);
    });
  }
}
