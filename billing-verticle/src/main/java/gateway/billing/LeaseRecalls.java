package gateway.billing;

import gateway.common.bus.BillingBus;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells every router to give back its credit leases on an account ({@link BillingBus#LEASES_RECALL}). A recall
 * after a refused hold is sent at most once a second per account: a customer hammering an empty account must not
 * become a publish to every router per request. Confined to its verticle's event loop.
 */
final class LeaseRecalls {
  private static final long REFUSAL_RECALL_INTERVAL_MS = 1_000;
  private static final int REMEMBERED = 10_000;

  private final EventBus bus;
  private final Map<Long, Long> lastRecallMs = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
      return size() > REMEMBERED;
    }
  };

  LeaseRecalls(EventBus bus) {
    this.bus = bus;
  }

  /** The account's pots changed, or it went into debt: every lease on it comes back. */
  void recall(Object accountId) {
    bus.publish(BillingBus.LEASES_RECALL, new JsonObject().put("account_id", accountId));
  }

  /** A hold of the account was refused: leases of other routers may keep the credit it needed. */
  void afterRefusal(long accountId) {
    long now = System.nanoTime() / 1_000_000;
    Long last = lastRecallMs.get(accountId);
    if (last == null || now - last >= REFUSAL_RECALL_INTERVAL_MS) {
      lastRecallMs.put(accountId, now);
      recall(accountId);
    }
  }
}
