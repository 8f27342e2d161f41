package gateway.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The listeners of a process that runs no router, and the metrics listener of every process. */
public final class OpsServers {
  private OpsServers() {
  }

  /** Processes without the router still answer the health probes of their orchestrator. */
  public static Future<HttpServer> health(Vertx vertx, ProcessConfig process) {
    Router router = Router.router(vertx);
    new HealthEndpoints(vertx, process.roles()).mount(router);
    if (process.metricsOnHttpPort()) {
      new MetricsEndpoint(vertx, process.metricsToken()).mount(router);
    }
    return vertx.createHttpServer().requestHandler(router).listen(process.httpPort(), process.httpHost());
  }

  /** {@code /metrics} on a port of its own, off the public one: for the scraper, not for clients. */
  public static Future<HttpServer> metrics(Vertx vertx, ProcessConfig process) {
    Router router = Router.router(vertx);
    new MetricsEndpoint(vertx, process.metricsToken()).mount(router);
    return vertx.createHttpServer().requestHandler(router).listen(process.metricsPort(), process.httpHost());
  }
}
