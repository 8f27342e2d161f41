package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A {@code billing.leases.take} command: hold up to {@code amountMicros} of the account's free cash as the lease
 * {@code leaseId} (added to it when {@code grow}), for {@code lifeSeconds} unless renewed; nothing when less than
 * {@code minMicros} can be granted (the account is near its edge and is held per request).
 *
 * <p>A pot lease (its id starts with {@link #POT_PREFIX}) is taken on one pot of an account with vouchers: the
 * voucher {@code voucherId}, or cash when that is null. Any other lease is on cash, of an account without vouchers.
 */
public record LeaseTake(String leaseId, long accountId, long amountMicros, long minMicros, long lifeSeconds,
                        boolean grow, Long voucherId) {
  public static final String POT_PREFIX = "lease:pot:";

  public LeaseTake {
    if (amountMicros <= 0 || minMicros < 0 || lifeSeconds <= 0) {
      throw new IllegalArgumentException("a lease needs a positive amount and life: " + amountMicros + ", "
          + lifeSeconds);
    }
  }

  /** A lease on the cash of an account without vouchers. */
  public LeaseTake(String leaseId, long accountId, long amountMicros, long minMicros, long lifeSeconds, boolean grow) {
    this(leaseId, accountId, amountMicros, minMicros, lifeSeconds, grow, null);
  }

  public static boolean isPotLease(String leaseId) {
    return leaseId != null && leaseId.startsWith(POT_PREFIX);
  }

  public JsonObject toJson() {
    return new JsonObject().put("lease_id", leaseId).put("account_id", accountId).put("amount_micros", amountMicros)
        .put("min_micros", minMicros).put("life_seconds", lifeSeconds).put("grow", grow)
        .put("voucher_id", voucherId);
  }

  public static LeaseTake fromJson(JsonObject json) {
    return new LeaseTake(json.getString("lease_id"), json.getLong("account_id"), json.getLong("amount_micros"),
        json.getLong("min_micros", 0L), json.getLong("life_seconds"), json.getBoolean("grow", false),
        json.getLong("voucher_id"));
  }
}
