package gateway.common.bus;

/** Events between router instances. */
public final class RouterBus {
  /**
   * Published {channel, state, reset_ms, origin} when a channel's circuit breaker opens, half-opens or
   * closes on one router instance, so every other instance follows within the publish latency
   * instead of after its own run of failures. {@code state} is {@code open} or {@code closed}.
   */
  public static final String BREAKER_CHANGED = "router.breaker.changed";

  private RouterBus() {
  }
}
