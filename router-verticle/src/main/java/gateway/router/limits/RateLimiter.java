package gateway.router.limits;

import gateway.common.GatewayError;
import gateway.common.bus.Channel;
import gateway.common.bus.Principal;
import gateway.common.bus.RateLimits;
import gateway.common.bus.Route;
import gateway.router.RouterConfig;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and token limits of keys, accounts and channels, held in Redis so they hold across every router instance.
 * A request's limits are checked and recorded in one Lua script call, atomically, for every scope (windows counted in
 * buckets: a second for the minute windows, a minute for the hour and day ones; tokens per minute taken as an
 * estimate and corrected with the real usage when the request ends; concurrency as slots under each router's lease,
 * which expires, so a crashed router leaks no slot for long).
 *
 * <p>A scope with a large limit is not asked on every request: the call that admits one request also takes ahead a
 * little more (a sixteenth of the room left at most, and at most a second's share of the limit), which this router
 * then hands out from memory ({@link ScopeAllowance}). What is taken ahead is counted in Redis from the moment it is
 * taken, so routers together never exceed a limit; it is used within a second or given back. Small limits (under 8 a
 * second; concurrency under 128) are asked of Redis on every request, exactly as before.
 *
 * <p>When Redis cannot answer in time the configured failure mode decides: {@code allow} (default: the request goes
 * on, the failure is logged and counted) or {@code deny} (503). Billing never depends on Redis.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final long LEASE_MARGIN_MS = 60_000;
  private static final long SWEEP_MS = ScopeAllowance.LIFE_MS / 2;
  private static final long FAILURE_LOG_INTERVAL_NANOS = 10_000_000_000L;
  private static final int MAX_CACHED_CHANNELS = 10_000;

  private final LimitScript admitScript;
  private final LimitScript finishScript;
  private final RouterConfig config;
  private final RateLimits keyDefaults;
  private final RateLimits accountDefaults;
  private final RateLimits channelDefaults;
  private final AtomicLong redisFailures = new AtomicLong();
  private final Allowances allowances;
  private final Map<String, ChannelScope> channelScopes = new ConcurrentHashMap<>();
  private long lastFailureLog;
  private final FinishBatcher finishes = new FinishBatcher(this::sendFinishes);
  private Vertx sweeping;
  private long sweepTimer = -1;

  public RateLimiter(RedisAPI redis, RouterConfig config) {
    this(redis, config, config.requestLifeMs() + LEASE_MARGIN_MS);
  }

  /** {@code slotLeaseMs}: how long this router's slots outlive it if it dies (longer than any request lives). */
  RateLimiter(RedisAPI redis, RouterConfig config, long slotLeaseMs) {
    this.admitScript = new LimitScript(redis, "admit.lua", config.rateLimitTimeoutMs());
    this.finishScript = new LimitScript(redis, "finish.lua", config.rateLimitTimeoutMs());
    this.config = config;
    this.keyDefaults = config.keyLimits();
    this.accountDefaults = config.accountLimits();
    this.channelDefaults = config.channelLimits();
    this.allowances = new Allowances("r" + UUID.randomUUID().toString().replace("-", ""), slotLeaseMs,
        () -> System.nanoTime() / 1_000_000);
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
    return admitScopes(requestId, mandatory, channels, tokens);
  }

  /** Takes a slot in one more channel's limits, for a request falling back to it (see {@link LimitLease#acquire}). */
  Future<Boolean> acquireChannel(String requestId, Channel channel, long tokens, List<LimitClaim> held) {
    LimitScope scope = channelScope(channel);
    if (!scope.limited()) {
      return Future.succeededFuture(true);
    }
    return admitScopes(requestId, List.of(), List.of(scope), tokens).map(admission -> {
      if (admission.admitted()) {
        held.addAll(admission.lease().claims());
      }
      return admission.admitted();
    });
  }

  /**
   * Claims what the router's allowances hold for the request and asks Redis, in one call, only for the rest; a
   * request the allowances cover entirely is admitted without a round trip.
   */
  private Future<Admission> admitScopes(String requestId, List<LimitScope> mandatory, List<LimitScope> channels,
                                        long tokens) {
    Ops ops = allowances.ops();
    List<LimitClaim> claims = new ArrayList<>(mandatory.size());
    List<LimitClaim> channelClaims = new ArrayList<>(channels.size());
    boolean local = allowances.claim(mandatory, channels, tokens, claims, channelClaims, ops);
    send(ops);
    if (local) {
      return Future.succeededFuture(admitted(requestId, tokens, claims,
          channelClaims.isEmpty() ? null : channelClaims.get(0), 0));
    }
    List<String> args = new ArrayList<>(5 + 12 * (claims.size() + channelClaims.size()));
    args.add(allowances.leaseId());
    args.add(Long.toString(allowances.leaseMs()));
    args.add(Integer.toString(claims.size()));
    claims.forEach(claim -> addGroup(args, claim.scope, claim));
    args.add(Integer.toString(channelClaims.size()));
    for (int i = 0; i < channelClaims.size(); i++) {
      addGroup(args, channels.get(i), channelClaims.get(i));
    }
    return admitScript.run(args).transform(answer -> {
      if (answer.succeeded()) {
        return Future.succeededFuture(decide(answer.result(), requestId, tokens, claims, channelClaims));
      }
      List<LimitClaim> all = new ArrayList<>(claims);
      all.addAll(channelClaims);
      allowances.refund(all);
      return redisUnavailable(answer.cause(), requestId);
    });
  }

  /** A group of admit.lua's arguments: the scope's limits, then per kind what is needed and may be taken ahead. */
  private static void addGroup(List<String> args, LimitScope scope, LimitClaim claim) {
    scope.addLimits(args);
    long needRequests = claim == null ? 0 : claim.needRequests;
    long needTokens = claim == null ? 0 : claim.needTokens;
    long needSlots = claim == null ? 0 : claim.needSlots;
    args.add(Long.toString(needRequests));
    args.add(Long.toString(needRequests > 0 ? scope.requestsAhead() : 0));
    args.add(Long.toString(needTokens));
    args.add(Long.toString(needTokens > 0 ? scope.tokensAhead() : 0));
    args.add(Long.toString(needSlots));
    args.add(Long.toString(needSlots > 0 ? scope.slotsAhead() : 0));
  }

  /**
   * Replaces the token estimates with the real count and frees the concurrency slots (see {@link LimitLease#finish}):
   * in the allowances where they can, else queued with other requests' corrections and sent with them in one script
   * call ({@link FinishBatcher}).
   */
  Future<Void> finish(List<LimitClaim> claims, long realTokens) {
    if (claims.isEmpty()) {
      return Future.succeededFuture();
    }
    Ops ops = allowances.ops();
    allowances.finish(claims, realTokens, ops);
    return send(ops);
  }

  /** Gives back, every half second, what the allowances no longer need. */
  public void startSweeping(Vertx vertx) {
    sweeping = vertx;
    sweepTimer = vertx.setPeriodic(SWEEP_MS, id -> {
      Ops ops = allowances.ops();
      allowances.sweep(ops);
      send(ops);
    });
  }

  /** Stops sweeping and gives back everything not in use; the future (never failed) says when Redis has it. */
  public Future<Void> close() {
    if (sweeping != null) {
      sweeping.cancelTimer(sweepTimer);
    }
    Ops ops = allowances.ops();
    allowances.close(ops);
    return send(ops);
  }

  private Future<Void> send(Ops ops) {
    return ops.isEmpty() ? Future.succeededFuture() : finishes.add(ops.take());
  }

  /** One batch of give-backs and corrections; a failure is counted and logged (slots then expire with the lease). */
  private Future<?> sendFinishes(List<String> args) {
    return finishScript.run(args).recover(e -> {
      noteRedisFailure(e, "(limit corrections)");
      return Future.succeededFuture();
    });
  }

  /** Loads the scripts ahead of the first request; a Redis that is down now is tried again per request. */
  public Future<Void> preload() {
    return admitScript.load().compose(v -> finishScript.load()).<Void>mapEmpty()
        .recover(failure -> {
          noteRedisFailure(failure, "(start)");
          return Future.succeededFuture();
        });
  }

  /** How often Redis could not be asked, for the metrics. */
  public long redisFailures() {
    return redisFailures.get();
  }

  /** An admitted request's lease (what it must undo at its end) and headers. */
  private Admission admitted(String requestId, long tokens, List<LimitClaim> claims, LimitClaim channel, int route) {
    List<LimitClaim> held = new ArrayList<>(claims.size() + 1);
    for (LimitClaim claim : claims) {
      if (claim.scope.needsFinish()) {
        held.add(claim);
      }
    }
    if (channel != null && channel.scope.needsFinish()) {
      held.add(channel);
    }
    return Admission.admitted(route, allowances.headers(claims), new LimitLease(this, requestId, tokens, held));
  }

  /** admit.lua's answer: takes what Redis gave into the allowances, or refunds every claim when refused. */
  private Admission decide(Response reply, String requestId, long tokens, List<LimitClaim> claims,
                           List<LimitClaim> channelClaims) {
    int verdict = reply.get(0).toInteger();
    if (verdict == 1) {
      long redisNow = reply.get(1).toLong();
      int chosen = reply.get(2).toInteger();
      List<Long> values = new ArrayList<>(reply.size() - 3);
      for (int i = 3; i < reply.size(); i++) {
        values.add(reply.get(i).toLong());
      }
      LimitClaim channel = chosen > 0 ? channelClaims.get(chosen - 1) : null;
      Ops ops = allowances.ops();
      allowances.took(claims, channel, values, redisNow, ops);
      List<LimitClaim> unchosen = new ArrayList<>(channelClaims);
      unchosen.remove(channel);
      allowances.refund(unchosen);
      send(ops);
      return admitted(requestId, tokens, claims, channel, Math.max(0, chosen - 1));
    }
    List<LimitClaim> all = new ArrayList<>(claims);
    all.addAll(channelClaims);
    allowances.refund(all);
    LimitScope full = verdict == 0 ? claims.get(reply.get(1).toInteger() - 1).scope : null;
    return Admission.full(full != null ? full.description() : "every channel serving this model",
        full != null ? full.kind() : "channel", reply.get(2).toString(), reply.get(3).toLong(), reply.get(4).toLong());
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

  /** The channel's scope, parsed once per version of its settings (the catalog replaces them when they change). */
  private LimitScope channelScope(Channel channel) {
    ChannelScope cached = channelScopes.get(channel.name());
    if (cached != null && cached.settings() == channel.settings()) {
      return cached.scope();
    }
    RateLimits limits = RateLimits.fromJson(channel.settings()).orElse(channelDefaults);
    LimitScope scope = new LimitScope("channel", config.redisPrefix() + ":c:" + channel.name(),
        "channel " + channel.name(), limits);
    if (channelScopes.size() > MAX_CACHED_CHANNELS) {
      channelScopes.clear();
    }
    channelScopes.put(channel.name(), new ChannelScope(channel.settings(), scope));
    return scope;
  }

  private record ChannelScope(Object settings, LimitScope scope) {
  }

  private String prefix(String kind, long id) {
    return config.redisPrefix() + ":" + kind + ":" + id;
  }

  private static void addIfLimited(List<LimitScope> scopes, LimitScope scope) {
    if (scope.limited()) {
      scopes.add(scope);
    }
  }

}
