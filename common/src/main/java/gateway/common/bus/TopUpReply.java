package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to {@code billing.topup}: the cash balance after it, in micro-credits.
 *
 * @param replayed whether the idempotency key was used before (nothing was added this time)
 */
public record TopUpReply(long balanceMicros, boolean replayed) {

  public JsonObject toJson() {
    return new JsonObject().put("balance_micros", balanceMicros).put("replayed", replayed);
  }

  public static TopUpReply fromJson(JsonObject json) {
    return new TopUpReply(json.getLong("balance_micros", 0L), json.getBoolean("replayed", false));
  }
}
