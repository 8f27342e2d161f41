package gateway.router.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the edge refuses and closes, on Micrometer's global registry (a no-op without one). */
final class EdgeMetrics {
  private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
  private static final AtomicBoolean GAUGES = new AtomicBoolean();

  private EdgeMetrics() {
  }

  /** The open-connection and body-bytes gauges of this process, registered once. */
  static void watch(EdgeBudgets budgets) {
    if (GAUGES.compareAndSet(false, true)) {
      Gauge.builder("gateway.edge.connections", budgets, EdgeBudgets::openConnections)
          .description("client connections open").register(REGISTRY);
      Gauge.builder("gateway.edge.body.bytes", budgets, EdgeBudgets::bodyBytesInFlight)
          .description("bytes of request bodies held by requests in progress").register(REGISTRY);
    }
  }

  /**
   * A connection the edge closed: {@code header_timeout}, {@code keep_alive_timeout}, {@code evicted} (idle, to make
   * room under the cap), {@code refused} (over the cap with nothing idle to evict).
   */
  static void connectionClosed(String reason) {
    Counter.builder("gateway.edge.connections.closed").tag("reason", reason).register(REGISTRY).increment();
  }

  /** A request refused before its body was read: {@code body_timeout}, {@code body_budget}. */
  static void requestRefused(String reason) {
    Counter.builder("gateway.edge.requests.refused").tag("reason", reason).register(REGISTRY).increment();
  }
}
