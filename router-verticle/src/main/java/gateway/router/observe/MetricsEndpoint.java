package gateway.router.observe;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /metrics}: the process's Prometheus registry, rendered off the event loop. */
public final class MetricsEndpoint {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;

  public MetricsEndpoint(Vertx vertx) {
    this.vertx = vertx;
  }

  public void mount(Router router) {
    router.get("/metrics").handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    PrometheusMeterRegistry registry = Metrics.globalRegistry.getRegistries().stream()
        .filter(PrometheusMeterRegistry.class::isInstance)
        .map(PrometheusMeterRegistry.class::cast)
        .findFirst().orElse(null);
    if (registry == null) {
      ctx.response().setStatusCode(404).putHeader("content-type", "text/plain").end("metrics are not enabled\n");
      return;
    }
    vertx.executeBlocking(registry::scrape, false).onComplete(text -> {
      if (text.succeeded()) {
        ctx.response().putHeader("content-type", CONTENT_TYPE).end(text.result());
      } else {
        ctx.fail(text.cause());
      }
    });
  }
}
