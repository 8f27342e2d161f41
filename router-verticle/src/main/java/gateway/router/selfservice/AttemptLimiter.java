package gateway.router.selfservice;

import gateway.common.GatewayError;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts guesses (logins, redemptions, sign-ups) in Redis, so the count holds across every router.
 * An attempt is counted before it is judged, atomically for all its counters in one script, so a
 * burst of parallel guesses cannot slip past a check none of them has recorded yet; an attempt that
 * succeeds is given back. A counter at its limit refuses with 429 and {@code Retry-After} until its
 * window ends. Redis unreachable refuses too (503): these counters are what stands between a
 * password and a guessing script.
 */
public final class AttemptLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptLimiter.class);
  private static final long REDIS_TIMEOUT_MS = 2000;

  /** KEYS: counters; ARGV[1]: window seconds, ARGV[2..]: each counter's limit. → 0, or seconds to wait. */
  private static final String TAKE = """
      for i, key in ipairs(KEYS) do
        local used = tonumber(redis.call('GET', key) or '0')
        if used >= tonumber(ARGV[i + 1]) then
          local ttl = redis.call('TTL', key)
          if ttl < 1 then ttl = tonumber(ARGV[1]) end
          return ttl
        end
      end
      for _, key in ipairs(KEYS) do
        if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
      end
      return 0""";

  /** KEYS: counters to give one attempt back to (never below zero). */
  private static final String GIVE_BACK = """
      for _, key in ipairs(KEYS) do
        if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
      end
      return 0""";

  /** One counter: its Redis key and how many attempts it allows per window. */
  public record Counter(String key, int limit) {
  }

  private final RedisAPI redis;
  private final String prefix;
  private final long windowSeconds;

  public AttemptLimiter(RedisAPI redis, String prefix, long windowSeconds) {
    this.redis = redis;
    this.prefix = prefix;
    this.windowSeconds = windowSeconds;
  }

  /** A counter named {@code <prefix>:<kind>:<subject>}. */
  public Counter counter(String kind, String subject, int limit) {
    return new Counter(prefix + ":" + kind + ":" + subject, limit);
  }

  /** Counts one attempt on every counter, or fails with 429 when any is spent (counting nothing). */
  public Future<Void> take(String what, List<Counter> counters) {
    List<String> args = new ArrayList<>();
    args.add(TAKE);
    args.add(Integer.toString(counters.size()));
    counters.forEach(c -> args.add(c.key()));
    args.add(Long.toString(windowSeconds));
    counters.forEach(c -> args.add(Integer.toString(c.limit())));
    return redis.eval(args).timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(failure -> {
          LOG.error("attempt counters unreachable; refusing {}", what, failure);
          return Future.failedFuture(GatewayError.SERVICE_UNAVAILABLE.exception());
        })
        .compose(reply -> {
          long wait = reply.toLong();
          if (wait > 0) {
            return Future.failedFuture(new LockedOut(what, wait));
          }
          return Future.succeededFuture();
        });
  }

  /** Gives the attempt back to these counters (it succeeded). */
  public Future<Void> giveBack(List<Counter> counters) {
    return run(GIVE_BACK, counters);
  }

  /** Forgets every attempt these counters hold (e.g. an email after its correct password). */
  public Future<Void> clear(List<Counter> counters) {
    if (counters.isEmpty()) {
      return Future.succeededFuture();
    }
    return redis.del(counters.stream().map(Counter::key).toList()).<Void>mapEmpty()
        .onFailure(e -> LOG.warn("could not clear attempt counters", e));
  }

  private Future<Void> run(String script, List<Counter> counters) {
    List<String> args = new ArrayList<>();
    args.add(script);
    args.add(Integer.toString(counters.size()));
    counters.forEach(c -> args.add(c.key()));
    return redis.eval(args).<Void>mapEmpty().onFailure(e -> LOG.warn("could not update attempt counters", e));
  }

  /** Too many attempts: 429 with the seconds until the window ends. */
  public static final class LockedOut extends RuntimeException {
    private final long retryAfterSeconds;

    LockedOut(String what, long retryAfterSeconds) {
      super("Too many " + what + " attempts: retry in " + retryAfterSeconds + " seconds.", null, false, false);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
