package gateway.common.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who is calling: the verified key, its account, the model aliases it may call
 * ({@code "*"} = all) and the limits that apply to it.
 */
public record Principal(long keyId, long accountId, String keyName, List<String> models,
                        Long expiresAtMillis, RateLimits keyLimits, RateLimits accountLimits) {
  public static final String ALL_MODELS = "*";

  public Principal {
    models = List.copyOf(models);
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
        .put("account_limits", accountLimits.toJson());
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
        RateLimits.fromJson(json.getJsonObject("account_limits")));
  }
}
