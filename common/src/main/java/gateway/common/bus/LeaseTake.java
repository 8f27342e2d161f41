package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * A {@code billing.leases.take} command: hold up to {@code amountMicros} of the account's free cash as the lease
 * {@code leaseId} (added to it when {@code grow}), for {@code lifeSeconds} unless renewed; nothing when less than
 * {@code minMicros} can be granted (the account is near its edge and is held per request).
 */
public record LeaseTake(String leaseId, long accountId, long amountMicros, long minMicros, long lifeSeconds,
                        boolean grow) {

  public LeaseTake {
    if (amountMicros <= 0 || minMicros < 0 || lifeSeconds <= 0) {
      throw new IllegalArgumentException("a lease needs a positive amount and life: " + amountMicros + ", "
          + lifeSeconds);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("lease_id", leaseId).put("account_id", accountId).put("amount_micros", amountMicros)
        .put("min_micros", minMicros).put("life_seconds", lifeSeconds).put("grow", grow);
  }

  public static LeaseTake fromJson(JsonObject json) {
    return new LeaseTake(json.getString("lease_id"), json.getLong("account_id"), json.getLong("amount_micros"),
        json.getLong("min_micros", 0L), json.getLong("life_seconds"), json.getBoolean("grow", false));
  }
}
