package gateway.router.provider;

/**
 * What a provider's error means for us: the status it answered (or 0 when there was no
 * answer), its type, code and message, and whether another route may succeed where this
 * one failed. Only the provider's own failures ({@link #countsAgainstChannel}) may open a
 * channel's breaker; a request the provider found wrong goes back to the client as is.
 */
public record UpstreamError(int status, String type, String code, String message, boolean retryable,
                            boolean channelFault) {

  /** An error whose blame follows from its status: {@link #fromStatus}'s rule. */
  public UpstreamError(int status, String type, String code, String message, boolean retryable) {
    this(status, type, code, message, retryable, retryable && status != 404);
  }

  /** Connection refused, reset, timeout, or a stream that broke: always worth another route. */
  public static UpstreamError transport(String message) {
    return new UpstreamError(0, "upstream_error", null, message, true);
  }

  /**
   * Classifies a provider's HTTP status the way every adapter does: 5xx, 429 and 408 are the
   * provider's trouble; 401 and 403 mean our channel's own credentials failed and 404 that the
   * route names a model the provider lacks, so another route may still serve.
   */
  public static UpstreamError fromStatus(int status, String type, String code, String message) {
    boolean retryable = status >= 500 || status == 429 || status == 408 || status == 401 || status == 403
        || status == 404;
    return new UpstreamError(status, type, code, message, retryable);
  }

  /** The request itself is wrong (400, 413, 422, ...): the client gets it, and no route retries. */
  public boolean isClientError() {
    return status >= 400 && status < 500 && !retryable;
  }

  /**
   * A request that ran out of its own time budget: the client asked for more than fits, which is
   * no fault of the channel (five long requests must not open a breaker for every tenant).
   */
  public static UpstreamError requestTimeout(String message) {
    return new UpstreamError(0, "upstream_error", null, message, true, false);
  }

  /** Failures of the provider itself: transport, 5xx, 429, 408 and refusal of our credentials. */
  public boolean countsAgainstChannel() {
    return channelFault;
  }
}
