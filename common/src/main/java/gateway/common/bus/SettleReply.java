package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/**
 * The reply to {@code billing.settle}: what the request was charged and the cash balance after it.
 *
 * @param replayed whether the request id was settled before (nothing was charged this time)
 */
public record SettleReply(long chargedMicros, long balanceMicros, boolean replayed) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("charged_micros", chargedMicros)
        .put("balance_micros", balanceMicros)
        .put("replayed", replayed);
  }

  public static SettleReply fromJson(JsonObject json) {
    return new SettleReply(json.getLong("charged_micros", 0L), json.getLong("balance_micros", 0L),
        json.getBoolean("replayed", false));
  }
}
