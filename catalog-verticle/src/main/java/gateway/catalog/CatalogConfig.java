package gateway.catalog;

import gateway.common.PgSettings;
import gateway.common.config.Env;

/**
 * What the catalog module is configured with.
 *
 * @param catalogPath {@code GATEWAY_CATALOG}: a catalog file applied at start, or null for none
 */
public record CatalogConfig(PgSettings pg, String catalogPath) {

  public static CatalogConfig fromEnv(Env env) {
    return new CatalogConfig(PgSettings.fromEnv(env), env.string("GATEWAY_CATALOG", null));
  }
}
