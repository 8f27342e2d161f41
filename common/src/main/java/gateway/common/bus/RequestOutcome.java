package gateway.common.bus;

/**
 * How a request ended, as the usage row records it. All but {@link #FAILED} are charged for what
 * was delivered; {@link #FAILED} is free.
 */
public enum RequestOutcome {
  /** The answer was delivered whole: charged the upstream's usage. */
  COMPLETED("completed"),
  /** The client went away mid-stream: the upstream call is cancelled, charged what was generated. */
  CLIENT_DISCONNECTED("client_disconnected"),
  /** The upstream failed or cut the stream after content reached the client: charged what was delivered. */
  UPSTREAM_CUT("upstream_cut"),
  /** The gateway itself failed after content reached the client (the answer could not be written): charged what was delivered. */
  GATEWAY_ERROR("gateway_error"),
  /** Nothing reached the client: free. */
  FAILED("failed");

  public final String wire;

  RequestOutcome(String wire) {
    this.wire = wire;
  }

  public static RequestOutcome fromWire(String wire) {
    for (RequestOutcome o : values()) {
      if (o.wire.equals(wire)) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown outcome " + wire);
  }
}
