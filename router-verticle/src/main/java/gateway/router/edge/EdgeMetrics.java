package gateway.router.edge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** What the edge refuses and closes, on Micrometer's global registry (a no-op without one). */
final class EdgeMetrics {
  private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
  private static final AtomicBoolean GAUGES = new AtomicBoolean();
  /** The response counters by status, 100 to 599, registered on first use (index 0: no answer was written). */
  private static final AtomicReferenceArray<Counter> RESPONSES = new AtomicReferenceArray<>(600);

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

  /**
   * Every request the router answered, by status, or {@code none} when the client went away before any answer was
   * written. It stands in for Vert.x's own HTTP server meters, off by default since they cost more than a tenth of
   * the router's CPU per request (bench/RESULTS.md): this one is a counter looked up by index.
   */
  static void responded(int status, boolean answered) {
    int slot = answered && status >= 100 && status < 600 ? status : 0;
    Counter counter = RESPONSES.get(slot);
    if (counter == null) {
      counter = Counter.builder("gateway.http.responses").description("requests answered, by status")
          .tag("status", slot == 0 ? "none" : Integer.toString(slot)).register(REGISTRY);
      RESPONSES.set(slot, counter);
    }
    counter.increment();
  }

  /** A request refused before its body was read: {@code body_timeout}, {@code body_budget}. */
  static void requestRefused(String reason) {
    Counter.builder("gateway.edge.requests.refused").tag("reason", reason).register(REGISTRY).increment();
  }
}
