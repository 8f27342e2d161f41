package gateway.router;

import gateway.common.GatewayError;
import gateway.ops.HealthEndpoints;
import gateway.ops.MetricsEndpoint;
import gateway.console.ConsolePages;
import gateway.router.admin.AdminApi;
import gateway.router.exchange.ExchangeHandler;
import gateway.router.inbound.chat.ChatCompletionsHandler;
import gateway.router.edge.AdminAuthenticator;
import gateway.router.edge.ConnectionGuard;
import gateway.router.edge.ErrorResponses;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.MethodGate;
import gateway.router.edge.ModelsHandler;
import gateway.router.edge.RequestBodies;
import gateway.router.edge.UnreadableQueries;
import gateway.router.edge.RequestIds;
import gateway.router.inbound.embeddings.EmbeddingsHandler;
import gateway.router.inbound.images.ImageEditForm;
import gateway.router.inbound.images.ImagesHandler;
import gateway.media.storage.MediaStore;
import gateway.media.storage.StoredMediaHandler;
import gateway.router.inbound.messages.CountTokensHandler;
import gateway.router.inbound.messages.MessagesHandler;
import gateway.router.inbound.responses.ResponsesHandler;
import gateway.router.selfservice.SelfServiceApi;
import gateway.router.videos.Videos;
import gateway.media.storage.StoredMediaHandler;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP surface: client API under {@code /v1}, admin API under {@code /admin}, self-service API under
 * {@code /api}, health.
 */
final class ApiRouter {
  private final Vertx vertx;
  private final RouterConfig config;
  private final KeyAuthenticator keys;
  private final AdminAuthenticator admins;
  private final ExchangeHandler exchanges;
  private final CountTokensHandler countTokens;
  private final ModelsHandler models;
  private final AdminApi adminApi;
  private final HealthEndpoints health;
  private final ConnectionGuard connections;
  private final SelfServiceApi selfService;
  private final MediaStore media;
  private final Videos videos;

  ApiRouter(Vertx vertx, RouterConfig config, KeyAuthenticator keys, AdminAuthenticator admins, ExchangeHandler exchanges,
            CountTokensHandler countTokens, ModelsHandler models, AdminApi adminApi, HealthEndpoints health,
            ConnectionGuard connections, SelfServiceApi selfService, MediaStore media, Videos videos) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.admins = admins;
    this.exchanges = exchanges;
    this.countTokens = countTokens;
    this.models = models;
    this.adminApi = adminApi;
    this.health = health;
    this.connections = connections;
    this.selfService = selfService;
    this.media = media;
    this.videos = videos;
  }

  Router router() {
    RequestBodies bodies = new RequestBodies(vertx, config.bodyTimeoutSeconds() * 1000, config.maxBodyBytes(),
        config.maxBodyBytesInFlight());
    Router root = Router.router(vertx);
    root.route().handler(connections.requests());
    root.route().handler(RequestIds::assign);
    root.route().handler(UnreadableQueries::check);
    root.route().handler(bodies::deadline);
    health.mount(root);
    if (config.process().metricsOnHttpPort()) {
      // only when configured so, and then with a token (ProcessConfig refuses it without)
      new MetricsEndpoint(vertx, config.process().metricsToken()).mount(root);
    }

    Router v1 = Router.router(vertx);
    // First of all (even the method gate): a refusal on Anthropic's endpoints must be in its shape too.
    v1.route("/messages*").order(-2).handler(ctx -> {
      ErrorResponses.useDialect(ctx, ErrorResponses.Dialect.ANTHROPIC);
      ctx.next();
    });
    // A body waits, paused and unread, until its caller is known, its free-call limit checked and its bytes fit the budget.
    v1.route().method(HttpMethod.POST).handler(RequestBodies::pause);
    v1.route().handler(keys);
    v1.post("/messages/count_tokens").handler(countTokens::limit);
    v1.route().method(HttpMethod.POST).handler(bodies::budget);
    // an edit's form keeps its files: read here, in place of the JSON body handler (which drops file parts)
    v1.post("/images/edits").handler(new ImageEditForm(config.maxBodyBytes())::read);
    v1.post("/messages/count_tokens").handler(bodyHandler(config.countTokensMaxBodyBytes()));
    v1.route().method(HttpMethod.POST).handler(bodyHandler(config.maxBodyBytes()));
    v1.post("/chat/completions").handler(new ChatCompletionsHandler(exchanges));
    v1.post("/responses").handler(new ResponsesHandler(exchanges));
    v1.post("/messages").handler(new MessagesHandler(exchanges));
    v1.post("/messages/count_tokens").handler(countTokens);
    v1.post("/embeddings").handler(new EmbeddingsHandler(exchanges));
    ImagesHandler images = new ImagesHandler(exchanges, media, config.selfService().publicUrl());
    v1.post("/images/generations").handler(images::generations);
    v1.post("/images/edits").handler(images::edits);
    v1.get("/models").handler(models::list);
    v1.get("/models/:id").handler(models::get);
    v1.get("/me").handler(selfService::keyHolder);
    videos.api().mount(v1);
    MethodGate.install(v1);
    root.route("/v1/*").subRouter(v1);

    Router admin = Router.router(vertx);
    admin.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
        .handler(RequestBodies::pause);
    selfService.mountOperatorSessions(admin);
    admin.route().handler(admins);
    admin.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).handler(bodies::budget);
    admin.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
        .handler(bodyHandler(config.maxBodyBytes()));
    adminApi.mount(admin);
    selfService.mountAdminRoutes(admin);
    MethodGate.install(admin);
    root.route("/admin/*").subRouter(admin);
    selfService.useVideos(videos::accountPage);
    root.route("/api/*").subRouter(selfService.router());
    // stored images and videos: no key, the unguessable id is the capability (so URLs can be hot-linked)
    StoredMediaHandler.mount(root, config.media().servePath(), media);
    ConsolePages.mount(root);

    root.route().last().handler(ctx -> ctx.fail(GatewayError.NOT_FOUND.exception(
        "Unknown path " + ctx.request().method() + " " + ctx.request().path())));
    root.route().failureHandler(ErrorResponses::handle);
    return root;
  }

  /**
   * Reads the body within {@code limit}, unless it was read already (count_tokens reads its own under
   * a smaller limit) or there is none: a request without a body has ended before an asynchronous
   * check let it through, and Vert.x's BodyHandler refuses an ended request.
   */
  private static Handler<RoutingContext> bodyHandler(long limit) {
    BodyHandler read = BodyHandler.create(false).setBodyLimit(limit);
    return ctx -> {
      if (ctx.body().available() || ctx.request().isEnded()) {
        ctx.next();
      } else {
        RequestBodies.read(read, ctx);
      }
    };
  }

  /** Only the public model list may be read without a key. */
  static boolean anonymousAllowed(RoutingContext ctx) {
    String path = ctx.request().path();
    return ctx.request().method() == HttpMethod.GET && (path.equals("/v1/models") || path.startsWith("/v1/models/"));
  }
}
