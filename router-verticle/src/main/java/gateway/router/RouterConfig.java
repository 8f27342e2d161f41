package gateway.router;

import gateway.media.storage.MediaStorageConfig;
import gateway.router.selfservice.SelfServiceConfig;
import gateway.router.videos.VideoJobsConfig;
import gateway.router.credit.CreditLeaseConfig;
import gateway.router.edge.TrustedProxies;

import gateway.common.bus.RateLimits;
import gateway.common.config.Env;
import gateway.common.config.HoldLife;
import gateway.ops.ProcessConfig;

/**
 * What the router is configured with, read from the environment by {@link #fromEnv} (the README's
 * configuration table names each variable and its default). A new setting is a component here and a
 * line in {@link #fromEnv}, plus its row in the README.
 *
 * @param process              roles, HTTP listener and metrics of the process the router runs in
 * @param redisUrl             {@code GATEWAY_REDIS_URL}; null when unset (the launcher then starts an
 *                             embedded Redis and fills it in)
 * @param redisPrefix          {@code GATEWAY_REDIS_PREFIX}: the prefix of every key the router writes
 * @param holds                how long a hold lives: a request ends early enough to settle before
 * @param keyLimits            {@code GATEWAY_KEY_LIMITS}: limits of a key that sets none
 * @param rateLimitRedisFailure {@code GATEWAY_RATE_LIMIT_REDIS_FAILURE}: what a limit does while Redis cannot answer
 * @param maxUnansweredSettles {@code GATEWAY_MAX_UNANSWERED_SETTLES}: per router instance, the settles and releases
 *                             billing has not answered yet beyond which new paid requests are refused with 503
 * @param usageGraceMs         {@code GATEWAY_USAGE_GRACE_MS}: how long a stream whose client left waits for usage
 * @param http2Cleartext       {@code GATEWAY_HTTP2_CLEARTEXT}: accept h2c upgrades
 * @param trustedProxies       {@code GATEWAY_TRUSTED_PROXIES}: peers whose {@code X-Forwarded-For} and
 *                             {@code X-Forwarded-Proto} name the client and its scheme
 * @param selfService          users, sessions and the self-service API
 * @param media                where generated images and videos are stored and served from
 * @param videos               video jobs: their database, polling and timeout
 * @param leases               credit leases: holds placed in memory against a slice of an account's cash
 */
