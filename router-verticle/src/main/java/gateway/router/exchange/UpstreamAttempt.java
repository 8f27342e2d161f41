package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Route;
import gateway.router.provider.Completion;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.chatshape.ScannedAnswer;
import gateway.router.upstream.BoundedBody;
import gateway.router.upstream.ChannelTimeouts;
import gateway.router.upstream.UpstreamCall;
import gateway.router.upstream.UpstreamFailure;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to one route, ending in one {@link AttemptOutcome}: the call built by the attempt's
 * {@link Translation}, sent under the channel's timeouts (and what is left of the request's life),
 * and its answer read whole (bounded), relayed as a stream, or folded from a stream for a client
 * that wants it whole. A client that leaves is followed: a stream is read on by its relay, a whole
 * answer still coming is waited for as long, then cancelled. Confined to the request's event loop.
 */
final class UpstreamAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamAttempt.class);
  /** The most of a whole answer the router reads: far above any chat answer, bounded against a hostile upstream. */
  static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

  private final ExchangeServices services;
  private final ClientCall call;
  private final Route route;
  private final ProviderAdapter adapter;
  private final Translation translation;
  private final HttpServerResponse out;
  private final Settlement settlement;
  private final Promise<AttemptOutcome> outcome = Promise.promise();
  private UpstreamCall upstream;
  private SseRelay relay;
  private boolean clientLeft;
  private long graceTimer = -1;

  UpstreamAttempt(ExchangeServices services, ClientCall call, Route route, ProviderAdapter adapter,
                  Translation translation, HttpServerResponse out, Settlement settlement) {
    this.services = services;
    this.call = call;
    this.route = route;
    this.adapter = adapter;
    this.translation = translation;
    this.out = out;
    this.settlement = settlement;
  }

  /** Sends the call, with {@code remainingMs} left of the request's life and the output limit that was held. */
  Future<AttemptOutcome> run(int outputLimit, long remainingMs) {
    boolean upstreamStream = call.streamed() || (route.channel().streamOnly() && call.format().streams());
    UpstreamRequest request;
    try {
      request = translation.upstreamRequest(route, upstreamStream, outputLimit);
    } catch (GatewayException e) {
      return Future.succeededFuture(new AttemptOutcome.Refused(e));
    } catch (ClassCastException e) {
      // A field of the wrong JSON type that only this route's translation reads: the client's 400, not a hang.
      return Future.succeededFuture(new AttemptOutcome.Refused(GatewayError.INVALID_VALUE.exception(
          "a field of the request has the wrong JSON type for channel '" + route.channel().name() + "'")));
    } catch (RuntimeException e) {
      LOG.error("building the call to channel '{}' failed", route.channel().name(), e);
      return Future.succeededFuture(new AttemptOutcome.Refused(GatewayError.INTERNAL.exception(
          "The gateway could not build the call to channel '" + route.channel().name() + "'.")));
    }
    ChannelTimeouts timeouts = ChannelTimeouts.of(route.channel(), services.config())
        .forAttempt(upstreamStream, remainingMs);
    upstream = UpstreamCall.start(services.deadlines(), services.http(), route.channel().name(), request, timeouts);
    upstream.response().onComplete(answered -> guarded(() -> {
      if (answered.failed()) {
        end(new AttemptOutcome.Failed(errorOf(answered.cause())));
      } else if (answered.result().statusCode() >= 300) {
        readError(answered.result());
      } else if (call.streamed() && !clientLeft) {
        relay();
      } else if (upstreamStream) {
        StreamAggregation.read(upstream, translation).onComplete(this::endWith);
      } else {
        readWhole(answered.result());
      }
    }));
    return outcome.future();
  }

  /** The client closed its connection. */
  void clientGone() {
    if (clientLeft || outcome.future().isComplete()) {
      return;
    }
    clientLeft = true;
    if (relay != null) {
      relay.clientGone();
      return;
    }
    long grace = Math.max(1, services.config().usageGraceMs());
    graceTimer = services.vertx().setTimer(grace, id -> {
      // Settled first by the exchange (the outcome), then cancelled: the cancel's failure is no fault of the channel.
      if (end(new AttemptOutcome.Left()) && upstream != null) {
        upstream.cancel();
      }
    });
  }

  /** Stops the call at once: the exchange ended the request otherwise. */
  void abandon() {
    if (upstream != null) {
      upstream.cancel();
    }
  }

  private void readError(HttpClientResponse response) {
    int status = response.statusCode();
    BoundedBody.read(response, BoundedBody.MAX_ERROR_BYTES, true).onComplete(body -> guarded(() -> {
      upstream.done();
      end(new AttemptOutcome.Failed(adapter.error(status, body.succeeded() ? body.result() : Buffer.buffer())));
    }));
  }

  private void readWhole(HttpClientResponse response) {
    BoundedBody.read(response, MAX_ANSWER_BYTES, false).onComplete(read -> guarded(() -> {
      upstream.done();
      if (read.failed()) {
        String why = read.cause() instanceof BoundedBody.TooLarge ? "answered more than " + MAX_ANSWER_BYTES + " bytes"
            : "broke off its answer: " + read.cause().getMessage();
        end(new AttemptOutcome.Failed(read.cause() instanceof BoundedBody.TooLarge
            ? UpstreamError.transport("channel '" + route.channel().name() + "' " + why)
            : upstream.failure("channel '" + route.channel().name() + "' " + why).error()));
        return;
      }
      ScannedAnswer scanned = translation.scanned(read.result());
      if (scanned != null) {
        end(new AttemptOutcome.Answered(translation, null, scanned.usage(), scanned));
        return;
      }
      Completion completion;
      try {
        completion = translation.completion(read.result());
      } catch (RuntimeException e) {
        end(new AttemptOutcome.Failed(UpstreamError.transport("channel '" + route.channel().name()
            + "' answered something that is not an answer of its protocol")));
        return;
      }
      end(new AttemptOutcome.Answered(translation, completion.body(), completion.usage()));
    }));
  }

  private void relay() {
    relay = new SseRelay(services.vertx(), upstream, translation.streamTranslator(), translation.streamWriter(out),
        out, settlement::price, services.config().usageGraceMs());
    relay.run().onComplete(ended -> guarded(() -> {
      StreamEnd end = ended.result();
      end(end.kind() == StreamEnd.Kind.FAILED_BEFORE_CONTENT ? new AttemptOutcome.Failed(end.error())
          : new AttemptOutcome.Streamed(end));
    }));
  }

  private void endWith(AsyncResult<AttemptOutcome> result) {
    if (result.succeeded()) {
      end(result.result());
      return;
    }
    LOG.error("folding the stream of channel '{}' failed in the gateway", route.channel().name(), result.cause());
    end(new AttemptOutcome.Failed(new UpstreamError(0, "upstream_error", null, "the stream of channel '"
        + route.channel().name() + "' could not be read", true, false, null)));
  }

  /** Runs one step; an exception in it (the gateway's own failure) ends the attempt with a 500 for the client. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("the call to channel '{}' failed in the gateway", route.channel().name(), e);
      if (upstream != null) {
        upstream.cancel();
      }
      end(new AttemptOutcome.Refused(GatewayError.INTERNAL.exception("The gateway failed to handle the request.")));
    }
  }

  /** Ends the attempt once; false when it had ended already. */
  private boolean end(AttemptOutcome ending) {
    services.vertx().cancelTimer(graceTimer);
    return outcome.tryComplete(ending);
  }

  private static UpstreamError errorOf(Throwable failure) {
    return failure instanceof UpstreamFailure f ? f.error() : UpstreamError.transport(String.valueOf(failure));
  }

}
