package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.Route;
import gateway.router.edge.ErrorResponses;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ScannedAnswer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call after its hold was placed, whatever its format: its {@link RouteLoop} tries the routes,
 * each an {@link UpstreamAttempt}, and its {@link Settlement} ends it in exactly one settle
 * (charged) or release (free). What reaches the client is decided here: a whole answer is built
 * first, then written, then charged; an error is written in the client's format.
 *
 * <p>The request lives at most {@link gateway.common.GatewayConfig#requestLifeMs}, all routes
 * together, so its settle lands while its hold still exists. An exception anywhere ends the request
 * with an error in the client's format: free when nothing reached the client, charged for what did
 * otherwise. Confined to the event loop of the request.
 */
final class Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

  private final RoutingContext ctx;
  private final ClientCall call;
  private final ExchangePlan plan;
  private final ClientProtocol protocol;
  private final ExchangeServices services;
  private final String requestId;
  private final Settlement settlement;
  private final long deadlineNanos;
  private UpstreamAttempt attempt;
  private boolean clientGone;

  Exchange(RoutingContext ctx, ClientCall call, Principal principal, ExchangePlan plan, ClientProtocol protocol,
           ExchangeServices services, String requestId) {
    this.ctx = ctx;
    this.call = call;
    this.plan = plan;
    this.protocol = protocol;
    this.services = services;
    this.requestId = requestId;
    this.settlement = new Settlement(services, requestId, principal, call, plan.model(), plan.admission().lease(),
        () -> clientGone && !ctx.response().headWritten() ? 499 : ctx.response().getStatusCode());
    this.deadlineNanos = System.nanoTime() + services.config().requestLifeMs() * 1_000_000;
  }

  void start() {
    ctx.response().closeHandler(v -> guard(this::onClientGone));
    List<Route> servable = plan.routes().stream().filter(this::hasAdapter).toList();
    RouteLoop loop = new RouteLoop(servable, gates(), this::attempt, () -> clientGone, this::remainingMs);
    guard(() -> loop.run().onComplete(ended -> guard(() -> end(ended.result()))));
  }

  private boolean hasAdapter(Route route) {
    if (services.adapters().forChannel(route.channel()) != null) {
      return true;
    }
    LOG.atError().addKeyValue("request_id", requestId).log("request {}: channel '{}' has type '{}', which no adapter"
        + " speaks", requestId, route.channel().name(), route.channel().type());
    return false;
  }

  /** Channel limits through the request's lease, breakers through the router's. */
  private RouteLoop.Gates gates() {
    return new RouteLoop.Gates() {
      @Override
      public Future<Boolean> room(Route route, boolean first) {
        return first ? Future.succeededFuture(true) : plan.admission().lease().acquire(route.channel());
      }

      @Override
      public Promise<Void> breaker(Route route) {
        Promise<Void> leave = services.breakers().attempt(route.channel());
        if (leave == null) {
          LOG.atInfo().addKeyValue("request_id", requestId).log("request {}: skipping channel '{}' (breaker open)",
              requestId, route.channel().name());
        }
        return leave;
      }
    };
  }

  private Future<AttemptOutcome> attempt(Route route) {
    ProviderAdapter adapter = services.adapters().forChannel(route.channel());
    Translation translation = Translation.choose(call, protocol, adapter, route);
    if (translation == null) {
      return Future.succeededFuture(new AttemptOutcome.Failed(UpstreamError.transport("channel '"
          + route.channel().name() + "' cannot serve " + call.format() + " calls")));
    }
    settlement.attempting(route);
    attempt = new UpstreamAttempt(services, call, route, adapter, translation, ctx.response(), settlement);
    return attempt.run(plan.bound().outputLimit(), remainingMs()).onSuccess(outcome -> {
      if (outcome instanceof AttemptOutcome.Failed failed) {
        LOG.atWarn().addKeyValue("request_id", requestId).log("request {}: channel '{}' failed (status {}): {}",
            requestId, route.channel().name(), failed.error().status(), failed.error().message());
      }
    });
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
    if (outcome instanceof AttemptOutcome.Answered answered) {
      respond(answered);
    } else if (outcome instanceof AttemptOutcome.Streamed streamed) {
      streamEnded(streamed.end());
    } else if (outcome instanceof AttemptOutcome.Refused refused) {
      refuse(refused.error());
    } else {
      settlement.charge(RequestOutcome.CLIENT_DISCONNECTED, settlement.pricePartial(null, ""),
          "the client closed the connection before the answer");
    }
  }

  /**
   * A whole answer: built first (an answer that cannot be built is an error, and free), then
   * written, then charged. A client already gone is charged from the answer's usage, unwritten.
   */
  private void respond(AttemptOutcome.Answered answered) {
    Translation translation = answered.translation();
    ScannedAnswer scanned = answered.scanned();
    // A scanned answer always has its usage: the output text is counted only without one.
    Priced priced = settlement.price(answered.usage(), scanned != null ? "" : translation.outputText(answered.body()));
    Buffer answer;
    try {
      answer = scanned != null ? translation.answer(scanned, priced)
          : translation.answer(answered.body(), priced).toBuffer();
    } catch (RuntimeException e) {
      LOG.error("request {}: the answer could not be written in the client's format", requestId, e);
      ErrorResponses.send(ctx, GatewayError.INTERNAL.exception("The gateway could not write the answer."));
      settlement.free("the answer could not be written in the client's format");
      return;
    }
    if (clientGone) {
      settlement.charge(RequestOutcome.CLIENT_DISCONNECTED, priced, "the client closed the connection before the answer");
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end(answer);
    settlement.charge(RequestOutcome.COMPLETED, priced, null);
  }

  private void streamEnded(StreamEnd end) {
    switch (end.kind()) {
      case COMPLETED -> settlement.charge(RequestOutcome.COMPLETED, end.priced(), null);
      case CUT_AFTER_CONTENT -> settlement.charge(RequestOutcome.UPSTREAM_CUT, delivered(end), end.error().message());
      case CLIENT_GONE -> settlement.charge(RequestOutcome.CLIENT_DISCONNECTED, delivered(end),
          "the client closed the connection mid-stream");
      case GATEWAY_FAILED -> failedInGateway(delivered(end));
      case FAILED_BEFORE_CONTENT -> refuse(GatewayError.UPSTREAM_ERROR.exception(end.error().clientMessage()));
    }
  }

  /**
   * What a stream that did not complete delivered: the provider's usage where it reported one, else the prompt
   * estimate and the text written. A usage that cannot be priced (it overflows) falls back to the latter, so the
   * text already delivered is still charged.
   */
  private Priced delivered(StreamEnd end) {
    try {
      return settlement.pricePartial(end.upstreamUsage(), end.output());
    } catch (ArithmeticException unpriceable) {
      LOG.atWarn().addKeyValue("request_id", requestId).log("request {}: the provider's usage cannot be priced ({}); "
          + "charging the prompt estimate and the text delivered", requestId, unpriceable.getMessage());
      return settlement.pricePartial(null, end.output());
    }
  }

  /** The call cannot be sent to this route, or the gateway failed before anything was written: the client gets why, free. */
  private void refuse(GatewayException error) {
    if (ctx.response().headWritten()) {
      failedInGateway(settlement.pricePartial(null, ""));
      return;
    }
    ErrorResponses.send(ctx, error);
    settlement.free(error.getMessage());
  }

  /**
   * The client closed its connection: a stream is read on by its relay; a whole answer still coming
   * is waited for as long, then cancelled and the prompt charged (the provider had it).
   */
  private void onClientGone() {
    if (settlement.finished() || clientGone) {
      return;
    }
    clientGone = true;
    if (attempt != null) {
      attempt.clientGone();
    }
  }

  /** Runs one step; an exception in it ends the request instead of leaving it hanging. */
  private void guard(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("request_id", requestId).setCause(e).log("request {} failed in the gateway", requestId);
      failedInGateway(null);
    }
  }

  /**
   * The gateway itself failed. Nothing reached the client: a 500 in its format, and free. Part of
   * the answer did: the response is ended where it stands and what was delivered is charged.
   */
  private void failedInGateway(Priced delivered) {
    if (settlement.finished()) {
      return;
    }
    if (attempt != null) {
      attempt.abandon();
    }
    if (!ctx.response().headWritten()) {
      ErrorResponses.send(ctx, GatewayError.INTERNAL.exception("The gateway failed to handle the request."));
      settlement.free("the gateway failed to handle the request");
      return;
    }
    if (!ctx.response().ended()) {
      ctx.response().reset();
    }
    settlement.charge(RequestOutcome.GATEWAY_ERROR, delivered != null ? delivered : settlement.pricePartial(null, ""),
        "the gateway failed writing the answer");
  }

  private long remainingMs() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000;
  }

}
