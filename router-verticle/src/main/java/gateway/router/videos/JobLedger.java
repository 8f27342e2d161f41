package gateway.router.videos;

import gateway.common.bus.BillingBus;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * A video job's end in the ledger: the charge of what it delivered, or the release of its hold. Both are
 * idempotent on the job's id (its hold's request id), and the poller waits for billing's answer before it marks
 * the job ended: a charge billing did not confirm is sent again by whichever router polls the job next, and
 * cannot land twice.
 */
final class JobLedger {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;

  JobLedger(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code upstreamCostMicros}: what the provider charges for it at the route's cost price, null when unknown. */
  Future<Void> charge(VideoJobRow job, long costMicros, Long upstreamCostMicros) {
    return send(BillingBus.SETTLE, report(job, costMicros, RequestOutcome.COMPLETED, null, upstreamCostMicros));
  }

  Future<Void> release(VideoJobRow job, String error, Long upstreamCostMicros) {
    return send(BillingBus.RELEASE, report(job, 0, RequestOutcome.FAILED, error, upstreamCostMicros));
  }

  private Future<Void> send(String address, UsageReport report) {
    return vertx.eventBus().<JsonObject>request(address, report.toJson(), OPTIONS).mapEmpty();
  }

  private static UsageReport report(VideoJobRow job, long cost, RequestOutcome outcome, String error,
                                    Long upstreamCost) {
    long latencyMs = Math.max(0, Duration.between(job.createdAt(), OffsetDateTime.now()).toMillis());
    return new UsageReport(job.id(), job.accountId(), job.keyId(), job.model(), job.channel(), Usage.ZERO, cost,
        outcome, latencyMs, Math.max(1, job.polls()), error, upstreamCost);
  }
}
