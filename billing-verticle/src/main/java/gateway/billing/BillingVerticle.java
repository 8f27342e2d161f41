package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.PgDatabase;
import gateway.common.bus.BillingBus;
import gateway.common.bus.BusReplies;
import gateway.common.bus.HandedOverJson;
import gateway.common.bus.BalanceView;
import gateway.common.bus.Hold;
import gateway.common.bus.HoldReply;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeasePot;
import gateway.common.bus.LeaseTake;
import gateway.common.bus.ReleaseReply;
import gateway.common.bus.TopUpReply;
import gateway.common.bus.UsageReport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the {@link BillingBus} addresses from the {@code billing} schema and sweeps expired holds.
 * The schema must be migrated before it deploys ({@link PgDatabase#migrate}).
 */
public final class BillingVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BillingVerticle.class);
  /** The Postgres schema the module owns, and its migrations' folder. */
  public static final String SCHEMA = "billing";

  private final BillingConfig config;
  private Pool pool;
  private Pool holdsPool;
  private long sweepTimer = -1;

  public BillingVerticle(BillingConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    pool = PgDatabase.pool(vertx, config.pg(), SCHEMA);
    holdsPool = PgDatabase.pool(vertx, config.pg(), SCHEMA + "-holds", Map.of("synchronous_commit", "off"));
    CreditLedger ledger = new CreditLedger(pool, holdsPool);
    return ledger.ping().compose(checked -> {
      UsageLog usage = new UsageLog(pool);
      HoldSweeper sweeper = new HoldSweeper(holdsPool, config.holds().maxAgeSeconds());
      Vouchers vouchers = new Vouchers(pool);
      RedemptionCodes codes = new RedemptionCodes(pool);
      UsageReports reports = new UsageReports(pool);
      CreditLeaseDesk leases = new CreditLeaseDesk(pool);
      LeaseRecalls recalls = new LeaseRecalls(vertx.eventBus());
      sweepTimer = vertx.setPeriodic(config.holdSweepIntervalSeconds() * 1000, id -> {
        sweeper.sweep().onFailure(e -> LOG.error("hold sweep failed", e));
        vouchers.expireDue(recalls::recall).onFailure(e -> LOG.error("voucher expiry failed", e));
      });
      EventBus bus = vertx.eventBus();
      HandedOverJson.register(bus); // routers send settle batches with it
      SettleMessages settles = new SettleMessages(ledger, recalls);
      return Future.all(List.of(
          BusReplies.serve(bus, BillingBus.RESERVE, body -> {
            Hold hold = Hold.fromJson(body);
            return ledger.reserve(hold).onFailure(refused -> {
              if (refused instanceof GatewayException e && e.error() == GatewayError.INSUFFICIENT_CREDITS) {
                recalls.afterRefusal(hold.accountId());
              }
            }).map(HoldReply::toJson);
          }),
          BusReplies.serve(bus, BillingBus.SETTLE, settles::settle),
          BusReplies.serve(bus, BillingBus.SETTLE_LEASED, settles::settleLeased),
          BusReplies.serve(bus, BillingBus.SETTLE_BATCH, settles::settleBatch),
          BusReplies.serve(bus, BillingBus.LEASES_TAKE, body -> leases.take(LeaseTake.fromJson(body))
              .map(LeaseGrant::toJson)),
          BusReplies.serve(bus, BillingBus.LEASES_POT, body -> leases.pot(body).map(LeasePot::toJson)),
          BusReplies.serve(bus, BillingBus.LEASES_RETURN, leases::giveBack),
          BusReplies.serve(bus, BillingBus.LEASES_RENEW, leases::renew),
          BusReplies.serve(bus, BillingBus.RELEASE, body -> ledger.release(UsageReport.fromJson(body))
              .map(ReleaseReply::toJson)),
          BusReplies.serve(bus, BillingBus.BALANCE, body -> ledger.balance(accountId(body)).map(BalanceView::toJson)),
          BusReplies.serve(bus, BillingBus.TOPUP, body -> ledger.topUp(accountId(body),
              body.getLong("amount_micros", 0L), body.getString("idempotency_key"), body.getString("note"))
              .map(TopUpReply::toJson)),
          BusReplies.serve(bus, BillingBus.USAGE, body -> usage.list(body.getLong("account_id"),
              body.getInteger("limit", 100))),
          BusReplies.serve(bus, BillingBus.USAGE_SUMMARY, body -> usage.summarize(body.getLong("account_id"),
              instant(body, "from", OffsetDateTime.parse("1970-01-01T00:00:00Z")),
              instant(body, "until", OffsetDateTime.now().plusDays(1)))),
          BusReplies.serve(bus, BillingBus.USAGE_PAGE, reports::page),
          BusReplies.serve(bus, BillingBus.USAGE_TOTALS, reports::totals),
          BusReplies.serve(bus, BillingBus.SPEND, reports::spend),
          BusReplies.serve(bus, BillingBus.REPORTS_REVENUE, new OperatorReports(pool)::revenue),
          BusReplies.serve(bus, BillingBus.KEYS_LAST_USED, reports::lastUsed),
          BusReplies.serve(bus, BillingBus.VOUCHERS_GRANT, body -> vouchers.grant(VoucherGrants.parse(body))
              .onSuccess(granted -> recalls.recall(body.getValue("account_id")))),
          BusReplies.serve(bus, BillingBus.VOUCHERS_LIST, body -> vouchers.list(accountId(body))),
          BusReplies.serve(bus, BillingBus.VOUCHERS_GET, body -> vouchers.get(id(body, "voucher_id"))),
          BusReplies.serve(bus, BillingBus.VOUCHERS_REVOKE, body -> vouchers.revoke(id(body, "voucher_id"))
              .onSuccess(revoked -> recalls.recall(revoked.getValue("account_id")))),
          BusReplies.serve(bus, BillingBus.CODES_CREATE, body -> codes.createBatch(CodeBatches.parse(body))),
          BusReplies.serve(bus, BillingBus.CODES_BATCHES, body -> codes.listBatches()),
          BusReplies.serve(bus, BillingBus.CODES_BATCH, body -> codes.batch(id(body, "batch_id"))),
          BusReplies.serve(bus, BillingBus.CODES_DISABLE, body -> codes.disable(id(body, "batch_id"))),
          BusReplies.serve(bus, BillingBus.CODES_REDEEM, body -> codes.redeem(accountId(body),
              body.getValue("code") instanceof String code ? code : null).onSuccess(redeemed -> recalls.recall(body.getValue("account_id")))),
          BusReplies.serve(bus, BillingBus.CODES_REDEMPTIONS, body -> codes.redemptions(accountId(body))),
          BusReplies.serveLocal(bus, BillingBus.HEALTH, body -> ledger.ping().map(new JsonObject()))));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    Future<Void> holdsClosed = holdsPool == null ? Future.succeededFuture() : holdsPool.close();
    return holdsClosed.compose(v -> pool == null ? Future.succeededFuture() : pool.close());
  }


  private static OffsetDateTime instant(JsonObject body, String field, OffsetDateTime fallback) {
    String value = body.getString(field);
    if (value == null) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be an ISO-8601 timestamp", field);
    }
  }

  private static long id(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof Number n) || n.longValue() <= 0) {
      throw GatewayError.MISSING_FIELD.exception("'" + field + "' is required", field);
    }
    return n.longValue();
  }

  private static long accountId(JsonObject body) {
    Long id = body.getLong("account_id");
    if (id == null) {
      throw GatewayError.MISSING_FIELD.exception("'account_id' is required", "account_id");
    }
    return id;
  }
}
