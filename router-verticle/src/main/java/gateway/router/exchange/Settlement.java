package gateway.router.exchange;

import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.limits.LimitLease;
import gateway.router.observe.RouterMetrics;
import java.util.function.IntSupplier;

/**
 * How one request ends, exactly once: charged ({@link #charge}) or free ({@link #free}). Prices
 * the usage, gives back what the rate limits hold, sends the settle or release, and records the
 * request's metrics. While unfinished it keeps the billing client from reporting itself drained,
 * so a server stopping cannot close ahead of the charge. Confined to the request's event loop.
 */
final class Settlement {
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

  /** Usage as the provider reported it, else counted from the call and the output. */
  Priced price(Usage reported, CharSequence output) {
    Usage usage = reported != null ? reported
        : new Usage(services.tokens().promptTokens(call.counted()), 0, 0, services.tokens().count(output), 0);
    return new Priced(usage, model.price().costMicros(usage));
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
    UsageReport report = report(outcome, priced.usage(), priced.costMicros(), error);
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
    UsageReport report = report(RequestOutcome.FAILED, Usage.ZERO, 0, error);
    services.billing().release(report);
    services.billing().unpin();
    recordMetrics(report);
  }

  private void recordMetrics(UsageReport report) {
    RouterMetrics.requestFinished(model.alias(), report.channel(), statusForMetrics.getAsInt(), report.outcome(),
        System.nanoTime() - startNanos, report.usage(), report.costMicros());
  }

  private UsageReport report(RequestOutcome outcome, Usage usage, long cost, String error) {
    String channel = route == null ? null : route.channel().name();
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    return new UsageReport(requestId, principal.accountId(), principal.keyId(), call.model(), channel, usage, cost,
        outcome, latencyMs, attempts, error);
  }
}
