package gateway.router.exchange;

import gateway.common.money.Usage;

/** A request's final usage and what it costs at the model's prices. */
public record Priced(Usage usage, long costMicros) {
}
