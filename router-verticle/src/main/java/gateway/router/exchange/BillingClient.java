package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.BillingBus;
import gateway.common.bus.Hold;
import gateway.common.bus.HoldReply;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeasePot;
import gateway.common.bus.LeaseTake;
import gateway.common.bus.LeasedHold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.credit.CreditLeases;
import gateway.router.observe.BusTimer;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  private final CreditLeases leases;
  private long leaseTimer = -1;

  /** A client that places every hold in Postgres. */
  public BillingClient(Vertx vertx, long reserveTimeoutMs) {
    this(vertx, reserveTimeoutMs, null);
  }

  /** A client that places holds against its credit leases where it can ({@code leases} null: never). */
  public BillingClient(Vertx vertx, long reserveTimeoutMs, CreditLeases leases) {
    this.vertx = vertx;
    this.reserveOptions = new DeliveryOptions().setSendTimeout(reserveTimeoutMs);
    this.leases = leases;
    if (leases != null) {
      leaseTimer = vertx.setPeriodic(leases.tickMs(), id -> leases.tick());
    }
  }

  /** The bus side of credit leases, for {@link CreditLeases}. */
  public static CreditLeases.Desk leaseDesk(Vertx vertx, long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    return new CreditLeases.Desk() {
      @Override
      public Future<LeaseGrant> take(LeaseTake take) {
        return vertx.eventBus().<JsonObject>request(BillingBus.LEASES_TAKE, take.toJson(), options)
            .map(reply -> LeaseGrant.fromJson(reply.body()));
      }

      @Override
      public Future<LeasePot> pot(long accountId, String model, long lifeSeconds) {
        return vertx.eventBus().<JsonObject>request(BillingBus.LEASES_POT, new JsonObject().put("account_id", accountId)
            .put("model", model).put("life_seconds", lifeSeconds), options).map(reply -> LeasePot.fromJson(reply.body()));
      }

      @Override
      public Future<Void> giveBack(String leaseId, Long amountMicros) {
        return vertx.eventBus().<JsonObject>request(BillingBus.LEASES_RETURN, new JsonObject()
                .put("lease_id", leaseId).put("amount_micros", amountMicros), options)
            .onFailure(e -> LOG.warn("credit lease {} not given back ({}); billing sweeps it at its expiry", leaseId,
                e.getMessage()))
            .mapEmpty();
      }

      @Override
      public Future<Set<String>> renew(List<String> leaseIds, long lifeSeconds) {
        return vertx.eventBus().<JsonObject>request(BillingBus.LEASES_RENEW, new JsonObject()
                .put("lease_ids", new JsonArray(new ArrayList<>(leaseIds))).put("life_seconds", lifeSeconds), options)
            .map(reply -> {
              Set<String> alive = new HashSet<>();
              reply.body().getJsonArray("leases", new JsonArray()).forEach(id -> alive.add(String.valueOf(id)));
              return alive;
            });
      }
    };
  }

  /** Billing recalls the account's leases (its pots changed, it is in debt, a hold was refused). */
  public void leasesRecalled(long accountId) {
    if (leases != null) {
      leases.close(accountId);
    }
  }

  /** Stops renewing and gives every credit lease back: after {@link #drained}, on a clean stop. */
  public Future<Void> close() {
    if (leases == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(leaseTimer);
    return leases.closeAll();
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
    if (leases != null) {
      LeasedHold leased = leases.place(hold);
      if (leased != null) {
        return Future.succeededFuture(new HoldReply(leased.heldMicros()));
      }
      if (leases.hasSpare(hold.accountId())) {
        // refused in Postgres while this router's own lease keeps credit: give it back, then try once more
        return reserveInLedger(hold).recover(refused -> GatewayException.of(refused).error()
            == GatewayError.INSUFFICIENT_CREDITS
            ? leases.close(hold.accountId()).compose(v -> reserveInLedger(hold)) : Future.failedFuture(refused));
      }
    }
    return reserveInLedger(hold);
  }

  private Future<HoldReply> reserveInLedger(Hold hold) {
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
    LeasedHold leased = leases == null ? null : leases.settled(report.requestId(), report.costMicros());
    if (leased == null) {
      send(BillingBus.SETTLE, report, report.toJson(), 0);
    } else {
      send(BillingBus.SETTLE_LEASED, report, leased.settleJson(report), 0);
    }
  }

  public void release(UsageReport report) {
    inFlight++;
    if (leases != null) {
      leases.released(report.requestId());
    }
    send(BillingBus.RELEASE, report, report.toJson(), 0);
  }

  private void send(String address, UsageReport report, JsonObject body, int attempt) {
    BusTimer.timed(address, vertx.eventBus().<JsonObject>request(address, body, SETTLE_OPTIONS))
        .onComplete(done -> {
      if (done.succeeded()) {
        if (leases != null && done.result().body().getLong("balance_micros", 0L) < 0) {
          leases.close(report.accountId()); // in debt: the next request is refused in Postgres
        }
        finished();
        return;
      }
      GatewayException error = GatewayException.of(done.cause());
      boolean transient_ = error.error() == GatewayError.SERVICE_UNAVAILABLE || error.error() == GatewayError.INTERNAL;
      if (transient_ && attempt < RETRY_DELAYS_MS.length) {
        vertx.setTimer(RETRY_DELAYS_MS[attempt], id -> send(address, report, body, attempt + 1));
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
