package gateway.router.credit;

import gateway.common.bus.Hold;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeaseTake;
import gateway.common.bus.LeasedHold;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router's credit leases: per account, a slice of its free cash that billing holds in Postgres as one hold, and
 * against which this router places its requests' holds in memory, so a request costs no Postgres round trip before
 * it goes upstream. What is free stays exact: every request is still charged in Postgres, and its charge consumes
 * the same amount of the lease. A lease is grown before it runs out, renewed while used, and given back when idle,
 * when billing recalls it (the account's pots changed, it went into debt, or a hold of its was refused), and on
 * shutdown; one whose router died is swept at its expiry. An account near its edge (billing grants at most a
 * quarter of what is free, and a lease is worth {@code GATEWAY_LEASE_HOLDS} holds at least, so an account with
 * less than four leases' worth free gets none), with vouchers, or in debt is held per request as before.
 * Confined to its verticle's event loop.
 */
public final class CreditLeases {
  private static final Logger LOG = LoggerFactory.getLogger(CreditLeases.class);
  /** After a refusal, how long an account is held per request before a lease is asked for again. */
  private static final long COOL_DOWN_MS = 5_000;
  /** The largest lease, in first leases' worth. */
  private static final long MAX_GROWTH = 16;

  /** What billing does with leases: the bus in production. */
  public interface Desk {
    Future<LeaseGrant> take(LeaseTake take);

    /** Gives back {@code amountMicros} of the lease, or all of it and the lease itself when null. */
    Future<Void> giveBack(String leaseId, Long amountMicros);

    /** Extends the leases' expiry; completes with the ones still there. */
    Future<Set<String>> renew(List<String> leaseIds, long lifeSeconds);
  }

  /** One account's lease, as this router sees it. */
  private static final class Lease {
    final String id;
    final long accountId;
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

    Lease(String id, long accountId, long nowMs) {
      this.id = id;
      this.accountId = accountId;
      this.lastUsedMs = nowMs;
    }
  }

  private record Slot(Lease lease, long heldMicros, long placedAtMs) {
  }

  private final Desk desk;
  private final CreditLeaseConfig config;
  private final long lifeSeconds;
  private final long requestLifeMs;
  private final LongSupplier clockMs;
  private final String owner = UUID.randomUUID().toString();
  private final Map<Long, Lease> byAccount = new HashMap<>();
  private final Map<String, Slot> slots = new HashMap<>();
  private final Map<Long, Long> perRequestUntil = new HashMap<>();
  private long leaseSequence;

  /**
   * @param lifeSeconds   a lease's life unless renewed: billing's hold age, so one whose router died is swept then
   * @param requestLifeMs the longest a request lives: a hold is placed only on a lease that outlives it
   */
  public CreditLeases(Desk desk, CreditLeaseConfig config, long lifeSeconds, long requestLifeMs, LongSupplier clockMs) {
    this.desk = desk;
    this.config = config;
    this.lifeSeconds = lifeSeconds;
    this.requestLifeMs = requestLifeMs;
    this.clockMs = clockMs;
  }

  /** How often {@link #tick} should run: well within the margin between a lease's life and a request's. */
  public long tickMs() {
    long margin = lifeSeconds * 1000 - requestLifeMs;
    return Math.max(200, Math.min(10_000, margin / 4));
  }

  /**
   * Places the hold against the account's lease, or answers null: the hold must be placed in Postgres (no lease
   * yet, one is being asked for, too little left in it, or a hold leases do not serve — vouchers, a video job's).
   */
  public LeasedHold place(Hold hold) {
    if (!config.enabled() || !hold.cashAllowed() || hold.voucherIds() != null || hold.lifeSeconds() != null) {
      return null;
    }
    long now = clockMs.getAsLong();
    Lease lease = byAccount.get(hold.accountId());
    if (lease == null) {
      Long until = perRequestUntil.get(hold.accountId());
      if (until == null || until <= now) {
        perRequestUntil.remove(hold.accountId());
        ask(hold.accountId(), hold.amountMicros(), now);
      }
      return null;
    }
    if (lease.closing || lease.asking && lease.granted == 0 || lease.expiresAtMs - now < requestLifeMs) {
      return null;
    }
    long available = lease.granted - lease.placed;
    if (available <= 0 || available < hold.amountMicros()) {
      grow(lease, hold.amountMicros(), now);
      return null;
    }
    lease.placed += hold.amountMicros();
    lease.lastUsedMs = now;
    slots.put(hold.requestId(), new Slot(lease, hold.amountMicros(), now));
    if (available - hold.amountMicros() < lease.granted / 4) {
      grow(lease, hold.amountMicros(), now);
    }
    return new LeasedHold(lease.id, hold.amountMicros());
  }

  /** The request was charged {@code costMicros}: its hold leaves the lease, and the charge consumes it. */
  public LeasedHold settled(String requestId, long costMicros) {
    Slot slot = slots.remove(requestId);
    if (slot == null) {
      return null;
    }
    Lease lease = slot.lease();
    lease.placed -= slot.heldMicros();
    lease.granted = Math.max(0, lease.granted - costMicros);
    closeIfDone(lease);
    return new LeasedHold(lease.id, slot.heldMicros());
  }

  /** The request failed: its hold goes back to the lease. */
  public LeasedHold released(String requestId) {
    Slot slot = slots.remove(requestId);
    if (slot == null) {
      return null;
    }
    slot.lease().placed -= slot.heldMicros();
    closeIfDone(slot.lease());
    return new LeasedHold(slot.lease().id, slot.heldMicros());
  }

  /** Whether this router's lease on the account keeps money a hold in Postgres could use. */
  public boolean hasSpare(long accountId) {
    Lease lease = byAccount.get(accountId);
    return lease != null && !lease.closing && lease.granted > lease.placed;
  }

  /**
   * Stops spending the account's lease and gives back what no request in flight holds (the rest when they end):
   * its pots changed, it went into debt, or a hold in Postgres needs the money. Completes once given back.
   */
  public Future<Void> close(long accountId) {
    perRequestUntil.put(accountId, clockMs.getAsLong() + COOL_DOWN_MS);
    Lease lease = byAccount.get(accountId);
    return lease == null ? Future.succeededFuture() : close(lease);
  }

  /** Gives every lease back (for a clean stop, once no request is in flight). */
  public Future<Void> closeAll() {
    List<Future<Void>> returns = new ArrayList<>();
    for (Lease lease : List.copyOf(byAccount.values())) {
      returns.add(close(lease));
    }
    return Future.join(returns).mapEmpty();
  }

  /** Renews the leases in use and gives back the idle ones; run every {@link #tickMs}. */
  public void tick() {
    long now = clockMs.getAsLong();
    perRequestUntil.values().removeIf(until -> until <= now);
    // A hold no request ended within a lease's life would keep its lease alive for ever: billing would have swept
    // a hold of its own by then, so this one goes too (a late settle is still charged, from cash).
    slots.entrySet().removeIf(entry -> {
      Slot slot = entry.getValue();
      if (now - slot.placedAtMs() < lifeSeconds * 1000) {
        return false;
      }
      LOG.warn("request {} held {} µcr of credit lease {} for longer than a lease lives; released",
          entry.getKey(), slot.heldMicros(), slot.lease().id);
      slot.lease().placed -= slot.heldMicros();
      closeIfDone(slot.lease());
      return true;
    });
    List<Lease> renewing = new ArrayList<>();
    for (Lease lease : List.copyOf(byAccount.values())) {
      if (lease.asking && lease.granted == 0) {
        continue;
      }
      if (lease.closing) {
        renewing.add(lease); // its requests in flight still settle against it
        continue;
      }
      if (lease.placed == 0 && now - lease.lastUsedMs >= config.idleSeconds() * 1000) {
        close(lease);
      } else {
        renewing.add(lease);
      }
    }
    if (renewing.isEmpty()) {
      return;
    }
    desk.renew(renewing.stream().map(lease -> lease.id).toList(), lifeSeconds).onComplete(renewed -> {
      if (renewed.failed()) {
        LOG.warn("credit leases not renewed: {}; they are spent only while they outlive a request",
            renewed.cause().getMessage());
        return;
      }
      for (Lease lease : renewing) {
        if (renewed.result().contains(lease.id)) {
          lease.expiresAtMs = Math.max(lease.expiresAtMs, now + lifeSeconds * 1000);
        } else {
          forget(lease); // swept: its requests in flight are charged from cash alone
        }
      }
    });
  }

  private void ask(long accountId, long holdMicros, long now) {
    Lease lease = new Lease("lease:" + owner + ":" + accountId + ":" + (++leaseSequence), accountId, now);
    byAccount.put(accountId, lease);
    long base = saturated(Math.max(holdMicros, 1), config.holdsPerLease());
    request(lease, new LeaseTake(lease.id, accountId, base, base, lifeSeconds, false), now);
  }

  private void grow(Lease lease, long holdMicros, long now) {
    if (lease.asking || lease.closing || lease.noGrowthUntilMs > now) {
      return;
    }
    // Each growth asks for twice the last, up to MAX_GROWTH first leases, and takes no less than a first lease.
    long base = saturated(Math.max(holdMicros, 1), config.holdsPerLease());
    long amount = Math.max(base, Math.min(saturated(lease.lastGrantMicros, 2), saturated(base, MAX_GROWTH)));
    request(lease, new LeaseTake(lease.id, lease.accountId, amount, base, lifeSeconds, true), now);
  }

  private void request(Lease lease, LeaseTake take, long sentAtMs) {
    lease.asking = true;
    desk.take(take).onComplete(answer -> {
      lease.asking = false;
      LeaseGrant.Outcome outcome = answer.succeeded() ? answer.result().outcome() : null;
      if (byAccount.get(lease.accountId) != lease) {
        if (outcome == LeaseGrant.Outcome.GRANTED) {
          desk.giveBack(lease.id, null); // closed meanwhile with nothing in flight: the lease goes back whole
        }
        return;
      }
      if (outcome == LeaseGrant.Outcome.GRANTED) {
        if (lease.closing) {
          desk.giveBack(lease.id, answer.result().grantedMicros()); // closing: this growth is not spent
          return;
        }
        lease.granted += answer.result().grantedMicros();
        lease.lastGrantMicros = answer.result().grantedMicros();
        lease.expiresAtMs = sentAtMs + lifeSeconds * 1000;
        return;
      }
      if (answer.failed()) {
        LOG.warn("no credit lease for account {}: {}", lease.accountId, answer.cause().getMessage());
      }
      if (outcome == LeaseGrant.Outcome.EDGE && lease.granted > 0) {
        lease.noGrowthUntilMs = clockMs.getAsLong() + COOL_DOWN_MS; // spend what is left, then hold per request
        return;
      }
      perRequestUntil.put(lease.accountId, clockMs.getAsLong() + COOL_DOWN_MS);
      if (outcome == LeaseGrant.Outcome.GONE) {
        forget(lease);
      } else {
        close(lease);
      }
    });
  }

  private Future<Void> close(Lease lease) {
    lease.closing = true;
    if (lease.placed == 0) {
      byAccount.remove(lease.accountId, lease);
      // a lease still being asked for is given back when its grant arrives
      return lease.lastGrantMicros == 0 ? Future.succeededFuture() : desk.giveBack(lease.id, null);
    }
    long spare = lease.granted - lease.placed;
    if (spare <= 0) {
      return Future.succeededFuture();
    }
    lease.granted = lease.placed;
    return desk.giveBack(lease.id, spare);
  }

  private void closeIfDone(Lease lease) {
    if (lease.closing && lease.placed == 0 && byAccount.get(lease.accountId) == lease) {
      byAccount.remove(lease.accountId);
      desk.giveBack(lease.id, null);
    }
  }

  /** The lease is no longer in Postgres: nothing more is placed on it, and there is nothing to give back. */
  private void forget(Lease lease) {
    lease.closing = true;
    lease.granted = 0;
    byAccount.remove(lease.accountId, lease);
  }

  private static long saturated(long a, long b) {
    long product = a * b;
    return a != 0 && product / a != b ? Long.MAX_VALUE : product;
  }
}
