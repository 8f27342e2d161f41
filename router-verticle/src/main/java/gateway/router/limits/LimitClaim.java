package gateway.router.limits;

/**
 * What one request claims of one scope: what its router's allowance gave it at once, and what it still needs from
 * Redis. Kept by the request's {@link LimitLease} when there is something to undo at its end. Guarded, like the
 * allowance, by the {@link Allowances} lock.
 */
final class LimitClaim {
  final ScopeAllowance allowance;
  final LimitScope scope;
  long needRequests;
  long needTokens;
  long needSlots;
  /** A request taken from the allowance (to refund if the request is not admitted after all). */
  long requestSlice = -1;
  /** The token estimate counted for this request, where it was counted, and from which allowance slice. */
  long tokens;
  long tokensAt;
  long tokenSlice = -1;
  boolean slot;

  LimitClaim(ScopeAllowance allowance, LimitScope scope) {
    this.allowance = allowance;
    this.scope = scope;
  }

  /** Whether the allowance covered everything: Redis need not be asked for this scope. */
  boolean local() {
    return needRequests == 0 && needTokens == 0 && needSlots == 0;
  }
}
