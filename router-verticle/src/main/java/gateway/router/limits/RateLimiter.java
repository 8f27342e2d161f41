package gateway.router.limits;

import gateway.common.GatewayError;
import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.bus.Route;
import gateway.router.RouterConfig;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and token limits of keys, accounts and channels, held in Redis so they hold
 * across every router instance. One Lua script checks and records all limits of a request in
 * one round trip (sliding windows: exact per minute, hour and day; tokens per minute taken
 * as an estimate and corrected with the real usage when the request ends; concurrency as
 * leases that expire, so a crashed router leaks no slot for long).
 *
 * <p>Token windows are always checked in Redis, never skipped on a local view of what is left: a router may not
 * know how many limiters share a key (processes × router instances, scaled at will), and an allowance split by a
 * wrong count lets the key overshoot by that error; and the same script call is made for the other limits anyway,
 * so a skip would save only the window's commands inside it (bench/RESULTS.md, "Rate limiter, batched finishes").
 *
 * <p>When Redis cannot answer in time the configured failure mode decides: {@code allow}
 * (default: the request goes on, the failure is logged and counted) or {@code deny} (503).
 * Billing never depends on Redis.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final String ADMIT = script("admit.lua");
  private static final String FINISH = script("finish.lua");
  private static final long LEASE_MARGIN_MS = 60_000;
  private static final long FAILURE_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final RedisAPI redis;
  private final RouterConfig config;
  private final RateLimits keyDefaults;
  private final RateLimits accountDefaults;
  private final RateLimits channelDefaults;
  private final AtomicLong redisFailures = new AtomicLong();
  private long lastFailureLog;
  private String admitSha;
  private String finishSha;
  private final FinishBatcher finishes = new FinishBatcher(this::sendFinishes);

  public RateLimiter(RedisAPI redis, RouterConfig config) {
    this.redis = redis;
    this.config = config;
    this.keyDefaults = config.keyLimits();
    this.accountDefaults = config.accountLimits();
    this.channelDefaults = config.channelLimits();
  }

  /**
   * Checks the key's and account's limits and, of the candidate routes in order, finds the
   * first whose channel has room; records the request against all of them, or nothing.
   */
  public Future<Admission> admit(String requestId, Principal principal, List<Route> candidates, long tokens) {
    List<LimitScope> mandatory = new ArrayList<>();
    addIfLimited(mandatory, new LimitScope("key", prefix("k", principal.keyId()), "this API key",
        principal.keyLimits().orElse(keyDefaults)));
    addIfLimited(mandatory, new LimitScope("account", prefix("a", principal.accountId()), "this account",
        principal.accountLimits().orElse(accountDefaults)));
    List<LimitScope> channels = new ArrayList<>();
    for (Route route : candidates) {
      LimitScope scope = channelScope(route.channel());
      channels.add(scope);
      if (!scope.limited()) {
        break; // the first candidate without limits always has room
      }
    }
    if (mandatory.isEmpty() && (channels.isEmpty() || !channels.get(0).limited())) {
      return Future.succeededFuture(Admission.admitted(0, RateLimitHeaders.NONE, LimitLease.empty(this, requestId)));
    }
    List<String> args = new ArrayList<>();
    args.add(requestId);
    args.add(Long.toString(tokens));
    args.add(Long.toString(config.requestLifeMs() + LEASE_MARGIN_MS));
    args.add(Integer.toString(mandatory.size()));
    mandatory.forEach(s -> s.addArguments(args));
    args.add(Integer.toString(channels.size()));
    channels.forEach(s -> s.addArguments(args));
    return run(ADMIT, true, args)
        .map(reply -> decide(reply, requestId, tokens, mandatory, channels))
        .recover(failure -> redisUnavailable(failure, requestId));
  }

  /** Takes a slot in one more channel's limits, for a request falling back to it (see {@link LimitLease#acquire}). */
  Future<Boolean> acquireChannel(String requestId, Channel channel, long tokens, List<String> held) {
    LimitScope scope = channelScope(channel);
    if (!scope.limited()) {
      return Future.succeededFuture(true);
    }
    List<String> args = new ArrayList<>(List.of(requestId, Long.toString(tokens),
        Long.toString(config.requestLifeMs() + LEASE_MARGIN_MS), "0", "1"));
    scope.addArguments(args);
    return run(ADMIT, true, args).map(reply -> {
      boolean admitted = reply.get(0).toInteger() == 1;
      if (admitted && scope.needsFinish()) {
        held.add(scope.held());
      }
      return admitted;
    }).recover(failure -> redisUnavailable(failure, requestId).map(Admission::admitted));
  }

  /**
   * Replaces the token estimates with the real count and frees the concurrency slots (see {@link LimitLease#finish}):
   * queued with the other requests' finishes and sent with them in one script call ({@link FinishBatcher}).
   */
  Future<Void> finish(String requestId, long realTokens, List<String> held) {
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    return finishes.add(requestId, realTokens, held);
  }

  /** One batch of finishes; a failure is counted and logged, and the slots then expire with their leases. */
  private Future<?> sendFinishes(List<String> args) {
    return run(FINISH, false, args).recover(e -> {
      noteRedisFailure(e, "(finish of " + args.get(0) + " and others)");
      return Future.succeededFuture();
    });
  }

  /** Loads the scripts ahead of the first request; a Redis that is down now is tried again per request. */
  public Future<Void> preload() {
    return load(ADMIT, true).compose(v -> load(FINISH, false)).<Void>mapEmpty()
        .recover(failure -> {
          noteRedisFailure(failure, "(start)");
          return Future.succeededFuture();
        });
  }

  /** How often Redis could not be asked, for the metrics. */
  public long redisFailures() {
    return redisFailures.get();
  }

  private Admission decide(Response reply, String requestId, long tokens, List<LimitScope> mandatory,
                           List<LimitScope> channels) {
    int verdict = reply.get(0).toInteger();
    if (verdict == 1) {
      int chosen = reply.get(1).toInteger();
      RateLimitHeaders headers = new RateLimitHeaders(reply.get(2).toLong(), reply.get(3).toLong(),
          reply.get(4).toLong(), reply.get(5).toLong(), reply.get(6).toLong(), reply.get(7).toLong());
      List<String> held = new ArrayList<>();
      mandatory.stream().filter(LimitScope::needsFinish).forEach(s -> held.add(s.held()));
      if (chosen > 0 && channels.get(chosen - 1).needsFinish()) {
        held.add(channels.get(chosen - 1).held());
      }
      return Admission.admitted(Math.max(0, chosen - 1), headers, new LimitLease(this, requestId, tokens, held));
    }
    String limitName = reply.get(2).toString();
    long limit = reply.get(3).toLong();
    long retryMs = reply.get(4).toLong();
    LimitScope full = verdict == 0 ? mandatory.get(reply.get(1).toInteger() - 1) : null;
    String who = full != null ? full.description() : "every channel serving this model";
    String message = "Rate limit reached for " + who + ": " + describe(limitName, limit) + ". Retry in "
        + RateLimitHeaders.duration(retryMs) + ".";
    RateLimitHeaders headers = limitName.equals("tpm")
        ? new RateLimitHeaders(-1, -1, -1, limit, 0, retryMs)
        : new RateLimitHeaders(limitName.equals("concurrency") ? -1 : limit, 0, retryMs, -1, -1, -1);
    return Admission.refused(GatewayError.RATE_LIMITED.exception(message), full != null ? full.kind() : "channel",
        retryMs, headers);
  }

  private static String describe(String limitName, long limit) {
    return switch (limitName) {
      case "rpm" -> limit + " requests per minute";
      case "rph" -> limit + " requests per hour";
      case "rpd" -> limit + " requests per day";
      case "tpm" -> limit + " tokens per minute";
      default -> limit + " concurrent requests";
    };
  }

  private Future<Admission> redisUnavailable(Throwable failure, String requestId) {
    noteRedisFailure(failure, requestId);
    if (config.rateLimitRedisFailure() == RouterConfig.RedisFailure.DENY) {
      return Future.succeededFuture(Admission.refused(GatewayError.SERVICE_UNAVAILABLE.exception(
          "Rate limits cannot be checked right now; retry shortly."), "redis", 1000, RateLimitHeaders.NONE));
    }
    return Future.succeededFuture(Admission.admitted(0, RateLimitHeaders.NONE, LimitLease.empty(this, requestId)));
  }

  private synchronized void noteRedisFailure(Throwable failure, String requestId) {
    redisFailures.incrementAndGet();
    RouterMetrics.rateLimiterUnavailable();
    long now = System.nanoTime();
    if (now - lastFailureLog > FAILURE_LOG_INTERVAL_NANOS) {
      lastFailureLog = now;
      LOG.warn("rate limits unavailable (Redis: {}), policy '{}'; request {} and others go on that way",
          failure.getMessage(), config.rateLimitRedisFailure(), requestId);
    }
  }

  /** EVALSHA, loading the script on first use or after a Redis restart; bounded in time. */
  private Future<Response> run(String script, boolean admit, List<String> args) {
    String sha = admit ? admitSha : finishSha;
    Future<Response> call;
    if (sha == null) {
      call = load(script, admit).compose(loaded -> evalsha(loaded, args));
    } else {
      call = evalsha(sha, args).recover(failure -> failure.getMessage() != null
          && failure.getMessage().startsWith("NOSCRIPT")
          ? load(script, admit).compose(loaded -> evalsha(loaded, args))
          : Future.failedFuture(failure));
    }
    return call.timeout(config.rateLimitTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  private Future<Response> evalsha(String sha, List<String> args) {
    List<String> command = new ArrayList<>(args.size() + 2);
    command.add(sha);
    command.add("0");
    command.addAll(args);
    return redis.evalsha(command);
  }

  private Future<String> load(String script, boolean admit) {
    return redis.script(List.of("LOAD", script)).map(reply -> {
      String sha = reply.toString();
      if (admit) {
        admitSha = sha;
      } else {
        finishSha = sha;
      }
      return sha;
    });
  }

  private LimitScope channelScope(Channel channel) {
    RateLimits limits = RateLimits.fromJson(channel.settings()).orElse(channelDefaults);
    return new LimitScope("channel", config.redisPrefix() + ":c:" + channel.name(), "channel " + channel.name(),
        limits);
  }

  private String prefix(String kind, long id) {
    return config.redisPrefix() + ":" + kind + ":" + id;
  }

  private static void addIfLimited(List<LimitScope> scopes, LimitScope scope) {
    if (scope.limited()) {
      scopes.add(scope);
    }
  }

  private static String script(String name) {
    try (InputStream in = RateLimiter.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
