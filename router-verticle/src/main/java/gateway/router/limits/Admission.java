package gateway.router.limits;

import gateway.common.GatewayError;
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

  /** A refusal by a full limit: {@code who} names the scope in the message, {@code kind} it is counted under. */
  static Admission full(String who, String kind, String limitName, long limit, long retryMs) {
    String message = "Rate limit reached for " + who + ": " + describe(limitName, limit) + ". Retry in "
        + RateLimitHeaders.duration(retryMs) + ".";
    RateLimitHeaders headers = limitName.equals("tpm")
        ? new RateLimitHeaders(-1, -1, -1, limit, 0, retryMs)
        : new RateLimitHeaders(limitName.equals("concurrency") ? -1 : limit, 0, retryMs, -1, -1, -1);
    return refused(GatewayError.RATE_LIMITED.exception(message), kind, retryMs, headers);
  }

  private static String describe(String limitName, long limit) {
    return switch (limitName) {
      case "rpm" -> limit + " requests per minute";
      case "rph" -> limit + " requests per hour";
      case "rpd" -> limit + " requests per day";
      case "tpm" -> limit + " tokens per minute";
      default -> limit + " concurrent requests";
    };
  }

  public boolean admitted() {
    return refusal == null;
  }

  /** Retry-After in whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfterMs + 999) / 1000);
  }
}
