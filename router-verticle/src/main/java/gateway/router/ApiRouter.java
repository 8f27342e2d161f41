package gateway.router;

import gateway.common.GatewayConfig;
import gateway.common.GatewayError;
import gateway.router.admin.AdminApi;
import gateway.router.chat.ChatHandler;
import gateway.router.edge.AdminAuthenticator;
import gateway.router.edge.ErrorResponses;
import gateway.router.edge.HealthEndpoints;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.ModelsHandler;
import gateway.router.edge.RequestIds;
import gateway.router.observe.MetricsEndpoint;
import gateway.router.inbound.embeddings.EmbeddingsHandler;
import gateway.router.inbound.messages.CountTokensHandler;
import gateway.router.inbound.messages.MessagesHandler;
import gateway.router.inbound.responses.ResponsesHandler;
import gateway.router.selfservice.SelfServiceApi;
import io.vertx.core.Vertx;
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
  private final GatewayConfig config;
  private final KeyAuthenticator keys;
  private final AdminAuthenticator admins;
  private final ChatHandler chat;
  private final ModelsHandler models;
  private final AdminApi adminApi;
  private final HealthEndpoints health;
  private final SelfServiceApi selfService;

  ApiRouter(Vertx vertx, GatewayConfig config, KeyAuthenticator keys, AdminAuthenticator admins, ChatHandler chat,
            ModelsHandler models, AdminApi adminApi, HealthEndpoints health, SelfServiceApi selfService) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.admins = admins;
    this.chat = chat;
    this.models = models;
    this.adminApi = adminApi;
    this.health = health;
    this.selfService = selfService;
  }

  Router router() {
    Router root = Router.router(vertx);
    root.route().handler(RequestIds::assign);
    health.mount(root);
    new MetricsEndpoint(vertx).mount(root);

    Router v1 = Router.router(vertx);
    // First: a refusal by the body limit or the key check on Anthropic's endpoints must be in its shape too.
    v1.route("/messages*").handler(ctx -> {
      ErrorResponses.useDialect(ctx, ErrorResponses.Dialect.ANTHROPIC);
      ctx.next();
    });
    // The body handler must run before anything asynchronous touches the request.
    v1.route().method(HttpMethod.POST).handler(bodyHandler());
    v1.route().handler(keys);
    v1.post("/chat/completions").handler(chat);
    v1.post("/responses").handler(new ResponsesHandler(chat));
    v1.post("/messages").handler(new MessagesHandler(chat));
    v1.post("/messages/count_tokens").handler(new CountTokensHandler(chat));
    v1.post("/embeddings").handler(new EmbeddingsHandler(chat));
    v1.get("/models").handler(models::list);
    v1.get("/models/:id").handler(models::get);
    v1.get("/me").handler(selfService::keyHolder);
    root.route("/v1/*").subRouter(v1);

    Router admin = Router.router(vertx);
    admin.route().method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).handler(bodyHandler());
    selfService.mountOperatorSessions(admin);
    admin.route().handler(admins);
    adminApi.mount(admin);
    selfService.mountAdminRoutes(admin);
    root.route("/admin/*").subRouter(admin);
    root.route("/api/*").subRouter(selfService.router());

    root.route().last().handler(ctx -> ctx.fail(GatewayError.NOT_FOUND.exception(
        "Unknown path " + ctx.request().method() + " " + ctx.request().path())));
    root.route().failureHandler(ErrorResponses::handle);
    return root;
  }

  private BodyHandler bodyHandler() {
    return BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
  }

  /** Only the public model list may be read without a key. */
  static boolean anonymousAllowed(RoutingContext ctx) {
    String path = ctx.request().path();
    return ctx.request().method() == HttpMethod.GET && (path.equals("/v1/models") || path.startsWith("/v1/models/"));
  }
}
