package gateway.billing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/** Ledger movements, on Micrometer's global registry (a no-op until the launcher plugs Prometheus in). */
final class LedgerMetrics {
  private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
  // The meters every request moves, registered once: looking a meter up by name and tags on each charge showed in
  // profiles. Meters of the global composite registry also reach a registry added to it later.
  private static final Counter HOLDS = Counter.builder("gateway.ledger.holds").register(REGISTRY);
  private static final Counter CHARGES = Counter.builder("gateway.ledger.charges").register(REGISTRY);
  private static final Counter CHARGED_MICROS = Counter.builder("gateway.ledger.charged.micros").register(REGISTRY);
  private static final Counter RELEASES = Counter.builder("gateway.ledger.releases").register(REGISTRY);

  private LedgerMetrics() {
  }

  static void held() {
    HOLDS.increment();
  }

  static void refused() {
    Counter.builder("gateway.ledger.refusals").description("holds refused with 402").register(REGISTRY).increment();
  }

  static void charged(long micros) {
    CHARGES.increment();
    CHARGED_MICROS.increment(micros);
  }

  /** A charge past its hold: the provider reported more than the hold bounded. Alert-worthy when it grows. */
  static void overrun(long micros) {
    Counter.builder("gateway.ledger.overruns").description("charges that exceeded their hold")
        .register(REGISTRY).increment();
    Counter.builder("gateway.ledger.overrun.micros").description("micro-credits charged beyond holds")
        .register(REGISTRY).increment(micros);
  }

  /** Part of a charge its vouchers-only key could not pay (a voucher lapsed while held, or an overrun): not charged. */
  static void waived(long micros) {
    Counter.builder("gateway.ledger.waived").description("charges partly waived: vouchers-only holds")
        .register(REGISTRY).increment();
    Counter.builder("gateway.ledger.waived.micros").description("micro-credits priced but not charged")
        .register(REGISTRY).increment(micros);
  }

  /** A lease asked for, by outcome: many "edge" answers mean accounts run close to their balance. */
  static void leaseTaken(gateway.common.bus.LeaseGrant grant) {
    Counter.builder("gateway.ledger.lease.takes").tag("outcome", grant.outcome().wire()).register(REGISTRY)
        .increment();
  }

  /**
   * A settle group that failed as a whole and was redone one settle at a time: costly under load, and since
   * replays no longer fail a group (V15), a sign of something else (a request id reused on another account, a value
   * Postgres refuses, a database failing).
   */
  static void groupRedone() {
    Counter.builder("gateway.ledger.groups.redone").description("settle groups redone one settle at a time")
        .register(REGISTRY).increment();
  }

  static void released() {
    RELEASES.increment();
  }

  static void toppedUp(long micros) {
    Counter.builder("gateway.ledger.topups.micros").register(REGISTRY).increment(micros);
  }
}
