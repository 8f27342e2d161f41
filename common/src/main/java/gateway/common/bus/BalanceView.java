package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to {@code billing.balance}: an account's cash and its live vouchers, in micro-credits.
 * Whoever shows it converts to credits (the admin API's {@code balance_credits}, ...).
 *
 * @param balanceMicros          cash; below zero only by a charge that overran its hold
 * @param heldMicros             cash set aside by open holds
 * @param voucherRemainingMicros what the account's live vouchers still hold, in all
 * @param voucherHeldMicros      of that, what open holds set aside
 */
public record BalanceView(long accountId, long balanceMicros, long heldMicros, long voucherRemainingMicros,
                          long voucherHeldMicros) {

  /** Cash a new hold may still take. */
  public long availableMicros() {
    return balanceMicros - heldMicros;
  }

  /** Voucher credit a new hold may still take. */
  public long voucherAvailableMicros() {
    return Math.max(0, voucherRemainingMicros - voucherHeldMicros);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("account_id", accountId)
        .put("balance_micros", balanceMicros)
        .put("held_micros", heldMicros)
        .put("voucher_remaining_micros", voucherRemainingMicros)
        .put("voucher_held_micros", voucherHeldMicros);
  }

  public static BalanceView fromJson(JsonObject json) {
    return new BalanceView(
        json.getLong("account_id"),
        json.getLong("balance_micros", 0L),
        json.getLong("held_micros", 0L),
        json.getLong("voucher_remaining_micros", 0L),
        json.getLong("voucher_held_micros", 0L));
  }
}
