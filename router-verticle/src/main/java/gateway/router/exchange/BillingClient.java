package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.HoldReply;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.observe.BusTimer;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's side of the ledger. Settle and release are idempotent on the request id,
 * so they are retried with backoff while billing is unreachable. A settle that fails for good
 * is a charge lost: it is logged as an alert and counted ({@code gateway_settle_failures_total}),
 * and its hold stays until billing's sweeper releases it (never double-charged).
 * Confined to its verticle's event loop.
 */
public final class BillingClient {
  private static final Logger LOG = LoggerFactory.getLogger(BillingClient.class);
  private static final long[] RETRY_DELAYS_MS = {250, 1_000, 3_000, 10_000, 30_000};
  // A settle lost with a dying billing process is retried after this, not after the bus's default 30 s.
  private static final DeliveryOptions SETTLE_OPTIONS = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  // A hold is on the request's path: when billing is gone, answer 503 soon rather than hang.
  private final DeliveryOptions reserveOptions;
  private int inFlight;
  private Promise<Void> drained;

  public BillingClient(Vertx vertx, long reserveTimeoutMs) {
    this.vertx = vertx;
    this.reserveOptions = new DeliveryOptions().setSendTimeout(reserveTimeoutMs);
  }

  /** Completes when no settle or release is pending any more (retries included): for a clean stop. */
  public Future<Void> drained() {
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }

  /**
   * Counts a request that will settle or release as in flight from now on, so that a server
   * draining for shutdown waits for its charge however its last byte and its settle are ordered.
   * Each pin is undone by {@link #unpin} once the request's settle or release was sent.
   */
  public void pin() {
    inFlight++;
  }

  public void unpin() {
    finished();
  }

  /**
   * Places the hold; fails with 402 when the balance cannot cover it, 503 when billing is
   * unreachable. A reserve that failed otherwise than by billing's refusal (it timed out, or the
   * database broke off after the commit) may still have placed its hold, so it is released: safe
   * either way, since billing refuses a reserve for a request id already released.
   */
  public Future<HoldReply> reserve(Hold hold) {
    return BusTimer.timed(BillingBus.RESERVE,
            vertx.eventBus().<JsonObject>request(BillingBus.RESERVE, hold.toJson(), reserveOptions))
        .recover(failure -> {
          if (mayHaveHeld(failure)) {
            release(new UsageReport(hold.requestId(), hold.accountId(), hold.keyId(), hold.model(), null, Usage.ZERO, 0,
                RequestOutcome.FAILED, 0, 0, "billing did not confirm the hold in time", 0L));
          }
          return Future.failedFuture(GatewayException.of(failure));
        })
        .map(reply -> HoldReply.fromJson(reply.body()));
  }

  /**
   * Whether a failed reserve may still have placed its hold: anything but a refusal billing decided
   * (400, 402, 403, 409) or a message that reached nobody — a timeout, or a database that failed
   * between the commit and the answer.
   */
  private static boolean mayHaveHeld(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return false;
      }
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        int status = reply.failureCode();
        return status != 400 && status != 402 && status != 403 && status != 409;
      }
    }
    return true;
  }

  public void settle(UsageReport report) {
    inFlight++;
    send(BillingBus.SETTLE, report, 0);
  }

  public void release(UsageReport report) {
    inFlight++;
    send(BillingBus.RELEASE, report, 0);
  }

  private void send(String address, UsageReport report, int attempt) {
    BusTimer.timed(address, vertx.eventBus().<JsonObject>request(address, report.toJson(), SETTLE_OPTIONS))
        .onComplete(done -> {
      if (done.succeeded()) {
        finished();
        return;
      }
      GatewayException error = GatewayException.of(done.cause());
      boolean transient_ = error.error() == GatewayError.SERVICE_UNAVAILABLE || error.error() == GatewayError.INTERNAL;
      if (transient_ && attempt < RETRY_DELAYS_MS.length) {
        vertx.setTimer(RETRY_DELAYS_MS[attempt], id -> send(address, report, attempt + 1));
        return;
      }
      RouterMetrics.settleFailed(address);
      LOG.atError().addKeyValue("request_id", report.requestId()).addKeyValue("alert", "charge_lost")
          .log("ALERT {} of request {} (account {}, {} µcr) failed for good: {}; its hold will be swept and the "
              + "request goes uncharged", address, report.requestId(), report.accountId(), report.costMicros(),
              error.getMessage());
      finished();
    });
  }

  private void finished() {
    inFlight--;
    if (inFlight == 0 && drained != null) {
      Promise<Void> waiting = drained;
      drained = null;
      waiting.complete();
    }
  }
}
