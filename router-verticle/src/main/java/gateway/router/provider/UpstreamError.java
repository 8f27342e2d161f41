package gateway.router.provider;

/**
 * What a provider's error means for us: the status it answered (or 0 when there was no
 * answer), its type, code and message, and whether another route may succeed where this one failed.
 * Only the provider's own failures ({@link #countsAgainstChannel}) may open a channel's breaker.
 */
public record UpstreamError(int status, String type, String code, String message, boolean retryable) {

  /** Connection refused, reset, timeout, or a stream that broke: always worth another route. */
  public static UpstreamError transport(String message) {
    return new UpstreamError(0, "upstream_error", null, message, true);
  }

  /** Classifies a provider's HTTP status the way every adapter does. */
  public static UpstreamError fromStatus(int status, String type, String code, String message) {
    return new UpstreamError(status, type, code, message, status == 429 || status >= 500 || status == 408);
  }

  /** A 4xx other than 408/429 is about the request; the client gets it as is, and no route retries. */
  public boolean isClientError() {
    return status >= 400 && status < 500 && !retryable;
  }

  /** Failures of the provider itself: transport, 5xx, 429, and its refusal of our own credentials. */
  public boolean countsAgainstChannel() {
    return status == 0 || retryable || status == 401 || status == 403;
  }
}
