package gateway.router.upstream;

import gateway.router.provider.UpstreamError;

/** A call that produced no usable answer, carrying what it means for routing. */
public final class UpstreamFailure extends RuntimeException {
  private final UpstreamError error;

  public UpstreamFailure(UpstreamError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public UpstreamError error() {
    return error;
  }
}
