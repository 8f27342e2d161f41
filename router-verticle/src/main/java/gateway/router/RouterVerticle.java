package gateway.router;

import gateway.common.bus.AuthBus;
import gateway.common.bus.BillingBus;
import gateway.common.bus.CatalogBus;
import gateway.common.bus.RouterBus;
import gateway.media.storage.MediaRetentionSweeper;
import gateway.media.storage.MediaStore;
import gateway.media.storage.MediaStores;
import gateway.ops.HealthEndpoints;
import gateway.router.admin.AdminApi;
import gateway.router.admin.ChannelTests;
import gateway.router.exchange.BillingClient;
import gateway.router.exchange.LeaseDeskOnBus;
import gateway.router.credit.CreditLeases;
import gateway.router.exchange.ExchangeHandler;
import gateway.router.exchange.ExchangeServices;
import gateway.router.exchange.HoldEstimator;
import gateway.router.routing.RouteSelector;
import gateway.router.exchange.TokenCounter;
import gateway.router.upstream.UpstreamDeadlines;
import gateway.router.edge.AdminAuthenticator;
import gateway.router.edge.ConnectionGuard;
import gateway.router.edge.InvalidRequests;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.ModelResolver;
import gateway.router.edge.ModelsHandler;
import gateway.router.inbound.messages.CountTokensHandler;
import gateway.router.limits.FreeCallLimit;
import gateway.router.limits.RateLimiter;
import gateway.router.provider.AdapterRegistry;
import gateway.router.routing.ChannelBreakers;
import gateway.router.selfservice.SelfServiceApi;
import gateway.router.videos.Videos;
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
import java.time.Clock;
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

  private final RouterConfig config;
  private HttpServer server;
  private HttpClient upstream;
  private Redis redis;
  private BillingClient billing;
  private ConnectionGuard connections;
  private long shutdownGraceSeconds;
  private SelfServiceApi selfService;
  private MediaStore media;
  private MediaRetentionSweeper sweeper;
  private Videos videos;
  private RateLimiter limiter;

  public RouterVerticle(RouterConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(TokenCounter::load).compose(this::start);
  }

  private Future<?> start(TokenCounter tokens) {
    return MediaStores.create(vertx, config.media()).compose(store -> {
      media = store;
      // every instance sweeps, local files or the bucket (deletes are idempotent); nothing runs with retention 0
      sweeper = new MediaRetentionSweeper(vertx, store, config.media().retentionDays(), Clock.systemUTC())
          .start(MediaRetentionSweeper.DEFAULT_INTERVAL);
      return start(tokens, store);
    });
  }

  private Future<?> start(TokenCounter tokens, MediaStore store) {
    EventBus bus = vertx.eventBus();
    upstream = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(true),
        new PoolOptions().setHttp1MaxSize(UPSTREAM_CONNECTIONS_PER_HOST));
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(config.redisUrl())
        .setMaxPoolSize(REDIS_CONNECTIONS).setMaxPoolWaiting(REDIS_WAITING));
    ChannelBreakers breakers = new ChannelBreakers(vertx, config);
    limiter = new RateLimiter(RedisAPI.api(redis), config);
    limiter.startSweeping(vertx);
    CreditLeases leases = config.leases().enabled()
        ? new CreditLeases(LeaseDeskOnBus.on(vertx, config.reserveTimeoutMs()), config.leases(),
            config.holds().maxAgeSeconds(), config.requestLifeMs(), () -> System.nanoTime() / 1_000_000)
        : null;
    billing = new BillingClient(vertx, config.reserveTimeoutMs(), leases, config.maxUnansweredSettles());
    shutdownGraceSeconds = config.shutdownGraceSeconds();
    RouteSelector selector = new RouteSelector(new SplittableRandom());
    UpstreamDeadlines deadlines = new UpstreamDeadlines(vertx);
    ExchangeServices services = new ExchangeServices(vertx, config, upstream, deadlines, AdapterRegistry.standard(),
        billing, tokens,
        new HoldEstimator(config.defaultMaxOutputTokens(), config.defaultContextTokens()),
        selector, breakers, limiter);
    KeyAuthenticator keys = new KeyAuthenticator(bus, config.authCacheSeconds(), ApiRouter::anonymousAllowed);
    ModelResolver resolver = new ModelResolver(bus);
    return Videos.open(vertx, config.videos(), store, upstream, resolver, billing, breakers, selector,
            limiter)
        .compose(opened -> {
          videos = opened;
          return start(tokens, bus, breakers, limiter, services, keys, resolver);
        });
  }

  private Future<?> start(TokenCounter tokens, EventBus bus, ChannelBreakers breakers, RateLimiter limiter,
                          ExchangeServices services, KeyAuthenticator keys, ModelResolver resolver) {
    ExchangeHandler chat = new ExchangeHandler(resolver, services);
    CountTokensHandler countTokens = new CountTokensHandler(chat,
        new FreeCallLimit(RedisAPI.api(redis), config, config.countTokensPerMinute()));
    connections = new ConnectionGuard(vertx, config.headerTimeoutSeconds() * 1000,
        config.keepAliveTimeoutSeconds() * 1000, config.maxConnections());
    selfService = new SelfServiceApi(vertx, config, redis);
    ApiRouter api = new ApiRouter(vertx, config, keys, new AdminAuthenticator(bus), chat, countTokens,
        new ModelsHandler(bus), new AdminApi(bus, channel -> breakers.state(channel).name(),
            new ChannelTests(vertx, services.deadlines(), services.http(), services.adapters(), config), config.trustedProxies()),
        new HealthEndpoints(vertx, config.process().roles()), connections, selfService, media, videos);
    return Future.all(List.of(
            bus.<JsonObject>consumer(AuthBus.KEYS_CHANGED, m -> {
              keys.keysChanged(m.body());
              resolver.clear();
            }).completion(),
            bus.<JsonObject>consumer(CatalogBus.CHANGED, m -> resolver.catalogChanged(m.body())).completion(),
            bus.<JsonObject>consumer(RouterBus.BREAKER_CHANGED, m -> breakers.remoteChange(m.body())).completion(),
            bus.<JsonObject>consumer(BillingBus.LEASES_RECALL, m -> {
              if (m.body().getValue("account_id") instanceof Number account) {
                billing.leasesRecalled(account.longValue());
              }
            }).completion(),
            limiter.preload(),
            selfService.load()))
        .compose(v -> vertx.createHttpServer(serverOptions(config))
            .connectionHandler(connections::accept)
            .invalidRequestHandler(InvalidRequests::handle)
            .requestHandler(api.router())
            .listen(config.process().httpPort(), config.process().httpHost()))
        .onSuccess(listening -> server = listening);
  }

  /**
   * HTTP/1.1, and cleartext HTTP/2 when configured (clients that upgrade multiplex many requests on one connection).
   * No Vert.x idle timeout: it would close a connection whose answer is silent while an upstream thinks; the
   * {@link ConnectionGuard} times out connections with nothing in progress instead. h2c is off by default because
   * with it Vert.x shows a connection only once its first request head arrived, and the guard could not see (nor
   * cap) silent ones.
   */
  /**
   * The longest text field of a form (Vert.x's default is 8 KiB): a prompt of the 32,000 characters the image and
   * video endpoints take, at up to 4 bytes each in UTF-8. The whole form stays bounded by the body limit.
   */
  static final int MAX_FORM_FIELD_BYTES = 128 * 1024;

  /**
   * What the form decoder may buffer of a part's headers (Vert.x's default is 1 KiB): with less, a long file name
   * was served or refused depending on how the bytes happened to arrive.
   */
  static final int MAX_FORM_BUFFERED_BYTES = 16 * 1024;

  private static HttpServerOptions serverOptions(RouterConfig config) {
    return new HttpServerOptions()
        .setTcpNoDelay(true)
        // No WebSocket is served: without these Vert.x puts Netty's WebSocket extension handler on every
        // HTTP/1 connection, in the path of each request's every read and write.
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setHttp2ClearTextEnabled(config.http2Cleartext())
        .setMaxInitialLineLength(InvalidRequests.MAX_REQUEST_LINE_BYTES)
        .setMaxHeaderSize(InvalidRequests.MAX_HEADER_BYTES)
        .setMaxFormAttributeSize(MAX_FORM_FIELD_BYTES)
        .setMaxFormBufferedBytes(MAX_FORM_BUFFERED_BYTES)
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(MAX_STREAMS_PER_CONNECTION));
  }

  /**
   * Stops taking new connections, lets requests and streams in flight finish for up to the
   * grace period, then waits for their settles to reach billing.
   */
  @Override
  public Future<?> stop() {
    if (connections != null) {
      connections.close();
    }
    Future<Void> drainServer = server == null ? Future.succeededFuture()
        : server.shutdown(shutdownGraceSeconds, TimeUnit.SECONDS);
    return drainServer
        .compose(v -> billing == null ? Future.succeededFuture()
            : billing.drained().timeout(SETTLE_DRAIN_SECONDS, TimeUnit.SECONDS).recover(e -> Future.succeededFuture())
                .compose(drained -> billing.close().timeout(SETTLE_DRAIN_SECONDS, TimeUnit.SECONDS))
                .recover(e -> Future.succeededFuture()))
        .compose(v -> limiter == null ? Future.succeededFuture()
            : limiter.close().timeout(SETTLE_DRAIN_SECONDS, TimeUnit.SECONDS).recover(e -> Future.succeededFuture()))
        .compose(v -> upstream == null ? Future.succeededFuture() : upstream.close())
        .compose(v -> selfService == null ? Future.succeededFuture() : selfService.close())
        .compose(v -> videos == null ? Future.succeededFuture() : videos.close())
        .compose(v -> {
          if (sweeper != null) {
            sweeper.stop();
          }
          return media == null ? Future.succeededFuture() : media.close();
        })
        .onComplete(v -> {
          if (redis != null) {
            redis.close();
          }
        });
  }
}
