package gateway.router.media;

import gateway.router.provider.UpstreamError;

/**
 * A 2xx answer a media mapper could not read (not the documented shape): it carries the {@link UpstreamError}
 * the exchange should treat it as, so nothing is charged for an answer that delivered nothing usable.
 */
public final class UnreadableAnswerException extends RuntimeException {

  private final transient UpstreamError error;

  public UnreadableAnswerException(UpstreamError error) {
    super(error.message());
    this.error = error;
  }

  public UpstreamError error() {
    return error;
  }
}
