package gateway.router.credit;

import gateway.common.config.Env;

/**
 * How a router spends credit leases (README, "Credit leases").
 *
 * @param enabled       {@code GATEWAY_CREDIT_LEASES}: place holds against leases (false: every hold is a Postgres row)
 * @param holdsPerLease {@code GATEWAY_LEASE_HOLDS}: a first lease is worth this many holds of the request that asked
 * @param idleSeconds   {@code GATEWAY_LEASE_IDLE_SECONDS}: a lease nothing was placed on for this long goes back
 */
public record CreditLeaseConfig(boolean enabled, int holdsPerLease, long idleSeconds) {
  static final int MIN_HOLDS = 4;

  public CreditLeaseConfig {
    if (holdsPerLease < MIN_HOLDS || idleSeconds < 1) {
      throw new IllegalArgumentException("GATEWAY_LEASE_HOLDS must be at least " + MIN_HOLDS
          + " and GATEWAY_LEASE_IDLE_SECONDS at least 1");
    }
  }

  public static CreditLeaseConfig fromEnv(Env env) {
    return new CreditLeaseConfig(env.bool("GATEWAY_CREDIT_LEASES", true), env.integer("GATEWAY_LEASE_HOLDS", 64),
        env.integer("GATEWAY_LEASE_IDLE_SECONDS", 15));
  }
}
