package gateway.common;

import gateway.common.bus.RateLimits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a process is configured with, read once from the environment by the launcher
 * and handed to each verticle as JSON. The README's configuration table lists every variable.
 *
 * @param pgUrl    Postgres URL; the launcher fills it with the embedded database's when unset
 * @param redisUrl Redis URL; the launcher fills it with the embedded Redis's when unset
 */
public record GatewayConfig(
    int httpPort,
    String httpHost,
    String pgUrl,
    int pgPoolSize,
    String redisUrl,
    String dataDir,
    String adminToken,
    String catalogPath,
    Set<Role> roles,
    boolean cluster,
    List<String> clusterMembers,
    String clusterHost,
    int clusterPort,
    String clusterDiscovery,
    String clusterKubernetesService,
    String clusterName,
    int eventBusPort,
    int routerInstances,
    int billingInstances,
    long maxBodyBytes,
    long holdMaxAgeSeconds,
    long holdSweepIntervalSeconds,
    long upstreamTimeoutSeconds,
    int defaultMaxOutputTokens,
    long authCacheSeconds,
    String redisPrefix,
    String keyLimits,
    String accountLimits,
    String channelLimits,
    String rateLimitRedisFailure,
    long rateLimitTimeoutMs,
    int breakerFailures,
    long breakerResetSeconds,
    long shutdownGraceSeconds,
    long reserveTimeoutMs,
    long usageGraceMs,
    int defaultContextTokens,
    SelfServiceConfig selfService) {

  /** Time a settle may still take after its request ended (retries included) before the hold could be swept. */
  private static final long SETTLE_MARGIN_MS = 120_000;

  public GatewayConfig {
    roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    clusterMembers = List.copyOf(clusterMembers);
    RateLimits.parse(keyLimits);
    RateLimits.parse(accountLimits);
    RateLimits.parse(channelLimits);
    if (!"allow".equals(rateLimitRedisFailure) && !"deny".equals(rateLimitRedisFailure)) {
      throw new IllegalArgumentException("GATEWAY_RATE_LIMIT_REDIS_FAILURE must be allow or deny");
    }
  }

  public static GatewayConfig fromEnv(Map<String, String> env) {
    Env e = new Env(env);
    return new GatewayConfig(
        e.integer("GATEWAY_HTTP_PORT", 8080),
        e.string("GATEWAY_HTTP_HOST", "0.0.0.0"),
        e.string("GATEWAY_PG_URL", null),
        e.integer("GATEWAY_PG_POOL_SIZE", 16),
        e.string("GATEWAY_REDIS_URL", null),
        e.string("GATEWAY_DATA_DIR", "./data"),
        e.string("GATEWAY_ADMIN_TOKEN", null),
        e.string("GATEWAY_CATALOG", null),
        Role.parseList(e.string("GATEWAY_ROLES", null)),
        Boolean.parseBoolean(e.string("GATEWAY_CLUSTER", "false")),
        e.list("GATEWAY_CLUSTER_MEMBERS"),
        e.string("GATEWAY_CLUSTER_HOST", "127.0.0.1"),
        e.integer("GATEWAY_CLUSTER_PORT", 5701),
        e.string("GATEWAY_CLUSTER_DISCOVERY", "tcp"),
        e.string("GATEWAY_CLUSTER_KUBERNETES_SERVICE", null),
        e.string("GATEWAY_CLUSTER_NAME", "llm-gateway"),
        e.integer("GATEWAY_EVENTBUS_PORT", 0),
        e.integer("GATEWAY_ROUTER_INSTANCES", 0),
        e.integer("GATEWAY_BILLING_INSTANCES", 0),
        e.integer("GATEWAY_MAX_BODY_BYTES", 20 * 1024 * 1024),
        e.integer("GATEWAY_HOLD_MAX_AGE_SECONDS", 900),
        e.integer("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", 30),
        e.integer("GATEWAY_UPSTREAM_TIMEOUT_SECONDS", 600),
        e.integer("GATEWAY_DEFAULT_MAX_OUTPUT_TOKENS", 4096),
        e.integer("GATEWAY_AUTH_CACHE_SECONDS", 30),
        e.string("GATEWAY_REDIS_PREFIX", "gw"),
        e.string("GATEWAY_KEY_LIMITS", ""),
        e.string("GATEWAY_ACCOUNT_LIMITS", ""),
        e.string("GATEWAY_CHANNEL_LIMITS", ""),
        e.string("GATEWAY_RATE_LIMIT_REDIS_FAILURE", "allow"),
        e.integer("GATEWAY_RATE_LIMIT_TIMEOUT_MS", 1000),
        e.integer("GATEWAY_BREAKER_FAILURES", 5),
        e.integer("GATEWAY_BREAKER_RESET_SECONDS", 30),
        e.integer("GATEWAY_SHUTDOWN_GRACE_SECONDS", 30),
        e.integer("GATEWAY_RESERVE_TIMEOUT_MS", 3000),
        e.integer("GATEWAY_USAGE_GRACE_MS", 5000),
        e.integer("GATEWAY_DEFAULT_CONTEXT_TOKENS", 200_000),
        SelfServiceConfig.fromEnv(env));
  }

  /** Defaults everywhere: what a process with an empty environment runs with. */
  public static GatewayConfig defaults() {
    return fromEnv(Map.of());
  }

  public GatewayConfig withPgUrl(String url) {
    return with("pg_url", url);
  }

  public GatewayConfig withRedisUrl(String url) {
    return fromJson(toJson().put("redis_url", url));
  }

  public GatewayConfig withAdminToken(String token) {
    return fromJson(toJson().put("admin_token", token));
  }

  public GatewayConfig withHttpPort(int port) {
    return fromJson(toJson().put("http_port", port));
  }

  public GatewayConfig withRoles(Set<Role> newRoles) {
    JsonArray array = new JsonArray();
    newRoles.forEach(r -> array.add(r.wire()));
    return fromJson(toJson().put("roles", array));
  }

  public GatewayConfig withCatalogPath(String path) {
    return fromJson(toJson().put("catalog_path", path));
  }

  /** Any setting by its JSON name, for tests and tools that tune one knob. */
  public GatewayConfig with(String field, Object value) {
    return fromJson(toJson().put(field, value));
  }

  /**
   * The longest a request may live, all its routes and the wait for usage after a client left
   * included: short enough that its settle lands before the sweeper may free its hold, so a long
   * stream can never be charged against a hold that is gone.
   */
  public long requestLifeMs() {
    long holdMs = holdMaxAgeSeconds * 1000;
    return Math.max(1_000, holdMs > 2 * SETTLE_MARGIN_MS ? holdMs - SETTLE_MARGIN_MS : holdMs / 2);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public JsonObject toJson() {
    JsonArray roleArray = new JsonArray();
    roles.forEach(r -> roleArray.add(r.wire()));
    return new JsonObject()
        .put("http_port", httpPort)
        .put("http_host", httpHost)
        .put("pg_url", pgUrl)
        .put("pg_pool_size", pgPoolSize)
        .put("redis_url", redisUrl)
        .put("data_dir", dataDir)
        .put("admin_token", adminToken)
        .put("catalog_path", catalogPath)
        .put("roles", roleArray)
        .put("cluster", cluster)
        .put("cluster_members", new JsonArray(clusterMembers))
        .put("cluster_host", clusterHost)
        .put("cluster_port", clusterPort)
        .put("cluster_discovery", clusterDiscovery)
        .put("cluster_kubernetes_service", clusterKubernetesService)
        .put("cluster_name", clusterName)
        .put("eventbus_port", eventBusPort)
        .put("router_instances", routerInstances)
        .put("billing_instances", billingInstances)
        .put("max_body_bytes", maxBodyBytes)
        .put("hold_max_age_seconds", holdMaxAgeSeconds)
        .put("hold_sweep_interval_seconds", holdSweepIntervalSeconds)
        .put("upstream_timeout_seconds", upstreamTimeoutSeconds)
        .put("default_max_output_tokens", defaultMaxOutputTokens)
        .put("auth_cache_seconds", authCacheSeconds)
        .put("redis_prefix", redisPrefix)
        .put("key_limits", keyLimits)
        .put("account_limits", accountLimits)
        .put("channel_limits", channelLimits)
        .put("rate_limit_redis_failure", rateLimitRedisFailure)
        .put("rate_limit_timeout_ms", rateLimitTimeoutMs)
        .put("breaker_failures", breakerFailures)
        .put("breaker_reset_seconds", breakerResetSeconds)
        .put("shutdown_grace_seconds", shutdownGraceSeconds)
        .put("reserve_timeout_ms", reserveTimeoutMs)
        .put("usage_grace_ms", usageGraceMs)
        .put("default_context_tokens", defaultContextTokens)
        .mergeIn(selfService.toJson());
  }

  public static GatewayConfig fromJson(JsonObject json) {
    GatewayConfig d = defaults();
    List<String> members = new ArrayList<>();
    json.getJsonArray("cluster_members", new JsonArray()).forEach(m -> members.add((String) m));
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    JsonArray roleArray = json.getJsonArray("roles");
    if (roleArray == null) {
      roles.addAll(d.roles);
    } else {
      roleArray.forEach(r -> roles.add(Role.valueOf(((String) r).toUpperCase(java.util.Locale.ROOT))));
    }
    return new GatewayConfig(
        json.getInteger("http_port", d.httpPort),
        json.getString("http_host", d.httpHost),
        json.getString("pg_url"),
        json.getInteger("pg_pool_size", d.pgPoolSize),
        json.getString("redis_url"),
        json.getString("data_dir", d.dataDir),
        json.getString("admin_token"),
        json.getString("catalog_path"),
        roles,
        json.getBoolean("cluster", d.cluster),
        members,
        json.getString("cluster_host", d.clusterHost),
        json.getInteger("cluster_port", d.clusterPort),
        json.getString("cluster_discovery", d.clusterDiscovery),
        json.getString("cluster_kubernetes_service"),
        json.getString("cluster_name", d.clusterName),
        json.getInteger("eventbus_port", d.eventBusPort),
        json.getInteger("router_instances", d.routerInstances),
        json.getInteger("billing_instances", d.billingInstances),
        json.getLong("max_body_bytes", d.maxBodyBytes),
        json.getLong("hold_max_age_seconds", d.holdMaxAgeSeconds),
        json.getLong("hold_sweep_interval_seconds", d.holdSweepIntervalSeconds),
        json.getLong("upstream_timeout_seconds", d.upstreamTimeoutSeconds),
        json.getInteger("default_max_output_tokens", d.defaultMaxOutputTokens),
        json.getLong("auth_cache_seconds", d.authCacheSeconds),
        json.getString("redis_prefix", d.redisPrefix),
        json.getString("key_limits", d.keyLimits),
        json.getString("account_limits", d.accountLimits),
        json.getString("channel_limits", d.channelLimits),
        json.getString("rate_limit_redis_failure", d.rateLimitRedisFailure),
        json.getLong("rate_limit_timeout_ms", d.rateLimitTimeoutMs),
        json.getInteger("breaker_failures", d.breakerFailures),
        json.getLong("breaker_reset_seconds", d.breakerResetSeconds),
        json.getLong("shutdown_grace_seconds", d.shutdownGraceSeconds),
        json.getLong("reserve_timeout_ms", d.reserveTimeoutMs),
        json.getLong("usage_grace_ms", d.usageGraceMs),
        json.getInteger("default_context_tokens", d.defaultContextTokens),
        SelfServiceConfig.fromJson(json, d.selfService));
  }

  /** Reads typed values and names the variable when one is malformed. */
  private record Env(Map<String, String> env) {
    String string(String name, String fallback) {
      String value = env.get(name);
      return value == null || value.isBlank() ? fallback : value.trim();
    }

    int integer(String name, int fallback) {
      String value = string(name, null);
      if (value == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
      }
    }

    List<String> list(String name) {
      String value = string(name, null);
      List<String> items = new ArrayList<>();
      if (value != null) {
        for (String part : value.split(",")) {
          if (!part.isBlank()) {
            items.add(part.trim());
          }
        }
      }
      return items;
    }
  }
}
