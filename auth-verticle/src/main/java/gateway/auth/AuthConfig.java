package gateway.auth;

import gateway.common.PgSettings;
import gateway.common.config.Env;

/**
 * What the auth module is configured with.
 *
 * @param adminToken {@code GATEWAY_ADMIN_TOKEN}; null when unset (the launcher then loads or creates
 *                   one in the data directory and fills it in)
 */
public record AuthConfig(PgSettings pg, String adminToken) {

  public static AuthConfig fromEnv(Env env) {
    return new AuthConfig(PgSettings.fromEnv(env), env.string("GATEWAY_ADMIN_TOKEN", null));
  }
}
