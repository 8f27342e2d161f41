package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.common.bus.Hold;
import gateway.common.bus.Principal;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.ModelResolver;
import gateway.router.edge.RequestIds;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}: check the body, resolve the model in the key's scope,
 * leave out channels whose breaker is open, check the rate limits (one Redis trip), hold the
 * most the request can cost (402 before any upstream call when the balance cannot), then
 * hand over to a {@link ChatExchange}.
 */
public final class ChatHandler implements Handler<RoutingContext> {
  private static final String CHAT_MODEL = "llm";

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
    resolver.resolve(request.model(), ctx.queryParams().get("channel"), principal)
        .compose(model -> admit(ctx, request, principal, model, requestId))
        .compose(plan -> reserve(request, principal, plan, requestId))
        .onSuccess(plan -> new ChatExchange(ctx, request, principal, plan, protocol, services, requestId).start())
        .onFailure(ctx::fail);
  }

  private Future<ChatPlan> admit(RoutingContext ctx, ChatRequest request, Principal principal, ResolvedModel model,
                                 String requestId) {
    if (!CHAT_MODEL.equals(model.type())) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception(
          "The model '" + request.model() + "' is a " + model.type() + " model, not a chat model.", "model"));
    }
    List<Route> routes = services.routeSelector().order(model.routes()).stream()
        .filter(route -> !services.breakers().isOpen(route.channel()))
        .toList();
    if (routes.isEmpty()) {
      return Future.failedFuture(GatewayError.NO_AVAILABLE_CHANNEL.exception(model.routes().isEmpty()
          ? "No channel serves the model '" + request.model() + "'."
          : "Every channel serving the model '" + request.model() + "' is failing right now; retry shortly."));
    }
    long tokens = services.holds().maxTokens(request, model);
    return services.limiter().admit(requestId, principal, routes, tokens).compose(admission -> {
      admission.headers().applyTo(ctx.response());
      if (!admission.admitted()) {
        RouterMetrics.rateLimitRefused(admission.refusedBy());
        ctx.response().putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
        return Future.failedFuture(admission.refusal());
      }
      return Future.succeededFuture(
          new ChatPlan(model, routes.subList(admission.firstRoute(), routes.size()), admission, tokens));
    });
  }

  private Future<ChatPlan> reserve(ChatRequest request, Principal principal, ChatPlan plan, String requestId) {
    long maxCost = services.holds().maxCostMicros(request, plan.model());
    Hold hold = new Hold(requestId, principal.accountId(), principal.keyId(), request.model(), maxCost);
    return services.billing().reserve(hold).map(plan).onFailure(refused ->
        services.limiter().finish(requestId, 0, plan.admission().held()));
  }
}
