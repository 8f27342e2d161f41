package gateway.router.exchange;

import gateway.common.bus.BillingBus;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeasePot;
import gateway.common.bus.LeaseTake;
import gateway.router.credit.CreditLeases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bus side of credit leases, for {@link CreditLeases}: billing's {@code billing.leases.*} addresses. */
public final class LeaseDeskOnBus {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseDeskOnBus.class);

  private LeaseDeskOnBus() {
  }

  public static CreditLeases.Desk on(Vertx vertx, long timeoutMs) {
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
}
