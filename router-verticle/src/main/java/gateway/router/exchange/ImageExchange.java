package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.Route;
import gateway.common.money.Usage;
import gateway.router.edge.ErrorResponses;
import gateway.router.media.DrawnImage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image call after its hold was placed: its {@link RouteLoop} tries the routes (breakers, channel limits,
 * fallback while nothing was drawn), each an {@link ImageAttempt}; the images drawn are stored and answered by the
 * endpoint's {@link ImageProtocol}, then charged at the unit price per image returned, in one settle. A failure,
 * an answer without images, a store that fails, or a client gone before its answer is free: one release.
 * Confined to the event loop of the request.
 */
final class ImageExchange {
  private static final Logger LOG = LoggerFactory.getLogger(ImageExchange.class);

  private final RoutingContext ctx;
  private final ClientCall call;
  private final ExchangePlan plan;
  private final ImageOrder order;
  private final ImageProtocol protocol;
  private final ExchangeServices services;
  private final String requestId;
  private final Settlement settlement;
  private final long deadlineNanos;
  private ImageAttempt attempt;
  private boolean clientGone;

  ImageExchange(RoutingContext ctx, ClientCall call, Principal principal, ExchangePlan plan, ImageOrder order,
                ImageProtocol protocol, ExchangeServices services, String requestId) {
    this.ctx = ctx;
    this.call = call;
    this.plan = plan;
    this.order = order;
    this.protocol = protocol;
    this.services = services;
    this.requestId = requestId;
    this.settlement = new Settlement(services, requestId, principal, call, plan.model(), plan.admission().lease(),
        () -> clientGone && !ctx.response().headWritten() ? 499 : ctx.response().getStatusCode());
    this.deadlineNanos = System.nanoTime() + services.config().requestLifeMs() * 1_000_000;
  }

  void start() {
    ctx.response().closeHandler(v -> clientGone = true);
    RouteLoop loop = new RouteLoop(plan.routes(), gates(), this::attempt, () -> clientGone, this::remainingMs);
    guard(() -> loop.run().onComplete(ended -> guard(() -> end(ended.result()))));
  }

  private RouteLoop.Gates gates() {
    return new RouteLoop.Gates() {
      @Override
      public Future<Boolean> room(Route route, boolean first) {
        return first ? Future.succeededFuture(true) : plan.admission().lease().acquire(route.channel());
      }

      @Override
      public Promise<Void> breaker(Route route) {
        return services.breakers().attempt(route.channel());
      }
    };
  }

  private Future<AttemptOutcome> attempt(Route route) {
    settlement.attempting(route);
    attempt = new ImageAttempt(services, route, order.request().withModel(
        route.upstreamModel() != null ? route.upstreamModel() : order.request().model()));
    return attempt.run(remainingMs());
  }

  private void end(RouteLoop.Ending ending) {
    attempt = null;
    if (ending instanceof RouteLoop.Ending.Served served) {
      served(served.outcome());
    } else {
      UnservedEnding.finish(ctx, ending, call.model(), settlement);
    }
  }

  private void served(AttemptOutcome outcome) {
    if (outcome instanceof AttemptOutcome.Refused refused) {
      refuse(refused.error());
    } else if (outcome instanceof AttemptOutcome.Drawn drawn && drawn.images().isEmpty()) {
      // the model drew nothing and said why (e.g. a safety refusal): no image, nothing to charge
      refuse(GatewayError.INVALID_VALUE.exception("The model drew no image"
          + (drawn.refusal() == null ? "." : " (" + drawn.refusal() + ")."), "prompt"));
    } else if (outcome instanceof AttemptOutcome.Drawn drawn) {
      deliver(drawn.images(), drawn.usage());
    } else {
      settlement.free("the client closed the connection before the answer");
    }
  }

  /** Stores and answers the images, then charges them; free when the client is gone or the store fails. */
  private void deliver(List<DrawnImage> images, Usage usage) {
    if (clientGone) {
      settlement.free("the client closed the connection before the images were delivered");
      return;
    }
    Priced priced = settlement.priceImages(usage == null ? Usage.ZERO : usage, order, images.size());
    protocol.answer(order, images, priced).timeout(Math.max(1, remainingMs()), java.util.concurrent.TimeUnit.MILLISECONDS)
        .onComplete(answered -> guard(() -> {
      if (answered.failed()) {
        LOG.atError().addKeyValue("request_id", requestId).setCause(answered.cause())
            .log("request {}: the images could not be stored", requestId);
        refuse(GatewayError.SERVICE_UNAVAILABLE.exception("The gateway could not store the images; try again."));
        return;
      }
      if (clientGone) {
        settlement.free("the client closed the connection before the images were delivered");
        return;
      }
      JsonObject answer = answered.result();
      ctx.response().putHeader("content-type", "application/json").end(answer.toBuffer());
      settlement.charge(RequestOutcome.COMPLETED, priced, null);
    }));
  }

  private void refuse(GatewayException error) {
    ErrorResponses.send(ctx, error);
    settlement.free(error.getMessage());
  }

  private void guard(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("request_id", requestId).setCause(e).log("request {} failed in the gateway", requestId);
      if (settlement.finished()) {
        return;
      }
      if (attempt != null) {
        attempt.abandon();
      }
      if (!ctx.response().headWritten()) {
        ErrorResponses.send(ctx, GatewayError.INTERNAL.exception("The gateway failed to handle the request."));
      } else if (!ctx.response().ended()) {
        ctx.response().reset();
      }
      settlement.free("the gateway failed to handle the request");
    }
  }

  private long remainingMs() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000;
  }
}
