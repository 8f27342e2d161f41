package gateway.common;

import gateway.common.config.Env;

/**
 * The Postgres every module with a schema of its own uses (auth, catalog, billing): one database,
 * a pool per module and verticle instance.
 *
 * @param url      {@code GATEWAY_PG_URL}; null when unset (the launcher then starts an embedded
 *                 database and fills it in)
 * @param poolSize {@code GATEWAY_PG_POOL_SIZE}: connections of each pool
 */
public record PgSettings(String url, int poolSize) {

  public static PgSettings fromEnv(Env env) {
    return new PgSettings(env.string("GATEWAY_PG_URL", null), env.integer("GATEWAY_PG_POOL_SIZE", 16));
  }
}
