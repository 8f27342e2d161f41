package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/** A {@code billing.reserve} command: set aside the most a request can cost before calling upstream. */
public record Hold(String requestId, long accountId, long keyId, String model, long amountMicros) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("request_id", requestId)
        .put("account_id", accountId)
        .put("key_id", keyId)
        .put("model", model)
        .put("amount_micros", amountMicros);
  }

  public static Hold fromJson(JsonObject json) {
    return new Hold(
        json.getString("request_id"),
        json.getLong("account_id"),
        json.getLong("key_id"),
        json.getString("model"),
        json.getLong("amount_micros"));
  }
}
