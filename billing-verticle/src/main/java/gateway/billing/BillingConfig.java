package gateway.billing;

import gateway.common.PgSettings;
import gateway.common.config.Env;
import gateway.common.config.HoldLife;

/**
 * What the billing module is configured with.
 *
 * @param holds                    how old a hold may grow before the sweeper releases it
 * @param holdSweepIntervalSeconds {@code GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS}: how often the sweeper
 *                                 (and voucher expiry) runs
 */
public record BillingConfig(PgSettings pg, HoldLife holds, long holdSweepIntervalSeconds) {

  public static BillingConfig fromEnv(Env env) {
    return new BillingConfig(PgSettings.fromEnv(env), HoldLife.fromEnv(env),
        env.integer("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 30));
  }
}
