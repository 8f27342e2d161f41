package gateway.launcher;

import gateway.auth.AuthVerticle;
import gateway.billing.BillingVerticle;
import gateway.catalog.CatalogVerticle;
import gateway.common.PgDatabase;
import gateway.common.Role;
import gateway.common.config.Env;
import gateway.ops.OpsServers;
import gateway.ops.ProcessConfig;
import gateway.ops.VertxMetricFamily;
import gateway.router.RouterVerticle;
import gateway.router.videos.Videos;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
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
 * (clustered or not) and the verticles of its roles, each handed its own configuration record.
 * The schemas of its roles are migrated once, before any verticle deploys. {@link #close()} undoes
 * all of it.
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

  /**
   * Starts everything the environment asks for; blocks until the roles serve or fails. What the
   * environment leaves unset and this process provides itself (an embedded Postgres or Redis, the
   * admin token from the data directory) is filled in before the modules' records are built.
   */
  public static Gateway start(Env requested) throws Exception {
    List<AutoCloseable> embedded = new ArrayList<>();
    GatewayConfig asked = GatewayConfig.fromEnv(requested);
    Env env = requested;
    Path dataDir = Path.of(asked.dataDir());
    boolean adminTokenCreated = false;
    try {
      if (asked.pg().url() == null && asked.needsPostgres()) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir);
        embedded.add(postgres);
        env = env.with("GATEWAY_PG_URL", postgres.url());
      }
      if (asked.router().redisUrl() == null && asked.has(Role.ROUTER)) {
        EmbeddedRedisServer redis = EmbeddedRedisServer.start();
        embedded.add(redis);
        env = env.with("GATEWAY_REDIS_URL", redis.url());
      }
      if (asked.auth().adminToken() == null && asked.has(Role.AUTH)) {
        AdminTokenFile.Token token = AdminTokenFile.loadOrCreate(dataDir);
        env = env.with("GATEWAY_ADMIN_TOKEN", token.value());
        adminTokenCreated = token.created();
      }
      GatewayConfig config = GatewayConfig.fromEnv(env);
      PgDatabase.migrate(config.pg(), schemas(config));
      Gateway gateway = new Gateway(config, embedded, adminTokenCreated);
      gateway.deploy();
      return gateway;
    } catch (Exception | Error e) {
      closeAll(embedded);
      throw e;
    }
  }

  /** The Postgres schemas of this process's roles. */
  static List<String> schemas(GatewayConfig config) {
    List<String> schemas = new ArrayList<>();
    if (config.has(Role.CATALOG)) {
      schemas.add(CatalogVerticle.SCHEMA);
    }
    if (config.has(Role.AUTH)) {
      schemas.add(AuthVerticle.SCHEMA);
    }
    if (config.has(Role.BILLING)) {
      schemas.add(BillingVerticle.SCHEMA);
    }
    if (config.has(Role.ROUTER)) {
      schemas.add(Videos.SCHEMA);
    }
    return schemas;
  }

  private void deploy() throws Exception {
    vertx = await(createVertx());
    try {
      int cores = Runtime.getRuntime().availableProcessors();
      if (config.has(Role.CATALOG)) {
        await(vertx.deployVerticle(() -> new CatalogVerticle(config.catalog()), options(1)));
      }
      if (config.has(Role.AUTH)) {
        await(vertx.deployVerticle(() -> new AuthVerticle(config.auth()), options(1)));
      }
      if (config.has(Role.BILLING)) {
        await(vertx.deployVerticle(() -> new BillingVerticle(config.billing()),
            options(config.billingInstances() > 0 ? config.billingInstances() : cores)));
      }
      if (config.has(Role.ROUTER)) {
        routerDeployment = await(vertx.deployVerticle(() -> new RouterVerticle(config.router()),
            options(config.routerInstances() > 0 ? config.routerInstances() : cores)));
      } else {
        await(OpsServers.health(vertx, config.process()));
      }
      if (config.process().metricsOnOwnPort()) {
        await(OpsServers.metrics(vertx, config.process()));
      }
      ProcessConfig process = config.process();
      LOG.info("gateway up: roles {}, HTTP on {}:{}, metrics on {}{}", process.roles(), process.httpHost(),
          process.httpPort(), process.metricsPort() > 0 ? process.httpHost() + ":" + process.metricsPort() : "no port",
          config.cluster().enabled() ? ", clustered as '" + config.cluster().name() + "'" : "");
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private Future<Vertx> createVertx() {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setDisabledMetricsCategories(VertxMetricFamily.disabledCategories(config.process().vertxMetrics())));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(ProcessMetrics.registry()));
    if (!config.cluster().enabled()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    try {
      options.setEventBusOptions(ClusterSetup.eventBusOptions(config.cluster()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return builder.with(options).withClusterManager(ClusterSetup.clusterManager(config.cluster())).buildClustered();
  }

  private static DeploymentOptions options(int instances) {
    return new DeploymentOptions().setInstances(instances);
  }

  public GatewayConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The admin token, when this process runs auth. */
  public String adminToken() {
    return config.auth().adminToken();
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
            .get(config.router().shutdownGraceSeconds() + 15, TimeUnit.SECONDS);
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
