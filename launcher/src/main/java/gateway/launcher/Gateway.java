package gateway.launcher;

import gateway.auth.AuthVerticle;
import gateway.billing.BillingVerticle;
import gateway.catalog.CatalogVerticle;
import gateway.common.GatewayConfig;
import gateway.common.Role;
import gateway.router.RouterVerticle;
import gateway.router.edge.HealthEndpoints;
import gateway.router.observe.MetricsEndpoint;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway process: the embedded Postgres/Redis it needed, its Vert.x instance
 * (clustered or not) and the verticles of its roles. {@link #close()} undoes all of it.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final List<AutoCloseable> embedded;
  private final boolean adminTokenCreated;
  private Vertx vertx;
  private String routerDeployment;

  private Gateway(GatewayConfig config, List<AutoCloseable> embedded, boolean adminTokenCreated) {
    this.config = config;
    this.embedded = embedded;
    this.adminTokenCreated = adminTokenCreated;
  }

  /** Starts everything the configuration asks for; blocks until the roles serve or fails. */
  public static Gateway start(GatewayConfig requested) throws Exception {
    List<AutoCloseable> embedded = new ArrayList<>();
    GatewayConfig config = requested;
    Path dataDir = Path.of(config.dataDir());
    boolean needsPostgres = config.has(Role.AUTH) || config.has(Role.CATALOG) || config.has(Role.BILLING);
    boolean adminTokenCreated = false;
    try {
      if (config.pgUrl() == null && needsPostgres) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir);
        embedded.add(postgres);
        config = config.withPgUrl(postgres.url());
      }
      if (config.redisUrl() == null && config.has(Role.ROUTER)) {
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        embedded.add(redis);
        config = config.withRedisUrl(redis.url());
      }
      if (config.adminToken() == null && config.has(Role.AUTH)) {
        AdminTokenFile.Token token = AdminTokenFile.loadOrCreate(dataDir);
        config = config.withAdminToken(token.value());
        adminTokenCreated = token.created();
      }
      Gateway gateway = new Gateway(config, embedded, adminTokenCreated);
      gateway.deploy();
      return gateway;
    } catch (Exception | Error e) {
      closeAll(embedded);
      throw e;
    }
  }

  private void deploy() throws Exception {
    vertx = await(createVertx());
    try {
      int cores = Runtime.getRuntime().availableProcessors();
      if (config.has(Role.CATALOG)) {
        await(vertx.deployVerticle(CatalogVerticle::new, options(1)));
      }
      if (config.has(Role.AUTH)) {
        await(vertx.deployVerticle(AuthVerticle::new, options(1)));
      }
      if (config.has(Role.BILLING)) {
        await(vertx.deployVerticle(BillingVerticle::new,
            options(config.billingInstances() > 0 ? config.billingInstances() : cores)));
      }
      if (config.has(Role.ROUTER)) {
        routerDeployment = await(vertx.deployVerticle(RouterVerticle::new,
            options(config.routerInstances() > 0 ? config.routerInstances() : cores)));
      } else {
        await(startHealthServer());
      }
      if (config.metricsPort() > 0 && config.metricsPort() != config.httpPort()) {
        await(startMetricsServer());
      }
      LOG.info("gateway up: roles {}, HTTP on {}:{}, metrics on {}{}", config.roles(), config.httpHost(),
          config.httpPort(), config.metricsPort() > 0 ? config.httpHost() + ":" + config.metricsPort() : "no port",
          config.cluster() ? ", clustered as '" + config.clusterName() + "'" : "");
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private Future<Vertx> createVertx() {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(ProcessMetrics.registry()));
    if (!config.cluster()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    try {
      options.setEventBusOptions(ClusterSetup.eventBusOptions(config));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return builder.with(options).withClusterManager(ClusterSetup.clusterManager(config)).buildClustered();
  }

  /** Processes without the router still answer the health probes of their orchestrator. */
  private Future<HttpServer> startHealthServer() {
    Router router = Router.router(vertx);
    new HealthEndpoints(vertx, config.roles()).mount(router);
    if (config.metricsPort() == config.httpPort()) {
      new MetricsEndpoint(vertx, config.metricsToken()).mount(router);
    }
    return vertx.createHttpServer().requestHandler(router).listen(config.httpPort(), config.httpHost());
  }

  /** {@code /metrics} on a port of its own, off the public one: for the scraper, not for clients. */
  private Future<HttpServer> startMetricsServer() {
    Router router = Router.router(vertx);
    new MetricsEndpoint(vertx, config.metricsToken()).mount(router);
    return vertx.createHttpServer().requestHandler(router).listen(config.metricsPort(), config.httpHost());
  }

  private DeploymentOptions options(int instances) {
    return new DeploymentOptions().setConfig(config.toJson()).setInstances(instances);
  }

  public GatewayConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The admin token, when this process runs auth. */
  public String adminToken() {
    return config.adminToken();
  }

  /** Whether this start generated the admin token (so it must be shown once). */
  public boolean adminTokenCreated() {
    return adminTokenCreated;
  }

  /**
   * Stops the router first (it drains: no new connections, streams in flight finish within
   * {@code GATEWAY_SHUTDOWN_GRACE_SECONDS}, their settles reach billing), then everything else.
   */
  @Override
  public void close() {
    if (vertx != null && routerDeployment != null) {
      try {
        vertx.undeploy(routerDeployment).toCompletionStage().toCompletableFuture()
            .get(config.shutdownGraceSeconds() + 15, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("the router did not drain cleanly", e);
      }
      routerDeployment = null;
    }
    if (vertx != null) {
      try {
        // Closing Vert.x closes every server it owns; closing the health server first would leave a
        // clustered Vert.x 5.0.8 close pending forever.
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly", e);
      }
      vertx = null;
    }
    closeAll(embedded);
    embedded.clear();
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("could not stop {}", resources.get(i).getClass().getSimpleName(), e);
      }
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
