package gateway.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who is calling: the verified key, its account, the model aliases it may call
 * ({@code "*"} = all), the limits that apply to it, and which of the account's pots it may spend.
 *
 * @param voucherIds   the vouchers the key is bound to (it spends only them), null when unbound
 * @param vouchersOnly whether the key spends only the account's vouchers, never its cash
 */
public record Principal(long keyId, long accountId, String keyName, List<String> models,
                        Long expiresAtMillis, RateLimits keyLimits, RateLimits accountLimits,
                        List<Long> voucherIds, boolean vouchersOnly) {
  public static final String ALL_MODELS = "*";

  public Principal {
    models = List.copyOf(models);
    voucherIds = voucherIds == null ? null : List.copyOf(voucherIds);
  }

  /** A key that may spend any of its account's pots. */
  public Principal(long keyId, long accountId, String keyName, List<String> models, Long expiresAtMillis,
                   RateLimits keyLimits, RateLimits accountLimits) {
    this(keyId, accountId, keyName, models, expiresAtMillis, keyLimits, accountLimits, null, false);
  }

  /** Whether the account's cash may pay for this key's requests. */
  public boolean spendsCash() {
    return voucherIds == null && !vouchersOnly;
  }

  public boolean allows(String model) {
    return models.contains(ALL_MODELS) || models.contains(model);
  }

  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis != null && expiresAtMillis <= nowMillis;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("key_id", keyId)
        .put("account_id", accountId)
        .put("key_name", keyName)
        .put("models", new JsonArray(models))
        .put("expires_at_ms", expiresAtMillis)
        .put("key_limits", keyLimits.toJson())
        .put("account_limits", accountLimits.toJson())
        .put("voucher_ids", voucherIds == null ? null : new JsonArray(new java.util.ArrayList<>(voucherIds)))
        .put("vouchers_only", vouchersOnly);
  }

  public static Principal fromJson(JsonObject json) {
    @SuppressWarnings("unchecked")
    List<String> models = json.getJsonArray("models", new JsonArray()).getList();
    return new Principal(
        json.getLong("key_id"),
        json.getLong("account_id"),
        json.getString("key_name"),
        models,
        json.getLong("expires_at_ms"),
        RateLimits.fromJson(json.getJsonObject("key_limits")),
        RateLimits.fromJson(json.getJsonObject("account_limits")),
        json.getValue("voucher_ids") instanceof JsonArray ids
            ? ids.stream().map(id -> ((Number) id).longValue()).toList() : null,
        json.getBoolean("vouchers_only", false));
  }
}
