package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.common.bus.Hold;
import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.ModelResolver;
import gateway.router.edge.RequestIds;
import gateway.router.inbound.JsonFields;
import gateway.router.observe.RouterMetrics;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.ProviderAdapter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}: check the body, resolve the model in the key's scope,
 * leave out channels whose breaker is open, check the rate limits (one Redis trip), hold the
 * most the request can cost (402 before any upstream call when the balance cannot), then
 * hand over to a {@link ChatExchange}. The other client endpoints come through {@link #serve}
 * the same way, with their own {@link ClientProtocol}.
 */
public final class ChatHandler implements Handler<RoutingContext> {

  private final ModelResolver resolver;
  private final ChatServices services;

  public ChatHandler(ModelResolver resolver, ChatServices services) {
    this.resolver = resolver;
    this.services = services;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ChatRequest request = ChatRequest.parse(ctx.body().buffer());
    serve(ctx, request, new OpenAiChatProtocol(request));
  }

  /** The common path of every chat-shaped endpoint, whatever protocol its client speaks. */
  public void serve(RoutingContext ctx, ChatRequest request, ClientProtocol protocol) {
    Principal principal = KeyAuthenticator.principal(ctx);
    String requestId = RequestIds.of(ctx);
    resolver.resolve(request.model(), pinnedChannel(ctx), principal)
        .compose(model -> admit(ctx, request, principal, model, requestId))
        .compose(plan -> reserve(request, principal, plan, requestId))
        .onSuccess(plan -> exchange(ctx, request, principal, plan, protocol, requestId))
        .onFailure(ctx::fail);
  }

  /** Hands the held request to its exchange, which from then on ends it in one settle or release. */
  private void exchange(RoutingContext ctx, ChatRequest request, Principal principal, ChatPlan plan,
                        ClientProtocol protocol, String requestId) {
    ChatExchange exchange;
    try {
      exchange = new ChatExchange(ctx, request, principal, plan, protocol, services, requestId);
    } catch (RuntimeException e) {
      services.limiter().finish(requestId, 0, plan.admission().held());
      services.billing().release(new UsageReport(requestId, principal.accountId(), principal.keyId(),
          request.model(), null, Usage.ZERO, 0, RequestOutcome.FAILED, 0, 0, "the gateway could not start the request"));
      ctx.fail(e);
      return;
    }
    exchange.start();
  }

  /**
   * The model as this key may call it (404 unknown, 403 outside the key's scope), for endpoints that answer
   * locally: nothing is held, limited or sent upstream.
   */
  public Future<ResolvedModel> resolveInScope(RoutingContext ctx, String model) {
    return resolver.resolve(model, pinnedChannel(ctx), KeyAuthenticator.principal(ctx));
  }

  /** What this router instance's exchanges share. */
  public ChatServices services() {
    return services;
  }

  /** {@code ?channel=}: a channel name, so no control characters (it keys the resolve cache). */
  private static String pinnedChannel(RoutingContext ctx) {
    String channel;
    try {
      channel = ctx.queryParams().get("channel");
    } catch (IllegalArgumentException malformed) {
      throw GatewayError.INVALID_VALUE.exception("The query string is not valid URL encoding.", "channel");
    }
    if (channel != null) {
      JsonFields.checkIdentifier(channel, "channel");
    }
    return channel;
  }

  private Future<ChatPlan> admit(RoutingContext ctx, ChatRequest request, Principal principal, ResolvedModel model,
                                 String requestId) {
    ApiFormat format = request.format();
    if (!format.modelType().equals(model.type())) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("The model '" + request.model() + "' is a "
          + model.type() + " model, not a" + (format == ApiFormat.EMBEDDINGS ? "n embedding" : " chat")
          + " model.", "model"));
    }
    List<Route> able = format.translatesThroughChat() ? model.routes() : routesSpeaking(format, model.routes());
    if (able.isEmpty() && !model.routes().isEmpty()) {
      // Only embeddings have no chat translation: they need a channel with an embeddings endpoint of its own.
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("No channel serving the model '"
          + request.model() + "' has an embeddings endpoint: embeddings need an OpenAI-compatible channel"
          + " (type openai).", "model"));
    }
    List<Route> routes = services.routeSelector().order(able).stream()
        .filter(route -> !services.breakers().isOpen(route.channel()))
        .toList();
    if (routes.isEmpty()) {
      return Future.failedFuture(GatewayError.NO_AVAILABLE_CHANNEL.exception(model.routes().isEmpty()
          ? "No channel serves the model '" + request.model() + "'."
          : "Every channel serving the model '" + request.model() + "' is failing right now; retry shortly."));
    }
    // Bounded before any limit is taken: a request whose bound is out of range is a 400 holding nothing.
    HoldEstimator.Bound bound = services.holds().bound(request, model);
    return services.limiter().admit(requestId, principal, routes, bound.totalTokens()).compose(admission -> {
      admission.headers().applyTo(ctx.response());
      if (!admission.admitted()) {
        RouterMetrics.rateLimitRefused(admission.refusedBy());
        ctx.response().putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
        return Future.failedFuture(admission.refusal());
      }
      return Future.succeededFuture(
          new ChatPlan(model, routes.subList(admission.firstRoute(), routes.size()), admission, bound));
    });
  }

  /** The routes whose channel relays this format itself, for formats with no chat translation. */
  private List<Route> routesSpeaking(ApiFormat format, List<Route> routes) {
    return routes.stream().filter(route -> {
      ProviderAdapter adapter = services.adapters().forChannel(route.channel());
      return adapter != null && adapter.passThrough(format, route) != null;
    }).toList();
  }

  private Future<ChatPlan> reserve(ChatRequest request, Principal principal, ChatPlan plan, String requestId) {
    Hold hold = new Hold(requestId, principal.accountId(), principal.keyId(), request.model(),
        plan.bound().maxCostMicros(), principal.voucherIds(), principal.spendsCash());
    return services.billing().reserve(hold).map(plan).onFailure(refused ->
        services.limiter().finish(requestId, 0, plan.admission().held()));
  }
}
