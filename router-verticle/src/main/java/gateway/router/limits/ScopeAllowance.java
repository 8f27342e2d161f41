package gateway.router.limits;

import java.util.List;

/**
 * What one router holds of one scope's limits in its own memory: requests and tokens taken ahead from Redis (counted
 * there already, used within {@link #LIFE_MS} or given back), concurrency slots held in Redis under the router's
 * lease, and the window state as Redis last told it, for the rate-limit headers. A request the allowance covers is
 * admitted without asking Redis. Guarded by the {@link Allowances} lock.
 */
final class ScopeAllowance {
  /** How long requests and tokens taken ahead may be used: the windows count one bucket more than their length for it. */
  static final long LIFE_MS = 1_000;

  final String prefix;
  /** The scope as the last request named it (its limits can change while the allowance lives). */
  private LimitScope scope;
  private long requests;
  private long requestsAt;
  private long requestsUntil;
  private long requestSlice;
  private long tokens;
  private long tokensAt;
  private long tokensUntil;
  private long tokenSlice;
  private long slotsHeld;
  private long slotsInUse;
  private long slotsSpare;
  long slotsRenewedAt;
  long lastClaimAt;
  private long requestLimit = -1;
  private long requestsLeft;
  private long requestsResetAt;
  private long tokenLimit = -1;
  private long tokensLeft;
  private long tokensResetAt;

  ScopeAllowance(String prefix) {
    this.prefix = prefix;
  }

  /** Takes what the allowance has for one request; the rest is the claim's need from Redis. */
  LimitClaim claim(LimitScope scope, long estimate, long now, Ops ops) {
    this.scope = scope;
    expire(now, ops);
    lastClaimAt = now;
    LimitClaim claim = new LimitClaim(this, scope);
    if (scope.countsRequests()) {
      if (requests > 0) {
        requests--;
        claim.requestSlice = requestSlice;
      } else {
        claim.needRequests = 1;
      }
    }
    if (scope.countsTokens() && estimate > 0) {
      if (tokens >= estimate) {
        tokens -= estimate;
        claim.tokens = estimate;
        claim.tokensAt = tokensAt;
        claim.tokenSlice = tokenSlice;
      } else {
        claim.needTokens = estimate;
      }
    }
    if (scope.holdsSlots()) {
      if (slotsInUse < slotsHeld) {
        slotsInUse++;
        claim.slot = true;
      } else {
        claim.needSlots = 1;
      }
    }
    return claim;
  }

  /** Undoes what {@link #claim} took from the allowance, for a request that was not admitted. */
  void refund(LimitClaim claim) {
    if (claim.requestSlice >= 0 && claim.requestSlice == requestSlice) {
      requests++;
    }
    if (claim.tokens > 0 && claim.tokenSlice == tokenSlice) {
      tokens += claim.tokens;
    }
    if (claim.slot) {
      slotsInUse--;
    }
  }

  /**
   * Applies what Redis gave for a claim (9 values from {@code at}, as admit.lua reports a group): what the request
   * needed is its own, the rest becomes the allowance, replacing what was left of the one before.
   */
  void took(LimitClaim claim, List<Long> reply, int at, long redisNow, long now, Ops ops) {
    long tookRequests = reply.get(at);
    long tookTokens = reply.get(at + 1);
    long tookSlots = reply.get(at + 2);
    if (tookRequests > 0) {
      giveBackRequests(ops);
      requests = tookRequests - claim.needRequests;
      requestsAt = redisNow;
      requestsUntil = now + LIFE_MS;
      requestSlice++;
    }
    if (tookTokens > 0) {
      giveBackTokens(ops);
      tokens = tookTokens - claim.needTokens;
      tokensAt = redisNow;
      tokensUntil = now + LIFE_MS;
      tokenSlice++;
      claim.tokens = claim.needTokens;
      claim.tokensAt = redisNow;
      claim.tokenSlice = tokenSlice;
    }
    if (tookSlots > 0) {
      slotsHeld += tookSlots;
      slotsInUse += claim.needSlots;
      slotsSpare = tookSlots - claim.needSlots;
      slotsRenewedAt = now;
      claim.slot = true;
    }
    if (reply.get(at + 3) >= 0) {
      requestLimit = reply.get(at + 3);
      requestsLeft = reply.get(at + 4);
      requestsResetAt = now + reply.get(at + 5);
    }
    if (reply.get(at + 6) >= 0) {
      tokenLimit = reply.get(at + 6);
      tokensLeft = reply.get(at + 7);
      tokensResetAt = now + reply.get(at + 8);
    }
  }

