package gateway.router.limits;

import gateway.router.RouterConfig;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls per key and minute on an endpoint that costs the customer nothing but costs the gateway work
 * ({@code count_tokens}): a fixed one-minute window per key in Redis, counted and given its expiry in one script,
 * so every router shares it. Separate from the key's own limits on purpose: those are often unset, and a free call
 * should not eat into the requests a key pays for. When Redis cannot answer, {@code GATEWAY_RATE_LIMIT_REDIS_FAILURE}
 * decides, as for every other limit.
 */
public final class FreeCallLimit {
  private static final Logger LOG = LoggerFactory.getLogger(FreeCallLimit.class);
  private static final long WINDOW_MS = 60_000;
  private static final long FAILURE_LOG_INTERVAL_NANOS = 10_000_000_000L;
  private static final String COUNT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return {n, redis.call('PTTL', KEYS[1])}""";

  private final RedisAPI redis;
  private final RouterConfig config;
  private final int perMinute;
  private long lastFailureLog = System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS;

  public FreeCallLimit(RedisAPI redis, RouterConfig config, int perMinute) {
    this.redis = redis;
    this.config = config;
    this.perMinute = perMinute;
  }

  /** What the per-key window says about one more call; {@code unavailable} when Redis could not say and the policy denies. */
  public record Verdict(boolean allowed, boolean unavailable, int limit, long retryAfterMs) {
  }

  /** Counts one call of {@code endpoint} by {@code keyId}; a limit of 0 lets every call through uncounted. */
  public Future<Verdict> count(String endpoint, long keyId) {
    if (perMinute == 0) {
      return Future.succeededFuture(new Verdict(true, false, 0, 0));
    }
    String key = config.redisPrefix() + ":free:" + endpoint + ":" + keyId;
    return redis.eval(List.of(COUNT, "1", key, Long.toString(WINDOW_MS)))
        .timeout(config.rateLimitTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(reply -> {
          long calls = reply.get(0).toLong();
          long ttl = Math.max(reply.get(1).toLong(), 1);
          return new Verdict(calls <= perMinute, false, perMinute, calls <= perMinute ? 0 : ttl);
        })
        .recover(failure -> {
          RouterMetrics.rateLimiterUnavailable();
          long now = System.nanoTime();
          if (now - lastFailureLog > FAILURE_LOG_INTERVAL_NANOS) {
            lastFailureLog = now;
            LOG.warn("free-call limit of {} unavailable (Redis: {}), policy '{}'", endpoint, failure.getMessage(),
                config.rateLimitRedisFailure());
          }
          boolean allow = config.rateLimitRedisFailure() == RouterConfig.RedisFailure.ALLOW;
          return Future.succeededFuture(new Verdict(allow, !allow, perMinute, 1000));
        });
  }
}
