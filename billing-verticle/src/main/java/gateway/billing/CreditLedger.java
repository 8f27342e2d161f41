package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.bus.BalanceView;
import gateway.common.bus.Hold;
import gateway.common.bus.HoldReply;
import gateway.common.bus.LeaseTake;
import gateway.common.bus.LeasedHold;
import gateway.common.bus.ReleaseReply;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.SettleReply;
import gateway.common.bus.TopUpReply;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credit ledger of record. Holds, charges and top-ups are each one SQL statement;
 * exactly-once comes from unique keys (the usage row per request id, the top-up per
 * idempotency key), so a replay fails inside Postgres and is answered as "already done".
 */
final class CreditLedger {
  private static final Logger LOG = LoggerFactory.getLogger(CreditLedger.class);
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String OUT_OF_RANGE = "22003";

  /** An account's cash row: its balance and what open holds set aside of it. */
  private record Cash(long balanceMicros, long heldMicros) {
    static final Cash NONE = new Cash(0, 0);
  }

  private final Pool pool;
  private final Pool holds;
  private final SettleBatch settles;
  private final LeasedSettleBatch leasedSettles;
  private final LeasedSettleBatch potLeasedSettles;

  /**
   * @param pool  for charges and top-ups: every commit waits for the disk
   * @param holds for holds and their release, with {@code synchronous_commit=off}: a hold lost
   *              in a database crash only means less is set aside, and a charge never goes past
   *              the balance anyway; a lost release leaves a hold the sweeper frees
   */
  CreditLedger(Pool pool, Pool holds) {
    this.pool = pool;
    this.holds = holds;
    this.settles = new SettleBatch(pool, BillingSql.SETTLE, 1);
    this.leasedSettles = new LeasedSettleBatch(pool, BillingSql.SETTLE_LEASED_BATCH);
    this.potLeasedSettles = new LeasedSettleBatch(pool, BillingSql.SETTLE_POT_LEASED_BATCH);
  }

