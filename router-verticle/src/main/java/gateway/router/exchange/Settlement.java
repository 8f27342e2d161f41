package gateway.router.exchange;

import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.common.bus.UsageReport;
import gateway.common.money.RouteCost;
import gateway.common.money.Usage;
import gateway.router.limits.LimitLease;
import gateway.router.observe.RouterMetrics;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one request ends, exactly once: charged ({@link #charge}) or free ({@link #free}). Prices
 * the usage, gives back what the rate limits hold, sends the settle or release, and records the
 * request's metrics. While unfinished it keeps the billing client from reporting itself drained,
 * so a server stopping cannot close ahead of the charge. Confined to the request's event loop.
 */
final class Settlement {
  /** More tokens in one count than any request has (the largest contexts are ten million). */
  static final long MOST_TOKENS = 1_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
  private final ExchangeServices services;
  private final String requestId;
  private final Principal principal;
  private final ClientCall call;
  private final ResolvedModel model;
  private final LimitLease lease;
  private final IntSupplier statusForMetrics;
  private final long startNanos = System.nanoTime();
  private Route route;
  private int attempts;
  private boolean finished;

  Settlement(ExchangeServices services, String requestId, Principal principal, ClientCall call, ResolvedModel model,
             LimitLease lease, IntSupplier statusForMetrics) {
    this.services = services;
    this.requestId = requestId;
    this.principal = principal;
    this.call = call;
    this.model = model;
    this.lease = lease;
    this.statusForMetrics = statusForMetrics;
    services.billing().pin();
  }

  /** The route now being tried: the one a charge or release names. */
  void attempting(Route route) {
    this.route = route;
    attempts++;
  }

  int attempts() {
    return attempts;
  }

  boolean finished() {
    return finished;
  }

  /**
   * Usage as the provider reported it, else counted from the call and the output. A report past
   * {@link #MOST_TOKENS} in any count is not believed (no request comes near it; such a count is a broken or
   * hostile provider, and pricing it would overflow): the request is priced by the gateway's own count instead.
   */
  Priced price(Usage reported, CharSequence output) {
    Usage usage = reported != null && believable(reported) ? reported
        : new Usage(services.tokens().promptTokens(call.counted()), 0, 0, services.tokens().count(output), 0);
    if (reported != null && usage != reported) {
      LOG.warn("request {}: channel {} reported usage past {} tokens ({}); priced by the gateway's own count",
          requestId, route == null ? "?" : route.channel().name(), MOST_TOKENS, reported.toJson().encode());
    }
    return new Priced(usage, model.price().costMicros(usage), upstream(cost -> cost.tokenMicros(usage)));
  }

  private static boolean believable(Usage usage) {
    return usage.inputTokens() <= MOST_TOKENS && usage.cacheReadTokens() <= MOST_TOKENS
        && usage.cacheWriteTokens() <= MOST_TOKENS && usage.outputTokens() <= MOST_TOKENS
        && usage.reasoningTokens() <= MOST_TOKENS;
  }

  /** {@code count} images of the order at the model's price, and at the serving route's cost price. */
  Priced priceImages(Usage usage, ImageOrder order, int count) {
    return new Priced(usage, order.costMicros(count),
        upstream(cost -> cost.imageMicros(order.request().size(), order.request().quality(), count)));
  }

  /**
   * What the request cost upstream: 0 when no route was tried (nothing reached a provider), null when the
   * serving route names no cost price (unknown), else its cost price applied to the same usage.
   */
  private Long upstream(Function<RouteCost, Long> price) {
    if (route == null) {
      return 0L;
    }
    return route.cost() == null ? null : price.apply(route.cost());
  }

  /** For an answer that did not complete: the prompt as reported (or counted), and the output generated. */
  Priced pricePartial(Usage reported, CharSequence output) {
    long counted = services.tokens().count(output);
    if (reported == null) {
      return price(new Usage(services.tokens().promptTokens(call.counted()), 0, 0, counted, 0), output);
    }
    return price(new Usage(reported.inputTokens(), reported.cacheReadTokens(), reported.cacheWriteTokens(),
        Math.max(reported.outputTokens(), counted), reported.reasoningTokens()), output);
  }

  /** Charges the request; does nothing if it already ended. */
  void charge(RequestOutcome outcome, Priced priced, String error) {
    if (finished) {
      return;
    }
    finished = true;
    lease.finish(priced.usage().totalTokens());
    UsageReport report = report(outcome, priced.usage(), priced.costMicros(), error, priced.upstreamCostMicros());
    services.billing().settle(report);
    services.billing().unpin();
    recordMetrics(report);
  }

  /** Ends the request free: its hold is released; does nothing if it already ended. */
  void free(String error) {
    if (finished) {
      return;
    }
    finished = true;
    lease.finish(0);
    // No usage comes back with a failure, so the provider billed nothing we know of: 0 at a known cost price.
    UsageReport report = report(RequestOutcome.FAILED, Usage.ZERO, 0, error, upstream(cost -> 0L));
    services.billing().release(report);
    services.billing().unpin();
    recordMetrics(report);
  }

  private void recordMetrics(UsageReport report) {
    RouterMetrics.requestFinished(model.alias(), report.channel(), statusForMetrics.getAsInt(), report.outcome(),
        System.nanoTime() - startNanos, report.usage(), report.costMicros());
  }

  private UsageReport report(RequestOutcome outcome, Usage usage, long cost, String error, Long upstreamCost) {
    String channel = route == null ? null : route.channel().name();
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    return new UsageReport(requestId, principal.accountId(), principal.keyId(), call.model(), channel, usage, cost,
        outcome, latencyMs, attempts, error, upstreamCost);
  }
}
