package gateway.router.limits;

import gateway.common.GatewayException;

/**
 * The limiter's answer for one request.
 *
 * @param refusal     null when admitted; else the 429 to answer
 * @param refusedBy   which kind of scope was full: key, account or channel (null when admitted)
 * @param retryAfterMs when refused, how long until the window has room
 * @param firstRoute  index of the first candidate route with room in its channel's limits
 * @param lease       what the request holds in the limits until it ends (null when refused)
 */
public record Admission(GatewayException refusal, String refusedBy, long retryAfterMs, int firstRoute,
                        RateLimitHeaders headers, LimitLease lease) {

  static Admission admitted(int firstRoute, RateLimitHeaders headers, LimitLease lease) {
    return new Admission(null, null, 0, firstRoute, headers, lease);
  }

  static Admission refused(GatewayException refusal, String refusedBy, long retryAfterMs, RateLimitHeaders headers) {
    return new Admission(refusal, refusedBy, retryAfterMs, -1, headers, null);
  }

  public boolean admitted() {
    return refusal == null;
  }

  /** Retry-After in whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfterMs + 999) / 1000);
  }
}
