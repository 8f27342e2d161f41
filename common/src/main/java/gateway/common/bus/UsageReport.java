package gateway.common.bus;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * How a request ended: the body of {@code billing.settle} (it is charged {@code costMicros})
 * and of {@code billing.release} (it failed and costs nothing). Billing writes one usage
 * row from it either way.
 */
public record UsageReport(String requestId, long accountId, long keyId, String model, String channel,
                          Usage usage, long costMicros, RequestOutcome outcome, long latencyMs,
                          int attempts, String error) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("request_id", requestId)
        .put("account_id", accountId)
        .put("key_id", keyId)
        .put("model", model)
        .put("channel", channel)
        .put("usage", usage.toJson())
        .put("cost_micros", costMicros)
        .put("outcome", outcome.wire)
        .put("latency_ms", latencyMs)
        .put("attempts", attempts)
        .put("error", error);
  }

  public static UsageReport fromJson(JsonObject json) {
    return new UsageReport(
        json.getString("request_id"),
        json.getLong("account_id"),
        json.getLong("key_id"),
        json.getString("model"),
        json.getString("channel"),
        Usage.fromJson(json.getJsonObject("usage")),
        json.getLong("cost_micros", 0L),
        RequestOutcome.fromWire(json.getString("outcome")),
        json.getLong("latency_ms", 0L),
        json.getInteger("attempts", 0),
        json.getString("error"));
  }
}
