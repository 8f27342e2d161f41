package gateway.router.observe;

import gateway.common.bus.RequestOutcome;
import gateway.common.money.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the router counts, on Micrometer's global registry (the launcher plugs Prometheus into
 * it; without one every meter is a no-op). Labels are bounded: models by catalog alias,
 * channels by name, never anything a client can invent.
 */
public final class RouterMetrics {
  private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
  private static final Map<String, Integer> BREAKER_STATES = new ConcurrentHashMap<>();
  private static final Map<RequestLabels, RequestMeters> REQUEST_METERS = new ConcurrentHashMap<>();
  private static final Map<String, Counter> ATTEMPTS = new ConcurrentHashMap<>();
  private static final Map<String, Timer> BUS_REPLIES = new ConcurrentHashMap<>();
  private static final Duration[] LATENCY_SLOS = {
      Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

  private RouterMetrics() {
  }

  /**
   * One finished request: its status, outcome, latency, tokens and cost. The meters of one label set are
   * looked up once and kept (the registry's own lookup builds tags and hashes them on every call, which
   * showed in the benchmark's profile); label sets are bounded, so the cache is too.
   */
  public static void requestFinished(String model, String channel, int status, RequestOutcome outcome,
                                     long latencyNanos, Usage usage, long costMicros) {
    String channelTag = channel == null ? "none" : channel;
    RequestMeters meters = REQUEST_METERS.computeIfAbsent(new RequestLabels(model, channelTag, status, outcome),
        RequestMeters::register);
    meters.requests.increment();
    meters.duration.record(latencyNanos, TimeUnit.NANOSECONDS);
    add(meters.input, usage.inputTokens());
    add(meters.cacheRead, usage.cacheReadTokens());
    add(meters.cacheWrite, usage.cacheWriteTokens());
    add(meters.output, usage.outputTokens());
    meters.cost.increment(costMicros);
  }

  private static void add(Counter counter, long count) {
    if (count > 0) {
      counter.increment(count);
    }
  }

  private record RequestLabels(String model, String channel, int status, RequestOutcome outcome) {
  }

  private record RequestMeters(Counter requests, Timer duration, Counter input, Counter cacheRead,
                               Counter cacheWrite, Counter output, Counter cost) {
    static RequestMeters register(RequestLabels labels) {
      String statusTag = Integer.toString(labels.status());
      return new RequestMeters(
          Counter.builder("gateway.requests").description("chat-shaped requests that reached an upstream route")
              .tags("model", labels.model(), "channel", labels.channel(), "status", statusTag,
                  "outcome", labels.outcome().wire)
              .register(REGISTRY),
          Timer.builder("gateway.request.duration").description("time from request to its last byte")
              .tags("model", labels.model(), "channel", labels.channel(), "status", statusTag)
              .serviceLevelObjectives(LATENCY_SLOS)
              .register(REGISTRY),
          tokens(labels, "input"), tokens(labels, "cache_read"), tokens(labels, "cache_write"),
          tokens(labels, "output"),
          Counter.builder("gateway.cost.micros").description("micro-credits priced, before balance caps")
              .tags("model", labels.model(), "channel", labels.channel()).register(REGISTRY));
    }

    private static Counter tokens(RequestLabels labels, String kind) {
      return Counter.builder("gateway.tokens").tags("model", labels.model(), "channel", labels.channel(), "kind", kind)
          .register(REGISTRY);
    }
  }

  /** One call to a provider: {@code ok}, {@code failed} (counted against the channel) or {@code rejected} (the request's fault). */
  public static void upstreamAttempt(String channel, String result) {
    ATTEMPTS.computeIfAbsent(channel + '\u0000' + result, k -> Counter.builder("gateway.upstream.attempts")
        .tags("channel", channel, "result", result).register(REGISTRY)).increment();
  }

  /** A 429 the gateway gave, by the scope whose limit was full. */
  public static void rateLimitRefused(String scope) {
    Counter.builder("gateway.ratelimit.refusals").tags("scope", scope).register(REGISTRY).increment();
  }

  public static void rateLimiterUnavailable() {
    Counter.builder("gateway.ratelimit.redis.failures").register(REGISTRY).increment();
  }

  /** A breaker's state as this process last saw it: 0 closed, 1 half-open, 2 open. */
  public static void breakerState(String channel, int state) {
    if (BREAKER_STATES.put(channel, state) == null) {
      Gauge.builder("gateway.breaker.state", BREAKER_STATES, states -> states.getOrDefault(channel, 0))
          .tags("channel", channel).register(REGISTRY);
    }
  }

  /** A settle or release that failed on every retry: a charge lost (or a hold left to the sweeper). Alert on it. */
  public static void settleFailed(String address) {
    Counter.builder("gateway.settle.failures").description("settles and releases that failed on every retry")
        .tags("address", address).register(REGISTRY).increment();
  }

  /** A paid request refused with 503 because billing has too many of this router's settles unanswered. */
  public static void ledgerBehind() {
    Counter.builder("gateway.ledger.behind.refusals")
        .description("requests refused while billing was too far behind on recording charges")
        .register(REGISTRY).increment();
  }

  /** Time from an event-bus request to its reply, as the router saw it. */
  public static void busReply(String address, boolean ok, long nanos) {
    BUS_REPLIES.computeIfAbsent(address + (ok ? "\u0000ok" : "\u0000failed"), k -> Timer.builder("gateway.bus.reply")
        .tags("address", address, "ok", Boolean.toString(ok)).publishPercentileHistogram(false).register(REGISTRY))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
