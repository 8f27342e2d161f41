package gateway.ops;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the process's Prometheus registry, rendered off the event loop. Served on
 * its own port ({@code GATEWAY_METRICS_PORT}), never the public one unless a token guards it;
 * with {@code GATEWAY_METRICS_TOKEN} set, a scrape must send {@code Authorization: Bearer <token>}.
 */
public final class MetricsEndpoint {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String BEARER = "bearer ";

  private final Vertx vertx;
  private final byte[] token;

  /** {@code token}: what a scrape must present, or null for none. */
  public MetricsEndpoint(Vertx vertx, String token) {
    this.vertx = vertx;
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public void mount(Router router) {
    router.get("/metrics").handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    if (token != null && !presentsToken(ctx.request().getHeader("authorization"))) {
      ctx.response().setStatusCode(401).putHeader("www-authenticate", "Bearer")
          .putHeader("content-type", "text/plain").end("a bearer token is required\n");
      return;
    }
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

  private boolean presentsToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, token);
  }
}
