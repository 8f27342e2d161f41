package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeaseTake;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Grants, returns and renews routers' credit leases (V10): each is one hold of the account's cash. They go
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
    return pool.preparedQuery(BillingSql.TAKE_LEASE).execute(Tuple.of(take.leaseId(), take.accountId(),
        take.amountMicros(), take.minMicros(), take.lifeSeconds(), take.grow())).map(rows -> {
          Row row = rows.iterator().next();
          LeaseGrant grant = new LeaseGrant(LeaseGrant.Outcome.fromWire(row.getString("outcome")),
              row.getLong("granted_micros"));
          LedgerMetrics.leaseTaken(grant);
          return grant;
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
