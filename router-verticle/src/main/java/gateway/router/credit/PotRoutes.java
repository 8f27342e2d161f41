package gateway.router.credit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * For the accounts with vouchers: which of their pots pays each model first, as billing answered
 * ({@code billing.leases.pot}), so a request's hold is placed on that pot's lease and the pots are spent in the order
 * billing would hold them. An account appears here once billing refused it a cash lease because it has vouchers; it
 * leaves when its pots change (a recall) or it has no lease left. Confined to its verticle's event loop.
 */
final class PotRoutes {
  /** Pays from cash. */
  static final long CASH = 0;

  /** One model's route: a pot, or none while it is asked for or held per request until {@code untilMs}. */
  static final class Route {
    final Long voucherId;
    final long untilMs;

    private Route(Long voucherId, long untilMs) {
      this.voucherId = voucherId;
      this.untilMs = untilMs;
    }
  }

  private final Map<Long, Map<String, Route>> byAccount = new HashMap<>();

  boolean hasVouchers(long accountId) {
    return byAccount.containsKey(accountId);
  }

  void accountHasVouchers(long accountId) {
    byAccount.putIfAbsent(accountId, new HashMap<>());
  }

  /** The pot paying the model first ({@link #CASH} or a voucher), or null when there is none to use now. */
  Long pot(long accountId, String model) {
    Route route = routes(accountId).get(model);
    return route == null ? null : route.voucherId;
  }

  /**
   * Marks the model as being asked for and answers the mark, or answers null: it is being asked for already, or it is
   * held per request for a while yet, or its pot is known.
   */
  Route startAsking(long accountId, String model, long nowMs) {
    Map<String, Route> routes = byAccount.get(accountId);
    Route route = routes == null ? null : routes.get(model);
    if (routes == null || route != null && (route.voucherId != null || route.untilMs > nowMs)) {
      return null;
    }
    Route asking = new Route(null, Long.MAX_VALUE);
    routes.put(model, asking);
    return asking;
  }

  /** The answer to {@code asking}: the model's pot, or null to hold it per request until {@code untilMs}. */
  void answered(long accountId, String model, Route asking, Long voucherId, long untilMs) {
    Map<String, Route> routes = byAccount.get(accountId);
    if (routes != null && routes.get(model) == asking) {
      routes.put(model, new Route(voucherId, voucherId == null ? untilMs : 0));
    }
  }

  /** The pot cannot be leased now: the models it paid are held per request until {@code untilMs}, then asked again. */
  void holdPerRequest(long accountId, long voucherId, long untilMs) {
    Map<String, Route> routes = byAccount.get(accountId);
    if (routes != null) {
      routes.replaceAll((model, route) -> route.voucherId != null && route.voucherId == voucherId
          ? new Route(null, untilMs) : route);
    }
  }

  void forget(long accountId) {
    byAccount.remove(accountId);
  }

  /** Forgets the accounts without a lease: their routes are asked again when they are next used. */
  void retainOnly(Set<Long> accountIds) {
    byAccount.keySet().retainAll(accountIds);
  }

  private Map<String, Route> routes(long accountId) {
    return byAccount.getOrDefault(accountId, Map.of());
  }
}
