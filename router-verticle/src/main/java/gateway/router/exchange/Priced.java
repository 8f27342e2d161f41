package gateway.router.exchange;

import gateway.common.money.Usage;

/**
 * A request's final usage, what it costs at the model's prices, and what it cost upstream at the serving
 * route's cost price ({@code upstreamCostMicros}: null when the route names none, so the cost is unknown).
 */
public record Priced(Usage usage, long costMicros, Long upstreamCostMicros) {

  /** A charge whose upstream cost is unknown. */
  public Priced(Usage usage, long costMicros) {
    this(usage, costMicros, null);
  }
}
