package gateway.billing;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.BillingBus;
import gateway.common.bus.BusReplies;
import gateway.common.bus.LeasedHold;
import gateway.common.bus.SettleReply;
import gateway.common.bus.UsageReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of {@code billing.settle}, {@code billing.settle_leased} and {@code billing.settle_batch}. A batch is
 * only a way of carrying settles: each of its settles is charged exactly as if it had come alone (the ledger groups
 * them into its commits either way), and each succeeds or fails on its own in the reply.
 */
final class SettleMessages {
  static final String LEASED = "leased";

  private final CreditLedger ledger;
  private final LeaseRecalls recalls;

  SettleMessages(CreditLedger ledger, LeaseRecalls recalls) {
    this.ledger = ledger;
    this.recalls = recalls;
  }

  Future<JsonObject> settle(JsonObject body) {
    return ledger.settle(UsageReport.fromJson(body)).onSuccess(settled -> recallInDebt(settled, body))
        .map(SettleReply::toJson);
  }

  Future<JsonObject> settleLeased(JsonObject body) {
    return ledger.settle(UsageReport.fromJson(body), LeasedHold.fromJson(body))
        .onSuccess(settled -> recallInDebt(settled, body)).map(SettleReply::toJson);
  }

  Future<JsonObject> settleBatch(JsonObject body) {
    JsonArray settles = body.getValue("settles") instanceof JsonArray array ? array : new JsonArray();
    List<Future<JsonObject>> each = new ArrayList<>(settles.size());
    for (Object item : settles) {
      each.add(one(item));
    }
    return Future.join(each).transform(all -> {
      JsonArray results = new JsonArray();
      for (Future<JsonObject> settled : each) {
        if (settled.succeeded()) {
          results.add(settled.result());
        } else {
          GatewayException failure = BusReplies.failure(BillingBus.SETTLE_BATCH, settled.cause());
          results.add(new JsonObject().put("failure_status", failure.error().status).put("failure", failure.wire()));
        }
      }
      return Future.succeededFuture(new JsonObject().put("results", results));
    });
  }

  private Future<JsonObject> one(Object item) {
    try {
      if (!(item instanceof JsonObject settle)) {
        throw GatewayError.INVALID_VALUE.exception("each of 'settles' must be an object", "settles");
      }
      return settle.getBoolean(LEASED, false) ? settleLeased(settle) : settle(settle);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** An account a charge took below zero: no router may spend a lease on it any more. */
  private void recallInDebt(SettleReply settled, JsonObject body) {
    if (settled.balanceMicros() < 0 && !settled.replayed()) {
      recalls.recall(body.getValue("account_id"));
    }
  }
}
