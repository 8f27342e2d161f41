package gateway.launcher;

import gateway.auth.AuthConfig;
import gateway.billing.BillingConfig;
import gateway.catalog.CatalogConfig;
import gateway.common.PgSettings;
import gateway.common.Role;
import gateway.common.config.Env;
import gateway.ops.ProcessConfig;
import gateway.router.RouterConfig;
import java.util.Map;

/**
 * Everything a process is configured with, read once from the environment: one record per module,
 * each reading its own variables, and what only the launcher uses. Each verticle is handed its own
 * record ({@code new BillingVerticle(config.billing())}). The README's configuration table lists
 * every variable.
 *
 * @param dataDir          {@code GATEWAY_DATA_DIR}: embedded Postgres data and the generated admin token
 * @param routerInstances  {@code GATEWAY_ROUTER_INSTANCES}: 0 for one per core
 * @param billingInstances {@code GATEWAY_BILLING_INSTANCES}: 0 for one per core
 * @param pg               the database of auth, catalog and billing (each of their records holds it too)
 */
public record GatewayConfig(ProcessConfig process, String dataDir, int routerInstances, int billingInstances,
                            ClusterConfig cluster, PgSettings pg, RouterConfig router, BillingConfig billing,
                            AuthConfig auth, CatalogConfig catalog) {

  public static GatewayConfig fromEnv(Env env) {
    return new GatewayConfig(
        ProcessConfig.fromEnv(env),
        env.string("GATEWAY_DATA_DIR", "./data"),
        env.integer("GATEWAY_ROUTER_INSTANCES", 0),
        env.integer("GATEWAY_BILLING_INSTANCES", 0),
        ClusterConfig.fromEnv(env),
        PgSettings.fromEnv(env),
        RouterConfig.fromEnv(env),
        BillingConfig.fromEnv(env),
        AuthConfig.fromEnv(env),
        CatalogConfig.fromEnv(env));
  }

  public static GatewayConfig fromEnv(Map<String, String> env) {
    return fromEnv(Env.of(env));
  }

  /** Defaults everywhere: what a process with an empty environment runs with. */
  public static GatewayConfig defaults() {
    return fromEnv(Env.empty());
  }

  public boolean has(Role role) {
    return process.has(role);
  }

  /** Whether a role of this process keeps its data in Postgres (the router: its video jobs). */
  public boolean needsPostgres() {
    return has(Role.AUTH) || has(Role.CATALOG) || has(Role.BILLING) || has(Role.ROUTER);
  }
}
