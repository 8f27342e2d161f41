package gateway.router.limits;

import gateway.common.bus.Channel;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * What one admitted request holds in the rate limits: token estimates and concurrency slots in the scopes that keep
 * them. {@link #acquire} takes a fallback channel's slot too; {@link #finish} gives everything back once, with the
 * real token count. Confined to the request's event loop.
 */
public final class LimitLease {
  private final RateLimiter limiter;
  private final String requestId;
  private final long tokens;
  private final List<LimitClaim> claims;
  private boolean finished;

  LimitLease(RateLimiter limiter, String requestId, long tokens, List<LimitClaim> claims) {
    this.limiter = limiter;
    this.requestId = requestId;
    this.tokens = tokens;
    this.claims = new ArrayList<>(claims);
  }

  /** A lease holding nothing: no limit applied to the request. */
  public static LimitLease empty(RateLimiter limiter, String requestId) {
    return new LimitLease(limiter, requestId, 0, List.of());
  }

  /** Whether the channel has room for this request (always, when it has no limits); its slot is held from then on. */
  public Future<Boolean> acquire(Channel channel) {
    return limiter.acquireChannel(requestId, channel, tokens, claims);
  }

  /**
   * Replaces the token estimates with the real count and frees the slots; once, later calls do nothing. The future
   * (never failed: Redis trouble is counted and logged) says when the slots are free; requests need not wait for it.
   */
  public Future<Void> finish(long realTokens) {
    if (finished) {
      return Future.succeededFuture();
    }
    finished = true;
    return limiter.finish(claims, realTokens);
  }

  /** The scopes held (their Redis prefixes), for tests and logs. */
  public List<String> heldScopes() {
    return claims.stream().map(c -> c.scope.prefix()).toList();
  }

  List<LimitClaim> claims() {
    return claims;
  }
}
