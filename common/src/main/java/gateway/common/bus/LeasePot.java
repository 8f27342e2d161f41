package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to {@code billing.leases.pot}: which of an account's pots pays a model first, so a router leases that
 * pot (in the order billing places a hold: the live vouchers covering the model, soonest expiry first, then cash).
 *
 * @param voucherId the voucher for {@link Outcome#VOUCHER} and {@link Outcome#EXPIRING}, else null
 */
public record LeasePot(Outcome outcome, Long voucherId) {

  public enum Outcome {
    /** A voucher pays the model first: lease it. */
    VOUCHER,
    /** No live voucher with credit left covers the model: cash pays, lease cash. */
    CASH,
    /** The voucher paying first ends within a lease's life: hold per request until it has. */
    EXPIRING;

    public static Outcome fromWire(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("outcome", outcome.wire()).put("voucher_id", voucherId);
  }

  public static LeasePot fromJson(JsonObject json) {
    return new LeasePot(Outcome.fromWire(json.getString("outcome")), json.getLong("voucher_id"));
  }
}
