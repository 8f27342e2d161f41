package gateway.ops;

import gateway.common.Role;
import gateway.common.config.Env;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a process is and where it answers its orchestrator and its scraper: the roles it runs (which
 * {@code /health/ready} checks), its HTTP listener ({@code /health/*}; the API too where the router
 * runs) and its Prometheus listener.
 *
 * @param roles        {@code GATEWAY_ROLES}; every role when unset
 * @param metricsPort  {@code GATEWAY_METRICS_PORT}: port of {@code /metrics} (0: none); the HTTP
 *                     port only with a token
 * @param metricsToken {@code GATEWAY_METRICS_TOKEN}: bearer token {@code /metrics} requires, when set
 * @param vertxMetrics {@code GATEWAY_VERTX_METRICS}: which of Vert.x's own meter families are kept
 */
public record ProcessConfig(Set<Role> roles, String httpHost, int httpPort, int metricsPort, String metricsToken,
                            Set<VertxMetricFamily> vertxMetrics) {

  public ProcessConfig(Set<Role> roles, String httpHost, int httpPort, int metricsPort, String metricsToken) {
    this(roles, httpHost, httpPort, metricsPort, metricsToken, VertxMetricFamily.DEFAULT);
  }

  public ProcessConfig {
    roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    vertxMetrics = vertxMetrics.isEmpty() ? EnumSet.noneOf(VertxMetricFamily.class) : EnumSet.copyOf(vertxMetrics);
    if (metricsPort == httpPort && (metricsToken == null || metricsToken.isBlank())) {
      throw new IllegalArgumentException("GATEWAY_METRICS_PORT is the public HTTP port: set GATEWAY_METRICS_TOKEN too,"
          + " or give metrics a port of their own");
    }
  }

  public static ProcessConfig fromEnv(Env env) {
    return new ProcessConfig(
        Role.parseList(env.string("GATEWAY_ROLES", null)),
        env.string("GATEWAY_HTTP_HOST", "0.0.0.0"),
        env.integer("GATEWAY_HTTP_PORT", 8080),
        env.integer("GATEWAY_METRICS_PORT", 9464),
        env.string("GATEWAY_METRICS_TOKEN", null),
        VertxMetricFamily.parseList(env.string("GATEWAY_VERTX_METRICS", null)));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** {@code /metrics} is served beside the API on the HTTP port (only with a token). */
  public boolean metricsOnHttpPort() {
    return metricsPort == httpPort;
  }

  /** {@code /metrics} has a listener of its own. */
  public boolean metricsOnOwnPort() {
    return metricsPort > 0 && metricsPort != httpPort;
  }
}