  /** At the request's end: corrects its token estimate with the real count and frees its slot. */
  void finish(LimitClaim claim, long realTokens, long now, Ops ops) {
    if (claim.scope.countsTokens()) {
      long unused = claim.tokens - realTokens;
      // unused tokens join the live allowance when it was taken at most its life after the one they were counted
      // with: they then leave the window at most that much early, which the window's extra bucket covers
      if (unused > 0 && now < tokensUntil && tokensAt - claim.tokensAt <= LIFE_MS) {
        tokens += unused;
      } else if (unused > 0) {
        ops.tokens(prefix, claim.tokensAt, -unused);
      } else if (unused < 0 && now < tokensUntil && tokens >= -unused) {
        tokens += unused;
      } else if (unused < 0) {
        ops.tokens(prefix, 0, -unused);
      }
    }
    if (claim.slot) {
      slotsInUse--;
      returnSpareSlots(ops);
    }
  }

  /**
   * Gives back what outlived its use: requests and tokens past their life; slots beyond those in use and the spare,
   * which halves each time and goes once no request came for a while. Renews the slot lease when due. False once nothing is held.
   */
  boolean sweep(long now, long leaseMs, Ops ops) {
    expire(now, ops);
    // spare slots halve with every sweep (a busy router takes more when it needs them), and go when it is idle
    slotsSpare = now - lastClaimAt > LIFE_MS ? 0 : slotsSpare / 2;
    returnSpareSlots(ops);
    if (slotsHeld > 0 && now - slotsRenewedAt > leaseMs / 3) {
      ops.slots(prefix, 0);
      slotsRenewedAt = now;
    }
    return requests > 0 || tokens > 0 || slotsHeld > 0 || now - lastClaimAt < 60_000;
  }

  /** Gives back everything not in use (the router is stopping). */
  void close(Ops ops) {
    giveBackRequests(ops);
    giveBackTokens(ops);
    slotsSpare = 0;
    returnSpareSlots(ops);
  }

  long requestLimit() {
    return requestLimit;
  }

  long requestsRemaining() {
    return requestsLeft + requests;
  }

  long requestsResetMs(long now) {
    return Math.max(0, requestsResetAt - now);
  }

  long tokenLimit() {
    return tokenLimit;
  }

  long tokensRemaining() {
    return tokensLeft + tokens;
  }

  long tokensResetMs(long now) {
    return Math.max(0, tokensResetAt - now);
  }

  private void expire(long now, Ops ops) {
    if (requests > 0 && now >= requestsUntil) {
      giveBackRequests(ops);
    }
    if (tokens > 0 && now >= tokensUntil) {
      giveBackTokens(ops);
    }
  }

  private void giveBackRequests(Ops ops) {
    if (requests > 0) {
      ops.requests(prefix, requestsAt, requests, scope.requestWindows());
      requests = 0;
    }
  }

  private void giveBackTokens(Ops ops) {
    if (tokens > 0) {
      ops.tokens(prefix, tokensAt, -tokens);
      tokens = 0;
    }
  }

  private void returnSpareSlots(Ops ops) {
    long excess = slotsHeld - slotsInUse - slotsSpare;
    if (excess > 0) {
      ops.slots(prefix, excess);
      slotsHeld -= excess;
    }
  }
}