  /**
   * Places the hold on the account's pots (the vouchers covering the model, then cash), or refuses:
   * 402 when they cannot cover it, 403 {@code voucher_model_not_allowed} when the key spends only
   * vouchers and none covers the model. A repeated reserve of an open hold answers the same hold.
   */
  Future<HoldReply> reserve(Hold hold) {
    if (hold.amountMicros() < 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("a hold cannot be negative", "amount_micros"));
    }
    Long[] vouchers = hold.voucherIds() == null ? null : hold.voucherIds().toArray(Long[]::new);
    Tuple parameters = Tuple.of(hold.requestId(), hold.accountId(), hold.keyId(), StorableText.of(hold.model()),
        hold.amountMicros()).addArrayOfLong(vouchers).addBoolean(hold.cashAllowed());
    String statement = BillingSql.RESERVE;
    if (hold.lifeSeconds() != null) {
      parameters.addLong(hold.lifeSeconds());
      statement = BillingSql.RESERVE_FOR;
    }
    return holds.preparedQuery(statement).execute(parameters).compose(rows -> {
      Row row = rows.iterator().next();
      String outcome = row.getString("outcome");
      switch (outcome) {
        case "held":
          LedgerMetrics.held();
          return Future.succeededFuture(new HoldReply(row.getLong("hold_micros")));
        case "existing":
          return Future.succeededFuture(new HoldReply(row.getLong("hold_micros")));
        case "finished":
          return Future.failedFuture(GatewayError.CONFLICT.exception("request " + hold.requestId()
              + " already finished"));
        case "not_allowed":
          LedgerMetrics.refused();
          return Future.failedFuture(GatewayError.VOUCHER_MODEL_NOT_ALLOWED.exception("This API key spends only "
              + "vouchers, and none of them covers the model '" + hold.model() + "'.", "model"));
        case "uncovered":
          LedgerMetrics.refused();
          return Future.failedFuture(GatewayError.INSUFFICIENT_CREDITS.exception("The account's balance cannot "
              + "cover this request, and its vouchers do not cover the model '" + hold.model() + "'."));
        default:
          LedgerMetrics.refused();
          return Future.failedFuture(GatewayError.INSUFFICIENT_CREDITS.exception());
      }
    });
  }

  /**
   * Charges the report's cost once per request id; a replay answers the first charge. The whole
   * cost is charged even past the hold (a provider reporting more than was held): the account
   * may go below zero by that overrun, which is logged and counted.
   */
  Future<SettleReply> settle(UsageReport report) {
    return settle(report, null);
  }

  /**
   * As {@link #settle(UsageReport)}, for a request whose hold a router placed against its credit lease
   * ({@code leased}, null for a hold of its own): the cost is charged from cash and consumes as much of the lease;
   * on a lease on a voucher, the voucher pays up to the request's hold while it lives, and cash the rest.
   */
  Future<SettleReply> settle(UsageReport report, LeasedHold leased) {
    if (report.costMicros() < 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("a cost cannot be negative", "cost_micros"));
    }
    if (negativeUpstreamCost(report)) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("an upstream cost cannot be negative",
          "upstream_cost_micros"));
    }
    if (leased != null && (leased.leaseId() == null || leased.heldMicros() < 0)) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("a leased settle names its lease and hold",
          "lease_id"));
    }
    return settleOnce(report, leased).compose(reply -> {
      if (reply != null) {
        return Future.succeededFuture(reply);
      }
      // No balance row: only an account never topped up, settling a free request.
      return pool.preparedQuery(BillingSql.ENSURE_BALANCE_ROW).execute(Tuple.of(report.accountId()))
          .compose(v -> settleOnce(report, leased))
          .map(again -> again == null ? new SettleReply(0, 0, false) : again);
    }).recover(failure -> isUniqueViolation(failure) ? replayedSettle(report) : Future.failedFuture(failure));
  }

  private Future<SettleReply> settleOnce(UsageReport report, LeasedHold leased) {
    if (leased != null) {
      LeasedSettleBatch batch = LeaseTake.isPotLease(leased.leaseId()) ? potLeasedSettles : leasedSettles;
      return batch.submit(usageTuple(report).addString(leased.leaseId()).addLong(leased.heldMicros()))
          .compose(settled -> {
            if (settled == null) {
              return Future.succeededFuture(null);
            }
            return settled.fresh()
                ? Future.succeededFuture(charged(report, settled.costMicros(), settled.heldMicros(),
                    settled.balanceMicros()))
                : replayedSettle(report);
          });
    }
    return settles.submit(usageTuple(report)).map(row -> {
      if (row == null) {
        return null;
      }
      if (!row.getBoolean("settled")) { // recorded before (a retry, maybe still racing its original): what it cost
        return new SettleReply(row.getLong("cost_micros"), row.getLong("balance_micros"), true);
      }
      return charged(report, row.getLong("cost_micros"), row.getLong("held_micros"), row.getLong("balance_micros"));
    });
  }

  private static SettleReply charged(UsageReport report, long charged, long held, long balance) {
    LedgerMetrics.charged(charged);
    if (charged < report.costMicros()) {
      LedgerMetrics.waived(report.costMicros() - charged);
      LOG.atWarn().addKeyValue("request_id", report.requestId()).log(
          "request {} of account {} cost {} µcr; its key spends vouchers only and they paid {} µcr (one lapsed or "
              + "ran out): {} µcr waived", report.requestId(), report.accountId(), report.costMicros(), charged,
          report.costMicros() - charged);
    }
    if (charged > held) {
      LedgerMetrics.overrun(charged - held);
      LOG.atWarn().addKeyValue("request_id", report.requestId()).log(
          "request {} of account {} cost {} µcr, {} µcr more than its hold of {} µcr; charged in full (balance now {})",
          report.requestId(), report.accountId(), charged, charged - held, held, balance);
    }
    return new SettleReply(charged, balance, false);
  }

  private Future<SettleReply> replayedSettle(UsageReport report) {
    return pool.preparedQuery(BillingSql.SELECT_SETTLED).execute(Tuple.of(report.requestId()))
        .compose(rows -> cash(report.accountId()).map(cash -> {
          long charged = rows.size() == 0 ? 0 : rows.iterator().next().getLong("cost_micros");
          return new SettleReply(charged, cash.balanceMicros(), true);
        }));
  }

  /** Drops the hold of a failed request and records it, free. Idempotent. A negative upstream cost is unknown. */
  Future<ReleaseReply> release(UsageReport report) {
    UsageReport failed = new UsageReport(report.requestId(), report.accountId(), report.keyId(), report.model(),
        report.channel(), report.usage(), report.costMicros(), RequestOutcome.FAILED, report.latencyMs(),
        report.attempts(), report.error(), negativeUpstreamCost(report) ? null : report.upstreamCostMicros());
    return holds.preparedQuery(BillingSql.RELEASE).execute(usageTuple(failed)).map(rows -> {
      LedgerMetrics.released();
      return new ReleaseReply(rows.size() == 0 ? 0L : rows.iterator().next().getLong("released_micros"));
    });
  }

  private static boolean negativeUpstreamCost(UsageReport report) {
    return report.upstreamCostMicros() != null && report.upstreamCostMicros() < 0;
  }

  private static Tuple usageTuple(UsageReport r) {
    Usage u = r.usage();
    return Tuple.tuple()
        .addString(r.requestId())
        .addLong(r.accountId())
        .addLong(r.keyId())
        .addString(StorableText.of(r.model()))
        .addString(StorableText.of(r.channel()))
        .addLong(u.inputTokens())
        .addLong(u.cacheReadTokens())
        .addLong(u.cacheWriteTokens())
        .addLong(u.outputTokens())
        .addLong(u.reasoningTokens())
        .addLong(r.costMicros())
        .addString(r.outcome().wire)
        .addLong(r.latencyMs())
        .addInteger(r.attempts())
        .addString(StorableText.of(r.error()))
        .addLong(r.upstreamCostMicros());
  }

  /** Adds credits; with an idempotency key, a repeat of the same top-up changes nothing. */
  Future<TopUpReply> topUp(long accountId, long amountMicros, String idempotencyKey, String note) {
    if (amountMicros <= 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception(
          "'amount_credits' must be greater than zero", "amount_credits"));
    }
    return pool.preparedQuery(BillingSql.TOPUP)
        .execute(Tuple.of(accountId, amountMicros, idempotencyKey, note))
        .map(rows -> {
          LedgerMetrics.toppedUp(amountMicros);
          return new TopUpReply(rows.iterator().next().getLong("balance_after_micros"), false);
        })
        .recover(failure -> {
          if (isUniqueViolation(failure)) {
            return replayedTopUp(accountId, amountMicros, idempotencyKey);
          }
          if (failure instanceof PgException pg && OUT_OF_RANGE.equals(pg.getSqlState())) {
            // balance + amount past 2^63 - 1 µcr: the statement changed nothing
            return Future.failedFuture(GatewayError.CONFLICT.exception("This top-up would take the account's"
                + " balance past the largest amount the ledger holds (9,223,372,036,854.775807 credits)",
                "amount_credits"));
          }
          return Future.failedFuture(failure);
        });
  }

  private Future<TopUpReply> replayedTopUp(long accountId, long amountMicros, String idempotencyKey) {
    return pool.preparedQuery(BillingSql.SELECT_TOPUP).execute(Tuple.of(accountId, idempotencyKey))
        .compose(rows -> {
          long original = rows.iterator().next().getLong("amount_micros");
          if (original != amountMicros) {
            return Future.failedFuture(GatewayError.CONFLICT.exception(
                "idempotency_key '" + idempotencyKey + "' was used for a different amount", "idempotency_key"));
          }
          return cash(accountId).map(cash -> new TopUpReply(cash.balanceMicros(), true));
        });
  }

  Future<BalanceView> balance(long accountId) {
    return cash(accountId).compose(cash -> pool.preparedQuery(BillingSql.SUM_LIVE_VOUCHERS)
        .execute(Tuple.of(accountId)).map(rows -> {
          Row vouchers = rows.iterator().next();
          return new BalanceView(accountId, cash.balanceMicros(), cash.heldMicros(),
              vouchers.getLong("remaining_micros"), vouchers.getLong("held_micros"));
        }));
  }

  /** An account never topped up has no row: zero of both. */
  private Future<Cash> cash(long accountId) {
    return pool.preparedQuery(BillingSql.SELECT_BALANCE).execute(Tuple.of(accountId)).map((RowSet<Row> rows) -> {
      if (rows.size() == 0) {
        return Cash.NONE;
      }
      Row row = rows.iterator().next();
      return new Cash(row.getLong("balance_micros"), row.getLong("held_micros"));
    });
  }

  Future<Void> ping() {
    return pool.query(BillingSql.PING).execute().mapEmpty();
  }

  private static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
