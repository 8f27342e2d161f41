package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.Route;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.edge.ErrorResponses;
import gateway.router.observe.RouterMetrics;
import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Completion;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.sse.SseReader;
import gateway.router.upstream.BoundedBody;
import gateway.router.upstream.ChannelTimeouts;
import gateway.router.upstream.UpstreamCall;
import gateway.router.upstream.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat request after its hold was placed: tries the routes in order until one answers,
 * relays the answer, and ends in exactly one settle (charged) or release (free). Every client
 * format goes through here: each attempt's {@link Translation} carries the request and answer
 * either through the OpenAI chat shape or untranslated to a route speaking the client's format.
 *
 * <p>A route failing before anything reached the client hands over to the next route
 * (whose breaker and rate limits are checked first); once content reached the client the
 * request is that route's, whatever happens. Each attempt's outcome is reported to the
 * channel's breaker, counting only the provider's own failures.
 *
 * <p>The request lives at most {@link gateway.router.RouterConfig#requestLifeMs}, all routes
 * together, so its settle lands while its hold still exists. A client that leaves is not the end:
 * the answer is read on (unwritten) for the provider's usage, for a few seconds at most. An
 * exception anywhere ends the request with an error in the client's format: free when nothing
 * reached the client, charged for what did otherwise. Confined to the event loop of the request.
 */
final class ChatExchange {
  private static final Logger LOG = LoggerFactory.getLogger(ChatExchange.class);
  /** The most of a whole answer the router reads: far above any chat answer, bounded against a hostile upstream. */
  static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  private final RoutingContext ctx;
  private final ChatRequest request;
  private final Principal principal;
  private final ChatPlan plan;
  private final ClientProtocol protocol;
  private final ChatServices services;
  private final String requestId;
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private final List<String> heldLimits;

  private int nextRoute;
  private int attempts;
  private Route currentRoute;
  private UpstreamError lastError;
  private UpstreamCall inFlight;
  private Promise<Void> breakerOutcome;
  private SseRelay relay;
  private boolean clientGone;
  private long graceTimer = -1;
  private boolean finished;

  ChatExchange(RoutingContext ctx, ChatRequest request, Principal principal, ChatPlan plan, ClientProtocol protocol,
               ChatServices services, String requestId) {
    this.ctx = ctx;
    this.request = request;
    this.principal = principal;
    this.plan = plan;
    this.protocol = protocol;
    this.services = services;
    this.requestId = requestId;
    this.deadlineNanos = startNanos + services.config().requestLifeMs() * 1_000_000;
    this.heldLimits = new ArrayList<>(plan.admission().held());
  }

  void start() {
    services.billing().pin();
    ctx.response().closeHandler(v -> guard(this::onClientGone));
    guard(this::tryNextRoute);
  }

  private void tryNextRoute() {
    if (clientGone) {
      release("the client closed the connection before any route answered");
      return;
    }
    if (nextRoute >= plan.routes().size()) {
      failAllRoutes();
      return;
    }
    if (remainingMs() <= 0) {
      lastError = UpstreamError.requestTimeout("the request ran out of its time before route " + (nextRoute + 1));
      nextRoute = plan.routes().size();
      failAllRoutes();
      return;
    }
    boolean first = nextRoute == 0;
    Route route = plan.routes().get(nextRoute++);
    ProviderAdapter adapter = services.adapters().forChannel(route.channel());
    if (adapter == null) {
      LOG.atError().addKeyValue("request_id", requestId).log(
          "request {}: channel '{}' has type '{}', which no adapter speaks", requestId, route.channel().name(),
          route.channel().type());
      tryNextRoute();
      return;
    }
    // The admission already took the first route's channel slot; a fallback takes its own.
    Future<Boolean> room = first ? Future.succeededFuture(true)
        : services.limiter().acquireChannel(requestId, route.channel(), plan.tokenEstimate(), heldLimits);
    room.onComplete(granted -> guard(() -> {
      if (finished) {
        return;
      }
      Promise<Void> outcome = granted.result() ? services.breakers().attempt(route.channel()) : null;
      if (outcome == null) {
        LOG.atInfo().addKeyValue("request_id", requestId).log("request {}: skipping channel '{}' ({})", requestId,
            route.channel().name(),
            granted.result() ? "breaker open" : "at its rate limit");
        tryNextRoute();
        return;
      }
      attempt(route, adapter, outcome);
    }));
  }

  private void attempt(Route route, ProviderAdapter adapter, Promise<Void> outcome) {
    boolean upstreamStream = request.stream() || (route.channel().streamOnly() && request.format().streams());
    Translation translation = Translation.choose(request, protocol, adapter, route);
    UpstreamRequest upstream;
    try {
      upstream = translation.upstreamRequest(route, upstreamStream, plan.bound().outputLimit());
    } catch (GatewayException e) {
      refuseUntranslatable(outcome, e);
      return;
    } catch (ClassCastException e) {
      // A field of the wrong JSON type that only this route's translation reads: the client's 400, not a hang.
      refuseUntranslatable(outcome, GatewayError.INVALID_VALUE.exception(
          "a field of the request has the wrong JSON type for channel '" + route.channel().name() + "'"));
      return;
    } catch (RuntimeException e) {
      LOG.error("request {}: building the call to channel '{}' failed", requestId, route.channel().name(), e);
      refuseUntranslatable(outcome, GatewayError.INTERNAL.exception(
          "The gateway could not build the call to channel '" + route.channel().name() + "'."));
      return;
    }
    attempts++;
    currentRoute = route;
    breakerOutcome = outcome;
    ChannelTimeouts timeouts = ChannelTimeouts.of(route.channel(), services.config())
        .forAttempt(upstreamStream, remainingMs());
    UpstreamCall call = UpstreamCall.start(services.vertx(), services.http(), route.channel().name(), upstream,
        timeouts);
    inFlight = call;
    call.response().onComplete(answered -> guard(() -> {
      if (finished) {
        return;
      }
      if (answered.failed()) {
        inFlight = null;
        onAttemptFailed(route, errorOf(answered.cause()));
        return;
      }
      int status = answered.result().statusCode();
      if (status >= 300) {
        BoundedBody.read(answered.result(), BoundedBody.MAX_ERROR_BYTES, true).onComplete(body -> guard(() -> {
          call.done();
          inFlight = null;
          if (!finished) {
            onAttemptFailed(route, adapter.error(status, body.succeeded() ? body.result() : Buffer.buffer()));
          }
        }));
      } else if (request.stream() && !clientGone) {
        relay(route, translation, call);
      } else if (upstreamStream) {
        aggregate(route, translation, call);
      } else {
        readCompletion(route, translation, call);
      }
    }));
  }

  /** The request cannot be sent to this route: the client gets why, the hold is released, the channel is not blamed. */
  private void refuseUntranslatable(Promise<Void> outcome, GatewayException error) {
    outcome.complete();
    ErrorResponses.send(ctx, error);
    release(error.getMessage());
  }

  private void readCompletion(Route route, Translation translation, UpstreamCall call) {
    BoundedBody.read(call.response().result(), MAX_ANSWER_BYTES, false).onComplete(read -> guard(() -> {
      call.done();
      inFlight = null;
      if (finished) {
        return;
      }
      if (read.failed() && read.cause() instanceof BoundedBody.TooLarge) {
        onAttemptFailed(route, UpstreamError.transport("channel '" + route.channel().name() + "' answered more than "
            + MAX_ANSWER_BYTES + " bytes"));
        return;
      }
      if (read.failed()) {
        onAttemptFailed(route, call.failure("channel '" + route.channel().name() + "' broke off its answer: "
            + read.cause().getMessage()).error());
        return;
      }
      Completion completion;
      try {
        completion = translation.completion(read.result());
      } catch (RuntimeException e) {
        onAttemptFailed(route, UpstreamError.transport("channel '" + route.channel().name()
            + "' answered something that is not an answer of its protocol"));
        return;
      }
      respond(route, translation, completion.body(), completion.usage());
    }));
  }

  /** A whole answer for the client, read from a channel that only streams. */
  private void aggregate(Route route, Translation translation, UpstreamCall call) {
    HttpClientResponse response = call.response().result();
    StreamTranslator translator = translation.streamTranslator();
    ChunkAggregator aggregator = translation.aggregator();
    boolean[] decided = {false};
    Runnable settleStream = () -> {
      if (decided[0] || finished) {
        return;
      }
      decided[0] = true;
      call.done();
      inFlight = null;
      if (translator.error() != null || !translator.completed()) {
        call.cancel();
        onAttemptFailed(route, translator.error() != null ? translator.error()
            : call.failure("the stream of channel '" + route.channel().name() + "' ended before it was complete")
                .error());
        return;
      }
      respond(route, translation, aggregator.completion(), translator.usage());
    };
    SseReader reader = new SseReader(event -> {
      if (!decided[0]) {
        translator.accept(event, aggregator::accept);
        if (translator.completed() || translator.error() != null) {
          settleStream.run();
        }
      }
    });
    response.handler(buffer -> guard(() -> {
      if (!decided[0]) {
        call.touch();
        reader.feed(buffer);
      }
    }));
    response.endHandler(v -> guard(() -> {
      reader.end();
      settleStream.run();
    }));
    response.exceptionHandler(e -> guard(settleStream));
  }

  /**
   * A whole answer: built first (an answer that cannot be built is an error, and free), then
   * written, then charged. A client already gone is charged from the answer's usage, unwritten.
   */
  private void respond(Route route, Translation translation, JsonObject body, Usage reported) {
    Priced priced = price(reported, translation.outputText(body));
    JsonObject answer;
    try {
      answer = translation.answer(body, priced);
    } catch (RuntimeException e) {
      LOG.error("request {}: the answer of channel '{}' could not be written in the client's format", requestId,
          route.channel().name(), e);
      reportToBreaker(false);
      ErrorResponses.send(ctx, GatewayError.INTERNAL.exception("The gateway could not write the answer."));
      release("the answer could not be written in the client's format");
      return;
    }
    reportToBreaker(false);
    if (clientGone) {
      settle(route, RequestOutcome.CLIENT_DISCONNECTED, priced, "the client closed the connection before the answer");
      return;
    }
    ctx.response().putHeader("content-type", "application/json").end(answer.toBuffer());
    settle(route, RequestOutcome.COMPLETED, priced, null);
  }

  private void relay(Route route, Translation translation, UpstreamCall call) {
    relay = new SseRelay(services.vertx(), call, translation.streamTranslator(),
        translation.streamWriter(ctx.response()), ctx.response(), this::price, services.config().usageGraceMs());
    relay.run().onComplete(ended -> guard(() -> {
      relay = null;
      inFlight = null;
      StreamEnd end = ended.result();
      switch (end.kind()) {
        case COMPLETED -> {
          reportToBreaker(false);
          settle(route, RequestOutcome.COMPLETED, end.priced(), null);
        }
        case CUT_AFTER_CONTENT -> {
          reportToBreaker(end.error().countsAgainstChannel());
          settle(route, RequestOutcome.UPSTREAM_CUT, pricePartial(end.upstreamUsage(), end.output()),
              end.error().message());
        }
        case CLIENT_GONE -> {
          reportToBreaker(false);
          settle(route, RequestOutcome.CLIENT_DISCONNECTED, pricePartial(end.upstreamUsage(), end.output()),
              "the client closed the connection mid-stream");
        }
        case FAILED_BEFORE_CONTENT -> onAttemptFailed(route, end.error());
        case GATEWAY_FAILED -> failedInGateway(() -> pricePartial(end.upstreamUsage(), end.output()));
      }
    }));
  }

  private void onAttemptFailed(Route route, UpstreamError error) {
    lastError = error;
    reportToBreaker(error.countsAgainstChannel());
    LOG.atWarn().addKeyValue("request_id", requestId).log("request {}: channel '{}' failed (status {}): {}",
        requestId, route.channel().name(), error.status(),
        error.message());
    if (error.isClientError()) {
      ErrorResponses.send(ctx, error.status(), clientErrorType(error), error.code(), error.clientMessage(), null);
      release(error.message());
      return;
    }
    tryNextRoute();
  }

  private void reportToBreaker(boolean channelFailed) {
    Promise<Void> outcome = breakerOutcome;
    breakerOutcome = null;
    if (outcome == null) {
      return;
    }
    RouterMetrics.upstreamAttempt(currentRoute.channel().name(), channelFailed ? "failed"
        : lastError != null && lastError.isClientError() ? "rejected" : "ok");
    if (channelFailed) {
      outcome.tryFail("channel failure");
    } else {
      outcome.tryComplete();
    }
  }

  private void failAllRoutes() {
    if (attempts == 0 && lastError == null) {
      ErrorResponses.send(ctx, GatewayError.NO_AVAILABLE_CHANNEL.exception(
          "No channel can serve the model '" + request.model() + "' right now."));
      release("no route could be tried");
      return;
    }
    String reason = lastError == null ? "unknown" : lastError.message();
    ErrorResponses.send(ctx, GatewayError.UPSTREAM_ERROR.exception(
        "All " + attempts + " upstream attempt(s) failed; the last: "
            + (lastError == null ? reason : lastError.clientMessage())));
    release(reason);
  }

  /**
   * The client closed its connection. A stream is read on by its relay; a whole answer still
   * coming is waited for as long, then cancelled and charged the prompt: the provider had it.
   */
  private void onClientGone() {
    if (finished || clientGone) {
      return;
    }
    clientGone = true;
    if (relay != null) {
      relay.clientGone();
      return;
    }
    if (inFlight != null) {
      reportToBreaker(false);
      UpstreamCall call = inFlight;
      graceTimer = services.vertx().setTimer(Math.max(1, Math.min(services.config().usageGraceMs(), remainingMs())),
          id -> guard(() -> {
            if (finished) {
              return;
            }
            // Settle first: cancelling fails the call at once, and that failure is no fault of the channel.
            settle(currentRoute, RequestOutcome.CLIENT_DISCONNECTED, pricePartial(null, ""),
                "the client closed the connection before the answer");
            call.cancel();
          }));
    }
  }

  /** Runs one step of the exchange; an exception in it ends the request instead of leaving it hanging. */
  private void guard(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("request_id", requestId).setCause(e).log("request {} failed in the gateway", requestId);
      failedInGateway(() -> pricePartial(null, ""));
    }
  }

  /**
   * The gateway itself failed. Nothing reached the client: a 500 in its format, and free. Part of
   * the answer did: the response is ended where it stands and what was delivered is charged.
   */
  private void failedInGateway(Supplier<Priced> delivered) {
    if (finished) {
      return;
    }
    reportToBreaker(false);
    if (inFlight != null) {
      UpstreamCall call = inFlight;
      inFlight = null;
      call.cancel();
    }
    if (!ctx.response().headWritten()) {
      ErrorResponses.send(ctx, GatewayError.INTERNAL.exception("The gateway failed to handle the request."));
      release("the gateway failed to handle the request");
      return;
    }
    if (!ctx.response().ended()) {
      ctx.response().reset();
    }
    settle(currentRoute, RequestOutcome.GATEWAY_ERROR, delivered.get(), "the gateway failed writing the answer");
  }

  /** Usage as the provider reported it, else counted from the request and the output. */
  private Priced price(Usage reported, CharSequence output) {
    Usage usage = reported != null ? reported
        : new Usage(services.tokens().promptTokens(request.body()), 0, 0, services.tokens().count(output), 0);
    return new Priced(usage, plan.model().price().costMicros(usage));
  }

  /** For an answer that did not complete: the prompt as reported (or counted) and the output generated. */
  private Priced pricePartial(Usage reported, CharSequence output) {
    long counted = services.tokens().count(output);
    if (reported == null) {
      return price(new Usage(services.tokens().promptTokens(request.body()), 0, 0, counted, 0), output);
    }
    return price(new Usage(reported.inputTokens(), reported.cacheReadTokens(), reported.cacheWriteTokens(),
        Math.max(reported.outputTokens(), counted), reported.reasoningTokens()), output);
  }

  private long remainingMs() {
    return (deadlineNanos - System.nanoTime()) / 1_000_000;
  }

  private void settle(Route route, RequestOutcome outcome, Priced priced, String error) {
    if (finished) {
      return;
    }
    finished = true;
    services.vertx().cancelTimer(graceTimer);
    services.limiter().finish(requestId, priced.usage().totalTokens(), heldLimits);
    UsageReport report = report(route, outcome, priced.usage(), priced.costMicros(), error);
    services.billing().settle(report);
    services.billing().unpin();
    recordMetrics(report);
  }

  private void release(String error) {
    if (finished) {
      return;
    }
    finished = true;
    services.vertx().cancelTimer(graceTimer);
    services.limiter().finish(requestId, 0, heldLimits);
    UsageReport report = report(currentRoute, RequestOutcome.FAILED, Usage.ZERO, 0, error);
    services.billing().release(report);
    services.billing().unpin();
    recordMetrics(report);
  }

  private void recordMetrics(UsageReport report) {
    int status = clientGone && !ctx.response().headWritten() ? 499 : ctx.response().getStatusCode();
    RouterMetrics.requestFinished(plan.model().alias(), report.channel(), status, report.outcome(),
        System.nanoTime() - startNanos, report.usage(), report.costMicros());
  }

  private UsageReport report(Route route, RequestOutcome outcome, Usage usage, long cost, String error) {
    String channel = route == null ? null : route.channel().name();
    long latencyMs = (System.nanoTime() - startNanos) / 1_000_000;
    return new UsageReport(requestId, principal.accountId(), principal.keyId(), request.model(), channel, usage,
        cost, outcome, latencyMs, attempts, error);
  }

  private static UpstreamError errorOf(Throwable failure) {
    return failure instanceof UpstreamFailure f ? f.error() : UpstreamError.transport(String.valueOf(failure));
  }

  private static String clientErrorType(UpstreamError error) {
    return switch (error.status()) {
      case 400, 413, 422 -> "invalid_request_error";
      default -> error.type();
    };
  }
}
