package gateway.common.config;

/**
 * How long a hold lives, which two modules must agree on: billing sweeps a hold older than this, and
 * the router ends a request early enough that its settle lands before that.
 *
 * @param maxAgeSeconds {@code GATEWAY_HOLD_MAX_AGE_SECONDS}
 */
public record HoldLife(long maxAgeSeconds) {
  /** Time a settle may still take after its request ended (retries included) before the hold could be swept. */
  private static final long SETTLE_MARGIN_MS = 120_000;

  public static HoldLife fromEnv(Env env) {
    return new HoldLife(env.integer("GATEWAY_HOLD_MAX_AGE_SECONDS", 900));
  }

  /**
   * The longest a request may live, all its routes and the wait for usage after a client left
   * included: short enough that its settle lands before the sweeper may free its hold, so a long
   * stream can never be charged against a hold that is gone.
   */
  public long requestLifeMs() {
    long holdMs = maxAgeSeconds * 1000;
    return Math.max(1_000, holdMs > 2 * SETTLE_MARGIN_MS ? holdMs - SETTLE_MARGIN_MS : holdMs / 2);
  }
}
