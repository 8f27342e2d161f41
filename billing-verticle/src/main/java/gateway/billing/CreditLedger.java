package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.bus.Hold;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Credits;
import gateway.common.money.Usage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

  private final Pool pool;
  private final Pool holds;
  private final SettleBatch settles;

  /**
   * @param pool  for charges and top-ups: every commit waits for the disk
   * @param holds for holds and their release, with {@code synchronous_commit=off}: a hold lost
   *              in a database crash only means less is set aside, and a charge never goes past
   *              the balance anyway; a lost release leaves a hold the sweeper frees
   */
  CreditLedger(Pool pool, Pool holds) {
    this.pool = pool;
    this.holds = holds;
    this.settles = new SettleBatch(pool, BillingSql.SETTLE);
  }

  /**
   * Places the hold on the account's pots (the vouchers covering the model, then cash), or refuses:
   * 402 when they cannot cover it, 403 {@code voucher_model_not_allowed} when the key spends only
   * vouchers and none covers the model. A repeated reserve of an open hold answers the same hold.
   */
  Future<JsonObject> reserve(Hold hold) {
    if (hold.amountMicros() < 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("a hold cannot be negative", "amount_micros"));
    }
    Long[] vouchers = hold.voucherIds() == null ? null : hold.voucherIds().toArray(Long[]::new);
    Tuple parameters = Tuple.of(hold.requestId(), hold.accountId(), hold.keyId(), StorableText.of(hold.model()),
        hold.amountMicros()).addArrayOfLong(vouchers).addBoolean(hold.cashAllowed());
    return holds.preparedQuery(BillingSql.RESERVE).execute(parameters).compose(rows -> {
      Row row = rows.iterator().next();
      String outcome = row.getString("outcome");
      switch (outcome) {
        case "held":
          LedgerMetrics.held();
          return Future.succeededFuture(holdReply(row.getLong("hold_micros")));
        case "existing":
          return Future.succeededFuture(holdReply(row.getLong("hold_micros")));
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

  private static JsonObject holdReply(long micros) {
    return new JsonObject().put("hold_micros", micros);
  }

  /**
   * Charges the report's cost once per request id; a replay answers the first charge. The whole
   * cost is charged even past the hold (a provider reporting more than was held): the account
   * may go below zero by that overrun, which is logged and counted.
   */
  Future<JsonObject> settle(UsageReport report) {
    if (report.costMicros() < 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("a cost cannot be negative", "cost_micros"));
    }
    return settleOnce(report).compose(reply -> {
      if (reply != null) {
        return Future.succeededFuture(reply);
      }
      // No balance row: only an account never topped up, settling a free request.
      return pool.preparedQuery(BillingSql.ENSURE_BALANCE_ROW).execute(Tuple.of(report.accountId()))
          .compose(v -> settleOnce(report))
          .map(again -> again == null ? settledReply(0, 0, false) : again);
    }).recover(failure -> isUniqueViolation(failure) ? replayedSettle(report) : Future.failedFuture(failure));
  }

  private Future<JsonObject> settleOnce(UsageReport report) {
    return settles.submit(usageTuple(report)).map(row -> {
      if (row == null) {
        return null;
      }
      long charged = row.getLong("cost_micros");
      long held = row.getLong("held_micros");
      LedgerMetrics.charged(charged);
      if (charged > held) {
        LedgerMetrics.overrun(charged - held);
        LOG.atWarn().addKeyValue("request_id", report.requestId()).log(
            "request {} of account {} cost {} µcr, {} µcr more than its hold of {} µcr; charged in full (balance now {})",
            report.requestId(), report.accountId(), charged, charged - held, held, row.getLong("balance_micros"));
      }
      return settledReply(charged, row.getLong("balance_micros"), false);
    });
  }

  private Future<JsonObject> replayedSettle(UsageReport report) {
    return pool.preparedQuery(BillingSql.SELECT_SETTLED).execute(Tuple.of(report.requestId()))
        .compose(rows -> balanceMicros(report.accountId()).map(balance -> {
          long charged = rows.size() == 0 ? 0 : rows.iterator().next().getLong("cost_micros");
          return settledReply(charged, balance[0], true);
        }));
  }

  private static JsonObject settledReply(long charged, long balance, boolean replayed) {
    return new JsonObject()
        .put("charged_micros", charged)
        .put("balance_micros", balance)
        .put("replayed", replayed);
  }

  /** Drops the hold of a failed request and records it, free. Idempotent. */
  Future<JsonObject> release(UsageReport report) {
    UsageReport failed = new UsageReport(report.requestId(), report.accountId(), report.keyId(), report.model(),
        report.channel(), report.usage(), report.costMicros(), RequestOutcome.FAILED, report.latencyMs(),
        report.attempts(), report.error());
    return holds.preparedQuery(BillingSql.RELEASE).execute(usageTuple(failed)).map(rows -> {
      LedgerMetrics.released();
      return new JsonObject()
          .put("released_micros", rows.size() == 0 ? 0L : rows.iterator().next().getLong("released_micros"));
    });
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
        .addString(StorableText.of(r.error()));
  }

  /** Adds credits; with an idempotency key, a repeat of the same top-up changes nothing. */
  Future<JsonObject> topUp(long accountId, long amountMicros, String idempotencyKey, String note) {
    if (amountMicros <= 0) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception(
          "'amount_credits' must be greater than zero", "amount_credits"));
    }
    return pool.preparedQuery(BillingSql.TOPUP)
        .execute(Tuple.of(accountId, amountMicros, idempotencyKey, note))
        .map(rows -> {
          LedgerMetrics.toppedUp(amountMicros);
          return balanceReply(rows.iterator().next().getLong("balance_after_micros"), false);
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

  private Future<JsonObject> replayedTopUp(long accountId, long amountMicros, String idempotencyKey) {
    return pool.preparedQuery(BillingSql.SELECT_TOPUP).execute(Tuple.of(accountId, idempotencyKey))
        .compose(rows -> {
          long original = rows.iterator().next().getLong("amount_micros");
          if (original != amountMicros) {
            return Future.failedFuture(GatewayError.CONFLICT.exception(
                "idempotency_key '" + idempotencyKey + "' was used for a different amount", "idempotency_key"));
          }
          return balanceMicros(accountId).map(balance -> balanceReply(balance[0], true));
        });
  }

  private static JsonObject balanceReply(long balanceMicros, boolean replayed) {
    return new JsonObject()
        .put("balance_micros", balanceMicros)
        .put("balance_credits", Credits.fromMicros(balanceMicros))
        .put("replayed", replayed);
  }

  Future<JsonObject> balance(long accountId) {
    return balanceMicros(accountId).compose(b -> pool.preparedQuery(BillingSql.SUM_LIVE_VOUCHERS)
        .execute(Tuple.of(accountId)).map(rows -> {
          Row vouchers = rows.iterator().next();
          long remaining = vouchers.getLong("remaining_micros");
          long held = vouchers.getLong("held_micros");
          return new JsonObject()
              .put("account_id", accountId)
              .put("balance_micros", b[0])
              .put("held_micros", b[1])
              .put("balance_credits", Credits.fromMicros(b[0]))
              .put("held_credits", Credits.fromMicros(b[1]))
              .put("available_credits", Credits.fromMicros(b[0] - b[1]))
              .put("voucher_remaining_micros", remaining)
              .put("voucher_held_micros", held)
              .put("voucher_available_credits", Credits.fromMicros(Math.max(0, remaining - held)));
        }));
  }

  /** {balance, held}; an account never topped up has zero of both. */
  private Future<long[]> balanceMicros(long accountId) {
    return pool.preparedQuery(BillingSql.SELECT_BALANCE).execute(Tuple.of(accountId)).map((RowSet<Row> rows) -> {
      if (rows.size() == 0) {
        return new long[] {0, 0};
      }
      Row row = rows.iterator().next();
      return new long[] {row.getLong("balance_micros"), row.getLong("held_micros")};
    });
  }

  Future<Void> ping() {
    return pool.query(BillingSql.PING).execute().mapEmpty();
  }

  private static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
