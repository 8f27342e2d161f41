package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/** The reply to {@code billing.reserve}: how much is now set aside for the request. */
public record HoldReply(long holdMicros) {

  public JsonObject toJson() {
    return new JsonObject().put("hold_micros", holdMicros);
  }

  public static HoldReply fromJson(JsonObject json) {
    return new HoldReply(json.getLong("hold_micros", 0L));
  }
}
