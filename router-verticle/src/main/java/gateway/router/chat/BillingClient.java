package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.UsageReport;
import gateway.router.observe.BusTimer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's side of the ledger. Settle and release are idempotent on the request id,
 * so they are retried with backoff while billing is unreachable; if every try fails, the
 * hold stays and billing's sweeper releases it (the request ends up free, never double-charged).
 * Confined to its verticle's event loop.
 */
public final class BillingClient {
  private static final Logger LOG = LoggerFactory.getLogger(BillingClient.class);
  private static final long[] RETRY_DELAYS_MS = {250, 1_000, 3_000, 10_000, 30_000};
  // A hold is on the request's path: when billing is gone, answer 503 soon rather than hang.
  private static final DeliveryOptions RESERVE_OPTIONS = new DeliveryOptions().setSendTimeout(3_000);
  // A settle lost with a dying billing process is retried after this, not after the bus's default 30 s.
  private static final DeliveryOptions SETTLE_OPTIONS = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;
  private int inFlight;
  private Promise<Void> drained;

  public BillingClient(Vertx vertx) {
    this.vertx = vertx;
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

  /** Places the hold; fails with 402 when the balance cannot cover it, 503 when billing is unreachable. */
  public Future<Void> reserve(Hold hold) {
    return BusTimer.timed(BillingBus.RESERVE,
            vertx.eventBus().<JsonObject>request(BillingBus.RESERVE, hold.toJson(), RESERVE_OPTIONS))
        .recover(failure -> Future.failedFuture(GatewayException.of(failure)))
        .mapEmpty();
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
      LOG.atError().addKeyValue("request_id", report.requestId())
          .log("{} of request {} (account {}, {} µcr) failed for good: {}; its hold will be swept", address,
              report.requestId(), report.accountId(), report.costMicros(), error.getMessage());
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
