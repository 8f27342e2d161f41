package gateway.router.limits;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One router's allowances, one per scope it has seen lately, and the lock that guards them all (requests run on
 * their event loop, but a lease may be finished elsewhere; the lock is held for memory work only, never for I/O).
 */
final class Allowances {
  /** admit.lua's values per group in an admitting answer. */
  static final int GROUP_ANSWER = 9;

  private final Map<String, ScopeAllowance> byPrefix = new HashMap<>();
  private final String leaseId;
  private final long leaseMs;
  private final LongSupplier clock;

  /** {@code leaseId} names this router's slot leases in Redis; {@code clock} is in ms. */
  Allowances(String leaseId, long leaseMs, LongSupplier clock) {
    this.leaseId = leaseId;
    this.leaseMs = leaseMs;
    this.clock = clock;
  }

  String leaseId() {
    return leaseId;
  }

  long leaseMs() {
    return leaseMs;
  }

  long now() {
    return clock.getAsLong();
  }

  Ops ops() {
    return new Ops(leaseId, leaseMs);
  }

  /**
   * Claims what the allowances hold for one request: every mandatory scope, then the candidate channels up to the
   * first one the allowances (or the absence of limits: a null claim) cover entirely. True when Redis need not be
   * asked at all.
   */
  synchronized boolean claim(List<LimitScope> mandatory, List<LimitScope> channels, long estimate,
                             List<LimitClaim> claims, List<LimitClaim> channelClaims, Ops ops) {
    long now = now();
    boolean local = true;
    for (LimitScope scope : mandatory) {
      LimitClaim claim = claim(scope, estimate, now, ops);
      claims.add(claim);
      local &= claim.local();
    }
    for (LimitScope scope : channels) {
      LimitClaim claim = scope.limited() ? claim(scope, estimate, now, ops) : null;
      channelClaims.add(claim);
      if (claim == null || claim.local()) {
        break; // this one has room for sure: the later candidates need not be looked at
      }
    }
    return local && (channelClaims.isEmpty() || channelClaims.get(0) == null || channelClaims.get(0).local());
  }

  /** Applies admit.lua's answer ({@link #GROUP_ANSWER} values per mandatory claim, then the chosen channel's). */
  synchronized void took(List<LimitClaim> claims, LimitClaim channel, List<Long> values, long redisNow, Ops ops) {
    long now = now();
    for (int i = 0; i < claims.size(); i++) {
      claims.get(i).allowance.took(claims.get(i), values, i * GROUP_ANSWER, redisNow, now, ops);
    }
    if (channel != null) {
      channel.allowance.took(channel, values, claims.size() * GROUP_ANSWER, redisNow, now, ops);
    }
  }

  private LimitClaim claim(LimitScope scope, long estimate, long now, Ops ops) {
    return byPrefix.computeIfAbsent(scope.prefix(), ScopeAllowance::new).claim(scope, estimate, now, ops);
  }

  synchronized void refund(List<LimitClaim> claims) {
    for (LimitClaim claim : claims) {
      if (claim != null) {
        claim.allowance.refund(claim);
      }
    }
  }

  /** Ends a request's claims; the corrections to send are added to {@code ops}. */
  synchronized void finish(List<LimitClaim> claims, long realTokens, Ops ops) {
    long now = now();
    for (LimitClaim claim : claims) {
      claim.allowance.finish(claim, realTokens, now, ops);
    }
  }

  /** Gives back what outlived its use, renews slot leases, and forgets scopes that hold nothing and went quiet. */
  synchronized void sweep(Ops ops) {
    long now = now();
    for (Iterator<ScopeAllowance> it = byPrefix.values().iterator(); it.hasNext(); ) {
      if (!it.next().sweep(now, leaseMs, ops)) {
        it.remove();
      }
    }
  }

  /** Gives back everything not in use. */
  synchronized void close(Ops ops) {
    byPrefix.values().forEach(a -> a.close(ops));
  }

  /** The rate-limit headers: the tightest request and token windows among the key's and account's claims. */
  synchronized RateLimitHeaders headers(List<LimitClaim> claims) {
    long now = now();
    ScopeAllowance requests = null;
    ScopeAllowance tokens = null;
    for (LimitClaim claim : claims) {
      ScopeAllowance allowance = claim.allowance;
      if (allowance.requestLimit() >= 0
          && (requests == null || allowance.requestsRemaining() < requests.requestsRemaining())) {
        requests = allowance;
      }
      if (allowance.tokenLimit() >= 0
          && (tokens == null || allowance.tokensRemaining() < tokens.tokensRemaining())) {
        tokens = allowance;
      }
    }
    return new RateLimitHeaders(
        requests == null ? -1 : requests.requestLimit(), requests == null ? -1 : requests.requestsRemaining(),
        requests == null ? -1 : requests.requestsResetMs(now),
        tokens == null ? -1 : tokens.tokenLimit(), tokens == null ? -1 : tokens.tokensRemaining(),
        tokens == null ? -1 : tokens.tokensResetMs(now));
  }
}
