package gateway.router.selfservice;

import gateway.router.RouterConfig;
import gateway.router.admin.LinkDelivery;
import gateway.router.admin.UsersAdminApi;
import gateway.router.edge.RequestBodies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The self-service API under {@code /api}: its OpenAPI document (the console's contract, served at
 * {@code /api/openapi.json}) builds the router, and every request is validated against it before a
 * handler runs (a malformed one is a 400 naming the field). Sessions and CSRF protection come first on
 * every call. Also holds what the rest of the edge needs from it: {@code GET /v1/me}, operator sessions
 * on the admin API and the admin API's user calls.
 */
public final class SelfServiceApi {
  public static final String DOCUMENT = "openapi/self-service.yaml";
  private static final int MAX_BODY_BYTES = 64 * 1024;
  /** vertx-openapi reads only absolute server URLs; what it needs of one is the base path. */
  private static final String LIBRARY_SERVER = "http://gateway.invalid/api";

  private final Vertx vertx;
  private final RouterConfig config;
  private final Redis redis;
  private final EventBus bus;
  private final JsonObject document;
  private final KeyHolderInfo keyHolder;
  private PasswordHasher passwords;
  private Sessions sessions;
  private OpenAPIContract contract;
  private AccountVideos videos = AccountVideos.NONE;

  public SelfServiceApi(Vertx vertx, RouterConfig config, Redis redis) {
    this.vertx = vertx;
    this.config = config;
    this.redis = redis;
    this.bus = vertx.eventBus();
    this.document = document();
    this.keyHolder = new KeyHolderInfo(bus, config);
  }

  /** Reads the contract and the shared CSRF secret; the routers can be built once this completes. */
  public Future<Void> load() {
    passwords = new PasswordHasher(vertx, Math.max(2, Runtime.getRuntime().availableProcessors()));
    JsonObject forLibrary = forLibrary(document);
    return Future.all(
            OpenAPIContract.from(vertx, forLibrary).onSuccess(loaded -> contract = loaded),
            Sessions.create(vertx, redis, config).onSuccess(created -> sessions = created))
        .mapEmpty();
  }

  public Future<Void> close() {
    return passwords == null ? Future.succeededFuture() : passwords.close();
  }

  /** Where {@code GET /api/videos} reads the account's video jobs; set before {@link #router()}. */
  public void useVideos(AccountVideos videos) {
    this.videos = videos;
  }

  /** The {@code /api} router, to mount with {@code subRouter} at {@code /api/*}. */
  public Router router() {
    AttemptLimiter attempts = new AttemptLimiter(RedisAPI.api(redis), config.redisPrefix(),
        config.selfService().lockoutMinutes() * 60L);
    SessionRoutes session = new SessionRoutes(bus, config.selfService(), passwords, attempts, config.trustedProxies());
    AccountRoutes account = new AccountRoutes(bus, config.selfService(), attempts, config.trustedProxies());
    KeyRoutes keys = new KeyRoutes(bus);
    UsageRoutes usage = new UsageRoutes(bus);
    VideoRoutes videoJobs = new VideoRoutes(bus, videos);
    Buffer served = document.toBuffer();

    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    builder.rootHandler(ctx -> RequestBodies.read(bodies, ctx));
    builder.rootHandler(sessions::session);
    builder.rootHandler(sessions::csrf);
    builder.rootHandler(sessions::loadUser);
    Map<String, Handler<RoutingContext>> operations = Map.ofEntries(
        Map.entry("openApiDocument", ctx -> ctx.response().putHeader("content-type", "application/json").end(served)),
        Map.entry("csrfToken", session::csrfToken),
        Map.entry("login", session::login),
        Map.entry("logout", session::logout),
        Map.entry("me", session::me),
        Map.entry("changePassword", session::changePassword),
        Map.entry("acceptInvitation", session::acceptInvitation),
        Map.entry("resetPassword", session::resetPassword),
        Map.entry("signUp", session::signUp),
        Map.entry("accountOverview", account::overview),
        Map.entry("listVouchers", account::vouchers),
        Map.entry("listRedemptions", account::redemptions),
        Map.entry("redeemCode", account::redeem),
        Map.entry("listModels", account::models),
        Map.entry("listKeys", keys::list),
        Map.entry("createKey", keys::create),
        Map.entry("getKey", keys::get),
        Map.entry("updateKey", keys::update),
        Map.entry("deleteKey", keys::delete),
        Map.entry("regenerateKey", keys::regenerate),
        Map.entry("listUsage", usage::list),
        Map.entry("usageTotals", usage::totals),
        Map.entry("exportUsage", usage::export),
        Map.entry("listVideos", videoJobs::list));
    for (OpenAPIRoute route : builder.getRoutes()) {
      Handler<RoutingContext> handler = operations.get(route.getOperation().getOperationId());
      if (handler == null) {
        throw new IllegalStateException("no handler for operation " + route.getOperation().getOperationId());
      }
      // Sessions are checked by the handlers (the document states the scheme for clients).
      route.setDoSecurity(false).addHandler(handler);
    }
    Router router = builder.createRouter();
    router.route().failureHandler(SelfServiceErrors::handle);
    return router;
  }

  /** {@code GET /v1/me}, behind the key authenticator. */
  public void keyHolder(RoutingContext ctx) {
    keyHolder.handle(ctx);
  }

  /** Operator sessions on the admin API: mount before the admin token check. */
  public void mountOperatorSessions(Router admin) {
    new OperatorSessions(sessions).mount(admin);
  }

  /** The admin API's users, invitations, resets and audit log: mount after the admin API. */
  public void mountAdminRoutes(Router admin) {
    new UsersAdminApi(bus, config.selfService(), new LinkDelivery(vertx, config.selfService())).mount(admin);
  }

  /**
   * The document as vertx-openapi can read it: an absolute server URL (it reads only those; what it needs
   * is the base path) and no text/csv response bodies (it knows no such media type; responses are not
   * validated anyway). Requests are validated exactly as the served document states.
   */
  static JsonObject forLibrary(JsonObject served) {
    JsonObject copy = served.copy().put("servers", new JsonArray().add(new JsonObject().put("url", LIBRARY_SERVER)));
    for (String path : copy.getJsonObject("paths").fieldNames()) {
      JsonObject item = copy.getJsonObject("paths").getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject operation && operation.containsKey("responses")) {
          for (String status : operation.getJsonObject("responses").fieldNames()) {
            JsonObject response = operation.getJsonObject("responses").getJsonObject(status);
            JsonObject content = response.getJsonObject("content");
            if (content != null && content.remove("text/csv") != null && content.isEmpty()) {
              response.remove("content");
            }
          }
        }
      }
    }
    return copy;
  }

  /** The document as served: YAML in the jar, JSON on the wire. */
  static JsonObject document() {
    try (InputStream in = SelfServiceApi.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing from the classpath");
      }
      Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(in.readAllBytes(),
          StandardCharsets.UTF_8));
      return new JsonObject(Json.encode(parsed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