public record RouterConfig(
    ProcessConfig process,
    String redisUrl,
    String redisPrefix,
    HoldLife holds,
    long maxBodyBytes,
    long upstreamTimeoutSeconds,
    int defaultMaxOutputTokens,
    int defaultContextTokens,
    long authCacheSeconds,
    RateLimits keyLimits,
    RateLimits accountLimits,
    RateLimits channelLimits,
    RedisFailure rateLimitRedisFailure,
    long rateLimitTimeoutMs,
    int breakerFailures,
    long breakerResetSeconds,
    long shutdownGraceSeconds,
    long reserveTimeoutMs,
    int maxUnansweredSettles,
    long usageGraceMs,
    long headerTimeoutSeconds,
    long bodyTimeoutSeconds,
    long keepAliveTimeoutSeconds,
    int maxConnections,
    long maxBodyBytesInFlight,
    long countTokensMaxBodyBytes,
    int countTokensPerMinute,
    boolean http2Cleartext,
    TrustedProxies trustedProxies,
    SelfServiceConfig selfService,
    MediaStorageConfig media,
    VideoJobsConfig videos,
    CreditLeaseConfig leases) {

  /** What a rate limit does while Redis cannot answer in time (Envoy's {@code failure_mode_deny}). */
  public enum RedisFailure implements Env.Choice {
    /** The request goes on; the failure is logged and counted. */
    ALLOW,
    /** The request is refused with 503. */
    DENY;

    @Override
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
      return wire();
    }
  }

  public RouterConfig {
    if (headerTimeoutSeconds < 1 || bodyTimeoutSeconds < 1 || keepAliveTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "GATEWAY_HEADER_TIMEOUT_SECONDS, GATEWAY_BODY_TIMEOUT_SECONDS and GATEWAY_KEEP_ALIVE_TIMEOUT_SECONDS must be at least 1");
    }
    if (maxConnections < 1 || maxBodyBytesInFlight < 1 || countTokensMaxBodyBytes < 1 || countTokensPerMinute < 0) {
      throw new IllegalArgumentException("GATEWAY_MAX_CONNECTIONS, GATEWAY_MAX_BODY_BYTES_IN_FLIGHT and "
          + "GATEWAY_COUNT_TOKENS_MAX_BODY_BYTES must be positive, GATEWAY_COUNT_TOKENS_PER_MINUTE at least 0");
    }
    if (maxUnansweredSettles < 1) {
      throw new IllegalArgumentException("GATEWAY_MAX_UNANSWERED_SETTLES must be at least 1");
    }
    if (maxBodyBytesInFlight < maxBodyBytes) {
      throw new IllegalArgumentException(
          "GATEWAY_MAX_BODY_BYTES_IN_FLIGHT must hold at least one body of GATEWAY_MAX_BODY_BYTES");
    }
  }

  public static RouterConfig fromEnv(Env env) {
    return new RouterConfig(
        ProcessConfig.fromEnv(env),
        env.string("GATEWAY_REDIS_URL", null),
        env.string("GATEWAY_REDIS_PREFIX", "gw"),
        HoldLife.fromEnv(env),
        env.integer("GATEWAY_MAX_BODY_BYTES", 20 * 1024 * 1024),
        env.integer("GATEWAY_UPSTREAM_TIMEOUT_SECONDS", 600),
        env.integer("GATEWAY_DEFAULT_MAX_OUTPUT_TOKENS", 4096),
        env.integer("GATEWAY_DEFAULT_CONTEXT_TOKENS", 200_000),
        env.integer("GATEWAY_AUTH_CACHE_SECONDS", 30),
        env.parsed("GATEWAY_KEY_LIMITS", "", RateLimits::parse),
        env.parsed("GATEWAY_ACCOUNT_LIMITS", "", RateLimits::parse),
        env.parsed("GATEWAY_CHANNEL_LIMITS", "", RateLimits::parse),
        env.choice("GATEWAY_RATE_LIMIT_REDIS_FAILURE", RedisFailure.ALLOW),
        env.integer("GATEWAY_RATE_LIMIT_TIMEOUT_MS", 1000),
        env.integer("GATEWAY_BREAKER_FAILURES", 5),
        env.integer("GATEWAY_BREAKER_RESET_SECONDS", 30),
        env.integer("GATEWAY_SHUTDOWN_GRACE_SECONDS", 30),
        env.integer("GATEWAY_RESERVE_TIMEOUT_MS", 3000),
        env.integer("GATEWAY_MAX_UNANSWERED_SETTLES", 20_000),
        env.integer("GATEWAY_USAGE_GRACE_MS", 5000),
        env.integer("GATEWAY_HEADER_TIMEOUT_SECONDS", 20),
        env.integer("GATEWAY_BODY_TIMEOUT_SECONDS", 120),
        env.integer("GATEWAY_KEEP_ALIVE_TIMEOUT_SECONDS", 60),
        env.integer("GATEWAY_MAX_CONNECTIONS", 10_000),
        env.integer("GATEWAY_MAX_BODY_BYTES_IN_FLIGHT", 256 * 1024 * 1024),
        env.integer("GATEWAY_COUNT_TOKENS_MAX_BODY_BYTES", 4 * 1024 * 1024),
        env.integer("GATEWAY_COUNT_TOKENS_PER_MINUTE", 300),
        env.bool("GATEWAY_HTTP2_CLEARTEXT", false),
        env.parsed("GATEWAY_TRUSTED_PROXIES", "", TrustedProxies::parse),
        SelfServiceConfig.fromEnv(env),
        MediaStorageConfig.fromEnv(env.asMap()),
        VideoJobsConfig.fromEnv(env),
        CreditLeaseConfig.fromEnv(env));
  }

  /**
   * The longest a request may live, all its routes and the wait for usage after a client left
   * included: see {@link HoldLife#requestLifeMs}.
   */
  public long requestLifeMs() {
    return holds.requestLifeMs();
  }
}
