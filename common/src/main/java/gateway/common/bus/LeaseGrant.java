package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/** The reply to {@code billing.leases.take}: what was added to the lease, or why nothing was. */
public record LeaseGrant(Outcome outcome, long grantedMicros) {

  public enum Outcome {
    /** {@code grantedMicros} more are held in the lease. */
    GRANTED,
    /** Too little is free for a lease worth having: hold per request. */
    EDGE,
    /** The account has live vouchers: lease the pot paying each model first ({@link LeasePot}) instead. */
    VOUCHERS,
    /** The account is in debt: every request is refused (per request, with 402). */
    DEBT,
    /** A lease to grow is no longer there (swept or returned). */
    GONE;

    public static Outcome fromWire(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("outcome", outcome.wire()).put("granted_micros", grantedMicros);
  }

  public static LeaseGrant fromJson(JsonObject json) {
    return new LeaseGrant(Outcome.fromWire(json.getString("outcome")), json.getLong("granted_micros", 0L));
  }
}
