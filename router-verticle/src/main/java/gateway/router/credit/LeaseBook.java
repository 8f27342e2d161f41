package gateway.router.credit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A router's credit leases, per account and pot ({@link PotRoutes#CASH} or a voucher). Confined to its event loop. */
final class LeaseBook {

  /** One pot's lease, as this router sees it. */
  static final class Lease {
    final String id;
    final long accountId;
    /** The voucher the lease rests on, or {@link PotRoutes#CASH}. */
    final long voucherId;
    /** What the lease holds in Postgres once every charge sent against it has landed. */
    long granted;
    /** The holds of requests in flight against it. */
    long placed;
    long expiresAtMs;
    long lastGrantMicros;
    long lastUsedMs;
    long noGrowthUntilMs;
    boolean asking;
    boolean closing;

    Lease(String id, long accountId, long voucherId, long nowMs) {
      this.id = id;
      this.accountId = accountId;
      this.voucherId = voucherId;
      this.lastUsedMs = nowMs;
    }
  }

  private final Map<Long, Map<Long, Lease>> byAccount = new HashMap<>();

  Lease get(long accountId, long pot) {
    Map<Long, Lease> pots = byAccount.get(accountId);
    return pots == null ? null : pots.get(pot);
  }

  void put(Lease lease) {
    byAccount.computeIfAbsent(lease.accountId, account -> new HashMap<>()).put(lease.voucherId, lease);
  }

  /** Forgets the lease, if it is still the one on its pot. */
  void remove(Lease lease) {
    Map<Long, Lease> pots = byAccount.get(lease.accountId);
    if (pots != null && pots.remove(lease.voucherId, lease) && pots.isEmpty()) {
      byAccount.remove(lease.accountId);
    }
  }

  List<Lease> ofAccount(long accountId) {
    Map<Long, Lease> pots = byAccount.get(accountId);
    return pots == null ? List.of() : List.copyOf(pots.values());
  }

  List<Lease> all() {
    List<Lease> all = new ArrayList<>();
    byAccount.values().forEach(pots -> all.addAll(pots.values()));
    return all;
  }

  /** The accounts with a lease. */
  Set<Long> accounts() {
    return byAccount.keySet();
  }
}
