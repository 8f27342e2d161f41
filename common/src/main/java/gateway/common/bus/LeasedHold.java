package gateway.common.bus;

import io.vertx.core.json.JsonObject;

/** Where a request's hold was placed when a router placed it against its credit lease: the lease, and how much. */
public record LeasedHold(String leaseId, long heldMicros) {

  /** The settle of {@code report} against this lease: the report's fields and this record's. */
  public JsonObject settleJson(UsageReport report) {
    return report.toJson().put("lease_id", leaseId).put("held_micros", heldMicros);
  }

  public static LeasedHold fromJson(JsonObject json) {
    return new LeasedHold(json.getString("lease_id"), json.getLong("held_micros", 0L));
  }
}
