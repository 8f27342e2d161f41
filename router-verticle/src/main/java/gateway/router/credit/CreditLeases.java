package gateway.router.credit;

import gateway.common.bus.Hold;
import gateway.common.bus.LeaseGrant;
import gateway.common.bus.LeasePot;
import gateway.common.bus.LeaseTake;
import gateway.common.bus.LeasedHold;
import gateway.router.credit.LeaseBook.Lease;
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
 * less than four leases' worth free gets none), or in debt, is held per request as before.
 *
 * <p>Vouchers are pots in the same scheme: for an account with vouchers, billing says which pot pays a model first
 * ({@link PotRoutes}), and the request's hold is placed on this router's lease on that pot, a voucher or cash. A
 * pot near its edge, a voucher about to end, and a key spending vouchers only are held per request.
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

    /** Which pot of an account with vouchers pays the model first. */
    Future<LeasePot> pot(long accountId, String model, long lifeSeconds);

    /** Gives back {@code amountMicros} of the lease, or all of it and the lease itself when null. */
    Future<Void> giveBack(String leaseId, Long amountMicros);

    /** Extends the leases' expiry; completes with the ones still there. */
    Future<Set<String>> renew(List<String> leaseIds, long lifeSeconds);
  }

  private record Slot(Lease lease, long heldMicros, long placedAtMs) {
  }

  private final Desk desk;
  private final CreditLeaseConfig config;
  private final long lifeSeconds;
  private final long requestLifeMs;
  private final LongSupplier clockMs;
  private final String owner = UUID.randomUUID().toString();
  private final LeaseBook book = new LeaseBook();
  private final PotRoutes routes = new PotRoutes();
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
   * Places the hold against the lease on the account's pot paying the model, or answers null: the hold must be
   * placed in Postgres (no lease yet, one is being asked for, too little left in it, or a hold leases do not serve:
   * a key's spending vouchers only, a video job's).
   */
  public LeasedHold place(Hold hold) {
    if (!config.enabled() || !hold.cashAllowed() || hold.voucherIds() != null || hold.lifeSeconds() != null) {
      return null;
    }
    long now = clockMs.getAsLong();
    long pot = PotRoutes.CASH;
    if (routes.hasVouchers(hold.accountId())) {
      Long route = routes.pot(hold.accountId(), hold.model());
      if (route == null) {
        askPot(hold.accountId(), hold.model(), now);
        return null;
      }
      pot = route;
    }
    Lease lease = book.get(hold.accountId(), pot);
    if (lease == null) {
      Long until = perRequestUntil.get(hold.accountId());
      if (until == null || until <= now) {
        perRequestUntil.remove(hold.accountId());
        ask(hold.accountId(), pot, hold.amountMicros(), now);
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

  /**
   * The request was charged {@code costMicros}: its hold leaves the lease, and the charge consumes it (on a voucher,
   * up to the hold: cash pays the rest, as billing charges it).
   */
  public LeasedHold settled(String requestId, long costMicros) {
    Slot slot = slots.remove(requestId);
    if (slot == null) {
      return null;
    }
    Lease lease = slot.lease();
    lease.placed -= slot.heldMicros();
    long consumed = lease.voucherId == PotRoutes.CASH ? costMicros : Math.min(costMicros, slot.heldMicros());
    lease.granted = Math.max(0, lease.granted - consumed);
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

  /** Whether this router's leases on the account keep money a hold in Postgres could use. */
  public boolean hasSpare(long accountId) {
    for (Lease lease : book.ofAccount(accountId)) {
      if (!lease.closing && lease.granted > lease.placed) {
        return true;
      }
    }
    return false;
  }

  /**
   * Stops spending the account's lease and gives back what no request in flight holds (the rest when they end):
   * its pots changed, it went into debt, or a hold in Postgres needs the money. Completes once given back.
   */
  public Future<Void> close(long accountId) {
    routes.forget(accountId);
    List<Lease> leases = book.ofAccount(accountId);
    if (leases.isEmpty()) {
      return Future.succeededFuture(); // nothing to give back, and nothing to wait for before a lease is asked for
    }
    perRequestUntil.put(accountId, clockMs.getAsLong() + COOL_DOWN_MS);
    return closeAll(leases);
  }

  /** Gives every lease back (for a clean stop, once no request is in flight). */
  public Future<Void> closeAll() {
    return closeAll(book.all());
  }

  private Future<Void> closeAll(List<Lease> leases) {
    List<Future<Void>> returns = new ArrayList<>();
    for (Lease lease : leases) {
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
    routes.retainOnly(book.accounts());
    List<Lease> renewing = new ArrayList<>();
    for (Lease lease : book.all()) {
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

  /** Asks billing which pot pays the model first on an account with vouchers; meanwhile it is held per request. */
  private void askPot(long accountId, String model, long now) {
    PotRoutes.Route asking = routes.startAsking(accountId, model, now);
    if (asking == null) {
      return;
    }
    desk.pot(accountId, model, lifeSeconds).onComplete(answer -> {
      LeasePot.Outcome outcome = answer.succeeded() ? answer.result().outcome() : null;
      if (answer.failed()) {
        LOG.warn("no credit pot for account {} and model {}: {}", accountId, model, answer.cause().getMessage());
      }
      Long pot = outcome == LeasePot.Outcome.VOUCHER ? answer.result().voucherId()
          : outcome == LeasePot.Outcome.CASH ? Long.valueOf(PotRoutes.CASH) : null;
      routes.answered(accountId, model, asking, pot, clockMs.getAsLong() + COOL_DOWN_MS);
    });
  }

  private void ask(long accountId, long pot, long holdMicros, long now) {
    // A lease's id says its kind for its life: a pot lease (of an account with vouchers) or one on plain cash.
    String id = routes.hasVouchers(accountId)
        ? LeaseTake.POT_PREFIX + owner + ":" + accountId + ":" + pot + ":" + (++leaseSequence)
        : "lease:" + owner + ":" + accountId + ":" + (++leaseSequence);
    Lease lease = new Lease(id, accountId, pot, now);
    book.put(lease);
    long base = saturated(Math.max(holdMicros, 1), config.holdsPerLease());
    request(lease, take(lease, base, base, false), now);
  }

  private LeaseTake take(Lease lease, long amount, long min, boolean grow) {
    return new LeaseTake(lease.id, lease.accountId, amount, min, lifeSeconds, grow,
        lease.voucherId == PotRoutes.CASH ? null : lease.voucherId);
  }

  private void grow(Lease lease, long holdMicros, long now) {
    if (lease.asking || lease.closing || lease.noGrowthUntilMs > now) {
      return;
    }
    // Each growth asks for twice the last, up to MAX_GROWTH first leases, and takes no less than a first lease.
    long base = saturated(Math.max(holdMicros, 1), config.holdsPerLease());
    long amount = Math.max(base, Math.min(saturated(lease.lastGrantMicros, 2), saturated(base, MAX_GROWTH)));
    request(lease, take(lease, amount, base, true), now);
  }

  private void request(Lease lease, LeaseTake take, long sentAtMs) {
    lease.asking = true;
    desk.take(take).onComplete(answer -> {
      lease.asking = false;
      LeaseGrant.Outcome outcome = answer.succeeded() ? answer.result().outcome() : null;
      if (book.get(lease.accountId, lease.voucherId) != lease) {
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
      long coolUntil = clockMs.getAsLong() + COOL_DOWN_MS;
      if (outcome == LeaseGrant.Outcome.EDGE && lease.granted > 0) {
        lease.noGrowthUntilMs = coolUntil; // spend what is left, then hold per request
        return;
      }
      if (outcome == LeaseGrant.Outcome.VOUCHERS) {
        routes.accountHasVouchers(lease.accountId); // its requests ask which pot pays their model
      } else if (LeaseTake.isPotLease(lease.id) && outcome != LeaseGrant.Outcome.DEBT) {
        routes.holdPerRequest(lease.accountId, lease.voucherId, coolUntil); // this pot only
      } else {
        perRequestUntil.put(lease.accountId, coolUntil);
      }
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
      book.remove(lease);
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
    if (lease.closing && lease.placed == 0 && book.get(lease.accountId, lease.voucherId) == lease) {
      book.remove(lease);
      desk.giveBack(lease.id, null);
    }
  }

  /** The lease is no longer in Postgres: nothing more is placed on it, and there is nothing to give back. */
  private void forget(Lease lease) {
    lease.closing = true;
    lease.granted = 0;
    book.remove(lease);
  }

  private static long saturated(long a, long b) {
    long product = a * b;
    return a != 0 && product / a != b ? Long.MAX_VALUE : product;
  }
}
