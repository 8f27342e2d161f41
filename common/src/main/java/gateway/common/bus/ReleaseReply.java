package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/** The reply to {@code billing.release}: how much of the hold was freed (0 when none was left). */
public record ReleaseReply(long releasedMicros) {

  public JsonObject toJson() {
    return new JsonObject().put("released_micros", releasedMicros);
  }

  public static ReleaseReply fromJson(JsonObject json) {
    return new ReleaseReply(json.getLong("released_micros", 0L));
  }
}
