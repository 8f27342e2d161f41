package gateway.router.limits;

import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's rate-limit headers, for the tightest request window and token window of the
 * caller's key and account; they ride on every answer, successful or not.
 * A limit of -1 means none applies and its headers are left out.
 */
public record RateLimitHeaders(long requestLimit, long requestsRemaining, long requestsResetMs,
                               long tokenLimit, long tokensRemaining, long tokensResetMs) {
  public static final RateLimitHeaders NONE = new RateLimitHeaders(-1, -1, -1, -1, -1, -1);

  public void applyTo(HttpServerResponse response) {
    if (requestLimit >= 0) {
      response.putHeader("x-ratelimit-limit-requests", Long.toString(requestLimit))
          .putHeader("x-ratelimit-remaining-requests", Long.toString(Math.max(0, requestsRemaining)))
          .putHeader("x-ratelimit-reset-requests", duration(requestsResetMs));
    }
    if (tokenLimit >= 0) {
      response.putHeader("x-ratelimit-limit-tokens", Long.toString(tokenLimit))
          .putHeader("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tokensRemaining)))
          .putHeader("x-ratelimit-reset-tokens", duration(tokensResetMs));
    }
  }

  /** OpenAI's duration form: {@code 20ms}, {@code 1s}, {@code 6m0s}, {@code 1h2m3s}. */
  static String duration(long millis) {
    if (millis < 1000) {
      return Math.max(0, millis) + "ms";
    }
    long seconds = (millis + 999) / 1000;
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    long rest = seconds % 60;
    if (hours > 0) {
      return hours + "h" + minutes + "m" + rest + "s";
    }
    return minutes > 0 ? minutes + "m" + rest + "s" : rest + "s";
  }
}
