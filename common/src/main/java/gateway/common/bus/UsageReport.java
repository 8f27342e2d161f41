package gateway.common.bus;

import gateway.common.money.Usage;
import io.vertx.core.json.JsonObject;

/**
 * How a request ended: the body of {@code billing.settle} (it is charged {@code costMicros})
 * and of {@code billing.release} (it failed and costs nothing). Billing writes one usage
 * row from it either way.
 *
 * @param upstreamCostMicros what the provider charges the operator for it at the route's cost price; null when
 *                           unknown (the route names no cost price)
 */
public record UsageReport(String requestId, long accountId, long keyId, String model, String channel,
                          Usage usage, long costMicros, RequestOutcome outcome, long latencyMs,
                          int attempts, String error, Long upstreamCostMicros) {

  /** A report whose upstream cost is unknown. */
  public UsageReport(String requestId, long accountId, long keyId, String model, String channel,
                     Usage usage, long costMicros, RequestOutcome outcome, long latencyMs,
                     int attempts, String error) {
    this(requestId, accountId, keyId, model, channel, usage, costMicros, outcome, latencyMs, attempts, error, null);
  }

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
        .put("error", error)
        .put("upstream_cost_micros", upstreamCostMicros);
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
        json.getString("error"),
        json.getLong("upstream_cost_micros"));
  }
}
