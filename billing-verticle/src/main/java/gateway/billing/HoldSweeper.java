package gateway.billing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases holds older than a maximum age: a router that died mid-request never settles,
 * and its hold must not lock the customer's credits forever. A late settle still charges
 * (never beyond the balance), since it no longer finds its hold.
 */
final class HoldSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(HoldSweeper.class);

  private final Pool pool;
  private final long maxAgeSeconds;

  HoldSweeper(Pool pool, long maxAgeSeconds) {
    this.pool = pool;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  /** Releases the expired holds; completes with how many accounts had some. */
  Future<Integer> sweep() {
    return pool.preparedQuery(BillingSql.SWEEP_EXPIRED_HOLDS).execute(Tuple.of(maxAgeSeconds)).map(rows -> {
      rows.forEach(row -> LOG.warn("released {} µcr of expired holds of account {}",
          row.getLong("total"), row.getLong("account_id")));
      return rows.size();
    });
  }
}
