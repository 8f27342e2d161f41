package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.BillingBus;
import gateway.common.bus.HandedOverJson;
import gateway.common.bus.Hold;
import gateway.common.bus.HoldReply;
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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's side of the ledger. Settle and release are idempotent on the request id,
 * so they are retried with backoff while billing is unreachable. A settle that fails for good
 * is a charge lost: it is logged as an alert and counted ({@code gateway_settle_failures_total}),
 * and its hold stays until billing's sweeper releases it (never double-charged). While billing has more settles
 * and releases of this client unanswered than it may owe ({@code maxUnanswered}), new holds are refused with 503:
 * with credit leases nothing on a request's path waits for billing, so without this bound a ledger that falls behind
 * would let unrecorded charges pile up in memory (all lost if the process dies) until their retries time out.
 * Confined to its verticle's event loop.
 */
public final class BillingClient {
  private static final Logger LOG = LoggerFactory.getLogger(BillingClient.class);
  private static final long[] RETRY_DELAYS_MS = {250, 1_000, 3_000, 10_000, 30_000};
  // A settle lost with a dying billing process is retried after this, not after the bus's default 30 s.
  private static final DeliveryOptions SETTLE_OPTIONS = new DeliveryOptions().setSendTimeout(10_000);
  // A batch is built for its one message and never touched after it is sent: handed over, not copied.
  private static final DeliveryOptions BATCH_OPTIONS = HandedOverJson.options(10_000);
  private static final int MOST_PER_BATCH = 256;

  private final Vertx vertx;
  // A hold is on the request's path: when billing is gone, answer 503 soon rather than hang.
  private final DeliveryOptions reserveOptions;
  private int inFlight;
  private final int maxUnanswered;
  /** Settles and releases sent or queued, not yet answered nor given up. */
  private int unanswered;
  /** The settles of this event-loop turn, sent when it ends. */
  private List<Settle> turn = new ArrayList<>();
  private Promise<Void> drained;

  private final CreditLeases leases;
  private long leaseTimer = -1;

  /** A client that places every hold in Postgres. */
  public BillingClient(Vertx vertx, long reserveTimeoutMs) {
    this(vertx, reserveTimeoutMs, null, Integer.MAX_VALUE);
  }

  /**
   * A client that places holds against its credit leases where it can ({@code leases} null: never), and refuses new
   * ones while more than {@code maxUnanswered} of its settles and releases wait for billing's answer.
   */
  public BillingClient(Vertx vertx, long reserveTimeoutMs, CreditLeases leases, int maxUnanswered) {
    this.vertx = vertx;
    this.maxUnanswered = maxUnanswered;
    this.reserveOptions = new DeliveryOptions().setSendTimeout(reserveTimeoutMs);
    this.leases = leases;
    HandedOverJson.register(vertx.eventBus());
    if (leases != null) {
      leaseTimer = vertx.setPeriodic(leases.tickMs(), id -> leases.tick());
    }
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
    if (unanswered > maxUnanswered) {
      RouterMetrics.ledgerBehind();
      return Future.failedFuture(GatewayError.SERVICE_UNAVAILABLE.exception("The gateway's ledger is behind on "
          + "recording charges; retry shortly."));
    }
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

  /**
   * Charges the request (exactly once: billing is idempotent on its id). The settles of one event-loop turn go to
   * billing as one message ({@code billing.settle_batch}) sent after the turn; a turn's lone settle goes on its own.
   */
  public void settle(UsageReport report) {
    inFlight++;
    unanswered++;
    LeasedHold leased = leases == null ? null : leases.settled(report.requestId(), report.costMicros());
    Settle settle = leased == null ? new Settle(BillingBus.SETTLE, report, report.toJson())
        : new Settle(BillingBus.SETTLE_LEASED, report, leased.settleJson(report));
    turn.add(settle);
    if (turn.size() == 1) {
      vertx.runOnContext(v -> sendTurn());
    } else if (turn.size() >= MOST_PER_BATCH) {
      sendTurn();
    }
  }

  private record Settle(String address, UsageReport report, JsonObject body) {
  }

  private void sendTurn() {
    List<Settle> sending = turn;
    if (sending.isEmpty()) {
      return;
    }
    turn = new ArrayList<>();
    if (sending.size() == 1) {
      Settle one = sending.get(0);
      send(one.address(), one.report(), one.body(), 0);
      return;
    }
    JsonArray settles = new JsonArray(new ArrayList<>(sending.size()));
    for (Settle settle : sending) {
      settles.add(settle.address().equals(BillingBus.SETTLE_LEASED) ? settle.body().put("leased", true) : settle.body());
    }
    BusTimer.timed(BillingBus.SETTLE_BATCH, vertx.eventBus().<JsonObject>request(BillingBus.SETTLE_BATCH,
        new JsonObject().put("settles", settles), BATCH_OPTIONS)).onComplete(done -> {
      // each settle's own answer; the batch lost (timed out, billing gone or of an older version) or an answer
      // unreadable: that settle is retried on its own, as a lone settle whose answer was lost would be
      JsonObject body = done.succeeded() ? done.result().body() : null;
      JsonArray results = body != null && body.getValue("results") instanceof JsonArray array ? array
          : new JsonArray();
      for (int i = 0; i < sending.size(); i++) {
        Settle settle = sending.get(i);
        Object result = i < results.size() ? results.getValue(i) : null;
        if (result instanceof JsonObject charged && charged.getValue("charged_micros") instanceof Number
            && !charged.containsKey("failure")) {
          answered(settle.address(), settle.report(), settle.body(), 0, charged, null);
        } else {
          answered(settle.address(), settle.report(), settle.body(), 0, null, failureOf(result, done.cause()));
        }
      }
    });
  }

  /** Why a settle of a batch was not charged: billing's in-band failure, the batch's own, or an unreadable answer. */
  private static Throwable failureOf(Object result, Throwable batchFailure) {
    if (result instanceof JsonObject failed && failed.getValue("failure_status") instanceof Integer status
        && failed.getValue("failure") instanceof String text) {
      return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, text);
    }
    return batchFailure != null ? batchFailure : new IllegalStateException("no readable answer for a settle");
  }

  public void release(UsageReport report) {
    inFlight++;
    unanswered++;
    if (leases != null) {
      leases.released(report.requestId());
    }
    send(BillingBus.RELEASE, report, report.toJson(), 0);
  }

  private void send(String address, UsageReport report, JsonObject body, int attempt) {
    BusTimer.timed(address, vertx.eventBus().<JsonObject>request(address, body, SETTLE_OPTIONS))
        .onComplete(done -> answered(address, report, body, attempt, done.succeeded() ? done.result().body() : null,
            done.cause()));
  }

  /** A settle or release was answered ({@code reply}) or failed ({@code failure}): done, retried, or lost for good. */
  private void answered(String address, UsageReport report, JsonObject body, int attempt, JsonObject reply,
                        Throwable failure) {
    if (failure == null) {
      if (leases != null && reply.getLong("balance_micros", 0L) < 0) {
        leases.close(report.accountId()); // in debt: the next request is refused in Postgres
      }
      unanswered--;
      finished();
      return;
    }
    GatewayException error = GatewayException.of(failure);
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
    unanswered--;
    finished();
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
