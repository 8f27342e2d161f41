package gateway.router.provider;

/**
 * What a provider's error means for us: the status it answered (or 0 when there was no
 * answer), its type, code and message, and whether another route may succeed where this
 * one failed. Only the provider's own failures ({@link #countsAgainstChannel}) may open a
 * channel's breaker; a request the provider found wrong goes back to the client, in our words
 * around the provider's code and {@link #clientMessage() sanitised message}.
 *
 * @param channelFault whether the failure counts against the channel's breaker
 * @param message    the whole reason, for the server's log and the usage row: credentials are
 *                   redacted on construction, hosts and ports are kept
 * @param clientText what the client is told, when it is not the sanitised {@code message}
 *                   (a transport failure's own words, without the address it failed on)
 */
public record UpstreamError(int status, String type, String code, String message, boolean retryable,
                            boolean channelFault, String clientText) {

  public UpstreamError {
    message = UpstreamErrorText.redactSecrets(message);
  }

  /** An error whose blame follows from its status ({@link #fromStatus}'s rule), told to the client as its message. */
  public UpstreamError(int status, String type, String code, String message, boolean retryable) {
    this(status, type, code, message, retryable, retryable && status != 404, null);
  }

  /** Like the above, told to the client in {@code clientText}. */
  public UpstreamError(int status, String type, String code, String message, boolean retryable, String clientText) {
    this(status, type, code, message, retryable, retryable && status != 404, clientText);
  }

  /** Connection refused, reset, timeout, or a stream that broke: always worth another route. */
  public static UpstreamError transport(String message) {
    return new UpstreamError(0, "upstream_error", null, message, true);
  }

  /** A transport failure told to the client as {@code clientText}, its {@code detail} logged only. */
  public static UpstreamError transport(String clientText, String detail) {
    return new UpstreamError(0, "upstream_error", null, clientText + ": " + detail, true, clientText);
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
    return new UpstreamError(0, "upstream_error", null, message, true, false, null);
  }

  /** Failures of the provider itself: transport, 5xx, 429, 408 and refusal of our credentials. */
  public boolean countsAgainstChannel() {
    return channelFault;
  }

  /**
   * The reason as a client may read it: no credential, URL, host, IP address, port or Java class
   * name, and at most {@link UpstreamErrorText#MAX_CLIENT_CHARS} characters.
   */
  public String clientMessage() {
    return UpstreamErrorText.forClient(clientText != null ? clientText : message);
  }
}
