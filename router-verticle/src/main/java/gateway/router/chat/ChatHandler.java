package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.common.bus.Hold;
import gateway.common.bus.Principal;
import gateway.common.bus.ResolvedModel;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.edge.ModelResolver;
import gateway.router.edge.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/chat/completions}: check the body, resolve the model in the key's scope,
 * hold the most it can cost (402 before any upstream call when the balance cannot), then
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
        .compose(model -> reserve(request, principal, model, requestId))
        .onSuccess(model -> new ChatExchange(ctx, request, principal, model, protocol, services, requestId).start())
        .onFailure(ctx::fail);
  }

  private Future<ResolvedModel> reserve(ChatRequest request, Principal principal, ResolvedModel model,
                                        String requestId) {
    if (!CHAT_MODEL.equals(model.type())) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception(
          "The model '" + request.model() + "' is a " + model.type() + " model, not a chat model.", "model"));
    }
    if (model.routes().isEmpty()) {
      return Future.failedFuture(GatewayError.NO_AVAILABLE_CHANNEL.exception(
          "No channel can serve the model '" + request.model() + "' right now."));
    }
    long maxCost = services.holds().maxCostMicros(request, model);
    Hold hold = new Hold(requestId, principal.accountId(), principal.keyId(), request.model(), maxCost);
    return services.billing().reserve(hold).map(model);
  }
}
