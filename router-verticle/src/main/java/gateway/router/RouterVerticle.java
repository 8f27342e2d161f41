package gateway.router;

import gateway.common.GatewayConfig;
import gateway.common.bus.AuthBus;
import gateway.common.bus.CatalogBus;
import gateway.common.bus.RouterBus;
import gateway.router.admin.AdminApi;
import gateway.router.chat.BillingClient;
import gateway.router.chat.ChatHandler;
import gateway.router.chat.ChatServices;
import gateway.router.chat.HoldEstimator;
import gateway.router.routing.RouteSelector;
import gateway.router.chat.TokenCounter;
import gateway.router.edge.AdminAuthenticator;
import gateway.router.edge.HealthEndpoints;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.ModelResolver;
import gateway.router.edge.ModelsHandler;
import gateway.router.limits.RateLimiter;
import gateway.router.provider.AdapterRegistry;
import gateway.router.routing.ChannelBreakers;
import gateway.router.selfservice.SelfServiceApi;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP edge. Deploy one instance per event loop: each has its own server (sharing the
 * port), upstream client and caches, so a request never leaves its event loop.
 */
public final class RouterVerticle extends VerticleBase {
  private static final int UPSTREAM_CONNECTIONS_PER_HOST = 512;
  private static final int MAX_STREAMS_PER_CONNECTION = 1_000;

  private static final int REDIS_CONNECTIONS = 8;
  private static final long SETTLE_DRAIN_SECONDS = 10;
  private static final int REDIS_WAITING = 1024;

  private HttpServer server;
  private HttpClient upstream;
  private Redis redis;
  private BillingClient billing;
  private long shutdownGraceSeconds;
  private SelfServiceApi selfService;

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(TokenCounter::load).compose(this::start);
  }

  private Future<?> start(TokenCounter tokens) {
    GatewayConfig config = GatewayConfig.fromJson(config());
    EventBus bus = vertx.eventBus();
    upstream = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(true),
        new PoolOptions().setHttp1MaxSize(UPSTREAM_CONNECTIONS_PER_HOST));
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
        .setMaxPoolSize(REDIS_CONNECTIONS).setMaxPoolWaiting(REDIS_WAITING));
    ChannelBreakers breakers = new ChannelBreakers(vertx, config);
    RateLimiter limiter = new RateLimiter(RedisAPI.api(redis), config);
    billing = new BillingClient(vertx, config.reserveTimeoutMs());
    shutdownGraceSeconds = config.shutdownGraceSeconds();
    ChatServices services = new ChatServices(vertx, config, upstream, AdapterRegistry.standard(), billing, tokens,
        new HoldEstimator(config.defaultMaxOutputTokens(), config.defaultContextTokens()),
        new RouteSelector(new SplittableRandom()), breakers, limiter);
    KeyAuthenticator keys = new KeyAuthenticator(bus, config.authCacheSeconds(), ApiRouter::anonymousAllowed);
    ModelResolver resolver = new ModelResolver(bus);
    selfService = new SelfServiceApi(vertx, config, redis);
    ApiRouter api = new ApiRouter(vertx, config, keys, new AdminAuthenticator(bus),
        new ChatHandler(resolver, services), new ModelsHandler(bus), new AdminApi(bus),
        new HealthEndpoints(vertx, config.roles()), selfService);
    return Future.all(List.of(
            bus.<JsonObject>consumer(AuthBus.KEYS_CHANGED, m -> {
              keys.keysChanged(m.body());
              resolver.clear();
            }).completion(),
            bus.consumer(CatalogBus.CHANGED, m -> resolver.clear()).completion(),
            bus.<JsonObject>consumer(RouterBus.BREAKER_CHANGED, m -> breakers.remoteChange(m.body())).completion(),
            limiter.preload(),
            selfService.load()))
        .compose(v -> vertx.createHttpServer(serverOptions())
            .requestHandler(api.router())
            .listen(config.httpPort(), config.httpHost()))
        .onSuccess(listening -> server = listening);
  }

  /** HTTP/1.1 and cleartext HTTP/2 (clients that upgrade multiplex many requests on one connection). */
  private static HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setTcpNoDelay(true)
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_STREAMS_PER_CONNECTION));
  }

  /**
   * Stops taking new connections, lets requests and streams in flight finish for up to the
   * grace period, then waits for their settles to reach billing.
   */
  @Override
  public Future<?> stop() {
    Future<Void> drainServer = server == null ? Future.succeededFuture()
        : server.shutdown(shutdownGraceSeconds, TimeUnit.SECONDS);
    return drainServer
        .compose(v -> billing == null ? Future.succeededFuture()
            : billing.drained().timeout(SETTLE_DRAIN_SECONDS, TimeUnit.SECONDS).recover(e -> Future.succeededFuture()))
        .compose(v -> upstream == null ? Future.succeededFuture() : upstream.close())
        .compose(v -> selfService == null ? Future.succeededFuture() : selfService.close())
        .onComplete(v -> {
          if (redis != null) {
            redis.close();
          }
        });
  }
}
