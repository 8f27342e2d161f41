package gateway.router.exchange;

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
import gateway.router.fields.JsonFields;
import gateway.router.observe.RouterMetrics;
import gateway.router.provider.ApiFormat;
import gateway.router.provider.ImageProviders;
import gateway.router.provider.ProviderAdapter;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The common path of every endpoint that calls a model: resolve the model in the key's scope,
 * leave out channels whose breaker is open, check the rate limits (one Redis trip), hold the most
 * the call can cost (402 before any upstream call when the balance cannot), then hand over to an
 * {@link Exchange}. Each endpoint parses its body into a {@link ClientCall} and brings its
 * {@link ClientProtocol}.
 */
public final class ExchangeHandler {

  private final ModelResolver resolver;
  private final ExchangeServices services;

  public ExchangeHandler(ModelResolver resolver, ExchangeServices services) {
    this.resolver = resolver;
    this.services = services;
  }

  /** Serves one call of a client, whatever protocol it speaks. */
  public void serve(RoutingContext ctx, ClientCall call, ClientProtocol protocol) {
    Principal principal = KeyAuthenticator.principal(ctx);
    String requestId = RequestIds.of(ctx);
    resolver.resolve(call.model(), pinnedChannel(ctx), principal)
        .compose(model -> admit(ctx, call, principal, model, requestId))
        .compose(plan -> reserve(call, principal, plan, requestId))
        .onSuccess(plan -> exchange(ctx, call, principal, plan, protocol, requestId))
        .onFailure(ctx::fail);
  }

  /** Hands the held call to its exchange, which from then on ends it in one settle or release. */
  private void exchange(RoutingContext ctx, ClientCall call, Principal principal, ExchangePlan plan,
                        ClientProtocol protocol, String requestId) {
    Exchange exchange;
    try {
      exchange = new Exchange(ctx, call, principal, plan, protocol, services, requestId);
    } catch (RuntimeException e) {
      plan.admission().lease().finish(0);
      services.billing().release(new UsageReport(requestId, principal.accountId(), principal.keyId(),
          call.model(), null, Usage.ZERO, 0, RequestOutcome.FAILED, 0, 0, "the gateway could not start the request",
          0L));
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
  public ExchangeServices services() {
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

  private Future<ExchangePlan> admit(RoutingContext ctx, ClientCall call, Principal principal, ResolvedModel model,
                                     String requestId) {
    ApiFormat format = call.format();
    if (!format.modelType().equals(model.type())) {
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("The model '" + call.model() + "' is a "
          + model.type() + " model, not a" + (format == ApiFormat.EMBEDDINGS ? "n embedding" : " chat")
          + " model.", "model"));
    }
    List<Route> able = format.translatesThroughChat() ? model.routes() : routesSpeaking(format, model.routes());
    if (able.isEmpty() && !model.routes().isEmpty()) {
      // Only embeddings have no chat translation: they need a channel with an embeddings endpoint of its own.
      return Future.failedFuture(GatewayError.INVALID_VALUE.exception("No channel serving the model '"
          + call.model() + "' has an embeddings endpoint: embeddings need an OpenAI-compatible channel"
          + " (type openai).", "model"));
    }
    // Bounded before any limit is taken: a call whose bound is out of range is a 400 holding nothing.
    return admitOn(ctx, call, principal, model, requestId, able, services.holds().bound(call, model));
  }

  /** The breaker and rate-limit checks of a call whose servable routes and bound are known. */
  private Future<ExchangePlan> admitOn(RoutingContext ctx, ClientCall call, Principal principal, ResolvedModel model,
                                       String requestId, List<Route> able, HoldEstimator.Bound bound) {
    List<Route> routes = services.routeSelector().order(able).stream()
        .filter(route -> !services.breakers().isOpen(route.channel()))
        .toList();
    if (routes.isEmpty()) {
      return Future.failedFuture(GatewayError.NO_AVAILABLE_CHANNEL.exception(model.routes().isEmpty()
          ? "No channel serves the model '" + call.model() + "'."
          : "Every channel serving the model '" + call.model() + "' is failing right now; retry shortly."));
    }
    return services.limiter().admit(requestId, principal, routes, bound.totalTokens()).compose(admission -> {
      admission.headers().applyTo(ctx.response());
      if (!admission.admitted()) {
        RouterMetrics.rateLimitRefused(admission.refusedBy());
        ctx.response().putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
        return Future.failedFuture(admission.refusal());
      }
      return Future.succeededFuture(
          new ExchangePlan(model, routes.subList(admission.firstRoute(), routes.size()), admission, bound));
    });
  }

  /**
   * Serves one image call ({@code /v1/images/*}): the model resolved in the key's scope, the request fitted to its
   * allow-lists and priced by {@code protocol} (a 400 naming the field otherwise), held at {@code n} × the price of
   * one image, limited like every call, and handed to an {@link ImageExchange}.
   */
  public void serveImages(RoutingContext ctx, ClientCall call, ImageProtocol protocol) {
    Principal principal = KeyAuthenticator.principal(ctx);
    String requestId = RequestIds.of(ctx);
    ImageOrder[] order = new ImageOrder[1];
    resolver.resolve(call.model(), pinnedChannel(ctx), principal)
        .compose(model -> {
          if (!ApiFormat.IMAGES.modelType().equals(model.type())) {
            return Future.failedFuture(GatewayError.INVALID_VALUE.exception("The model '" + call.model() + "' is a "
                + model.type() + " model, not an image (text2image) model.", "model"));
          }
          order[0] = protocol.order(model);
          List<Route> able = model.routes().stream().filter(r -> ImageProviders.speaks(r.channel())).toList();
          if (able.isEmpty() && !model.routes().isEmpty()) {
            return Future.failedFuture(GatewayError.INVALID_VALUE.exception("No channel serving the model '"
                + call.model() + "' has an image API: images need a channel of type openai or gemini.", "model"));
          }
          return admitOn(ctx, call, principal, model, requestId, able, order[0].bound());
        })
        .compose(plan -> reserve(call, principal, plan, requestId))
        .onSuccess(plan -> {
          ImageExchange exchange;
          try {
            exchange = new ImageExchange(ctx, call, principal, plan, order[0], protocol, services, requestId);
          } catch (RuntimeException e) {
            plan.admission().lease().finish(0);
            services.billing().release(new UsageReport(requestId, principal.accountId(), principal.keyId(),
                call.model(), null, Usage.ZERO, 0, RequestOutcome.FAILED, 0, 0, "the gateway could not start the request",
                0L));
            ctx.fail(e);
            return;
          }
          exchange.start();
        })
        .onFailure(ctx::fail);
  }

  /** The routes whose channel relays this format itself, for formats with no chat translation. */
  private List<Route> routesSpeaking(ApiFormat format, List<Route> routes) {
    return routes.stream().filter(route -> {
      ProviderAdapter adapter = services.adapters().forChannel(route.channel());
      return adapter != null && adapter.passThrough(format, route) != null;
    }).toList();
  }

  private Future<ExchangePlan> reserve(ClientCall call, Principal principal, ExchangePlan plan, String requestId) {
    Hold hold = new Hold(requestId, principal.accountId(), principal.keyId(), call.model(),
        plan.bound().maxCostMicros(), principal.voucherIds(), principal.spendsCash());
    return services.billing().reserve(hold).map(plan).onFailure(refused -> plan.admission().lease().finish(0));
  }
}
