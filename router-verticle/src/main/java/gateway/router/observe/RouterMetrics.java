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
  private static final Duration[] LATENCY_SLOS = {
      Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

  private RouterMetrics() {
  }

  /** One finished chat-shaped request: its status, outcome, latency, tokens and cost. */
  public static void requestFinished(String model, String channel, int status, RequestOutcome outcome,
                                     long latencyNanos, Usage usage, long costMicros) {
    String channelTag = channel == null ? "none" : channel;
    String statusTag = Integer.toString(status);
    Counter.builder("gateway.requests").description("chat-shaped requests that reached an upstream route")
        .tags("model", model, "channel", channelTag, "status", statusTag, "outcome", outcome.wire)
        .register(REGISTRY).increment();
    Timer.builder("gateway.request.duration").description("time from request to its last byte")
        .tags("model", model, "channel", channelTag, "status", statusTag)
        .serviceLevelObjectives(LATENCY_SLOS)
        .register(REGISTRY).record(latencyNanos, TimeUnit.NANOSECONDS);
    tokens(model, channelTag, "input", usage.inputTokens());
    tokens(model, channelTag, "cache_read", usage.cacheReadTokens());
    tokens(model, channelTag, "cache_write", usage.cacheWriteTokens());
    tokens(model, channelTag, "output", usage.outputTokens());
    Counter.builder("gateway.cost.micros").description("micro-credits priced, before balance caps")
        .tags("model", model, "channel", channelTag).register(REGISTRY).increment(costMicros);
  }

  private static void tokens(String model, String channel, String kind, long count) {
    if (count > 0) {
      Counter.builder("gateway.tokens").tags("model", model, "channel", channel, "kind", kind)
          .register(REGISTRY).increment(count);
    }
  }

  /** One call to a provider: {@code ok}, {@code failed} (counted against the channel) or {@code rejected} (the request's fault). */
  public static void upstreamAttempt(String channel, String result) {
    Counter.builder("gateway.upstream.attempts").tags("channel", channel, "result", result)
        .register(REGISTRY).increment();
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

  /** Time from an event-bus request to its reply, as the router saw it. */
  public static void busReply(String address, boolean ok, long nanos) {
    Timer.builder("gateway.bus.reply").tags("address", address, "ok", Boolean.toString(ok))
        .publishPercentileHistogram(false).register(REGISTRY).record(nanos, TimeUnit.NANOSECONDS);
  }
}
