package gateway.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code billing.reserve} command: set aside the most a request can cost before calling upstream.
 *
 * @param voucherIds the vouchers the key may spend, null for any of the account's
 * @param cashAllowed whether the account's cash may pay (false for a key bound to vouchers)
 * @param lifeSeconds how long the hold lives before billing's sweeper may release it, for a hold that outlives
 *                    a request (a video job's); null for the sweeper's default age
 */
public record Hold(String requestId, long accountId, long keyId, String model, long amountMicros,
                   List<Long> voucherIds, boolean cashAllowed, Long lifeSeconds) {

  public Hold {
    voucherIds = voucherIds == null ? null : List.copyOf(voucherIds);
    if (lifeSeconds != null && lifeSeconds <= 0) {
      throw new IllegalArgumentException("a hold's life must be positive: " + lifeSeconds);
    }
  }

  public Hold(String requestId, long accountId, long keyId, String model, long amountMicros,
              List<Long> voucherIds, boolean cashAllowed) {
    this(requestId, accountId, keyId, model, amountMicros, voucherIds, cashAllowed, null);
  }

  /** A hold any of the account's pots may pay. */
  public Hold(String requestId, long accountId, long keyId, String model, long amountMicros) {
    this(requestId, accountId, keyId, model, amountMicros, null, true);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("request_id", requestId)
        .put("account_id", accountId)
        .put("key_id", keyId)
        .put("model", model)
        .put("amount_micros", amountMicros)
        .put("voucher_ids", voucherIds == null ? null : new JsonArray(new ArrayList<>(voucherIds)))
        .put("cash_allowed", cashAllowed)
        .put("life_seconds", lifeSeconds);
  }

  public static Hold fromJson(JsonObject json) {
    List<Long> vouchers = null;
    if (json.getValue("voucher_ids") instanceof JsonArray ids) {
      vouchers = new ArrayList<>();
      for (Object id : ids) {
        vouchers.add(((Number) id).longValue());
      }
    }
    return new Hold(
        json.getString("request_id"),
        json.getLong("account_id"),
        json.getLong("key_id"),
        json.getString("model"),
        json.getLong("amount_micros"),
        vouchers,
        json.getBoolean("cash_allowed", true),
        json.getLong("life_seconds"));
  }
}
