package gateway.router.upstream;

import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP call to a provider under a channel's timeouts. {@link #response()} completes
 * when the response headers arrive and fails with an {@link UpstreamFailure} on connect
 * errors and timeouts. {@link #cancel()} aborts the call at any point (the client went
 * away, a timeout fired); {@link #done()} ends its timers once the answer is read.
 *
 * <p>A provider that is slow to start or stalls (first-byte and idle timeouts) is the channel's
 * failure; a request that runs out of its total time is not: the client asked for more than fits.
 */
public final class UpstreamCall {
  private final Vertx vertx;
  private final String channel;
  private final Promise<HttpClientResponse> response = Promise.promise();
  private HttpClientRequest request;
  private long totalTimer = -1;
  private long firstByteTimer = -1;
  private long idleWatch = -1;
  private long lastActivityNanos;
  private boolean cancelled;
  private String abortReason;
  private boolean abortIsChannelFault;

  private UpstreamCall(Vertx vertx, String channel) {
    this.vertx = vertx;
    this.channel = channel;
  }

  public static UpstreamCall start(Vertx vertx, HttpClient client, String channel, UpstreamRequest upstream,
                                   ChannelTimeouts timeouts) {
    UpstreamCall call = new UpstreamCall(vertx, channel);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(upstream.url())
        .setHeaders(upstream.headers())
        .setConnectTimeout(timeouts.connectMs());
    call.totalTimer = vertx.setTimer(timeouts.totalMs(),
        id -> call.abort("channel '" + channel + "' did not finish within " + timeouts.totalMs() + " ms", false));
    if (timeouts.firstByteMs() < timeouts.totalMs()) {
      call.firstByteTimer = vertx.setTimer(timeouts.firstByteMs(), id -> call.abort("channel '" + channel
          + "' sent no response within " + timeouts.firstByteMs() + " ms", true));
    }
    client.request(options).onComplete(connected -> {
      if (connected.failed()) {
        call.fail("channel '" + channel + "' could not be reached", describe(connected.cause()));
        return;
      }
      call.request = connected.result();
      if (call.cancelled) {
        call.request.reset();
        call.fail("the call to channel '" + channel + "' was cancelled");
        return;
      }
      call.request.send(upstream.body()).onComplete(answered -> {
        vertx.cancelTimer(call.firstByteTimer);
        if (answered.failed()) {
          call.fail("the connection to channel '" + channel + "' failed", describe(answered.cause()));
        } else {
          call.watchIdle(timeouts.idleMs());
          call.response.tryComplete(answered.result());
        }
      });
    });
    return call;
  }

  /** The response, once its headers arrived. */
  public Future<HttpClientResponse> response() {
    return response.future();
  }

  /** Whether the response headers arrived (so the provider has started answering). */
  public boolean answered() {
    return response.future().succeeded();
  }

  public String channel() {
    return channel;
  }

  /** Stops the call: the provider sees the connection close and stops generating. */
  public void cancel() {
    cancelled = true;
    done();
    if (request != null) {
      request.reset();
    }
    fail("the call to channel '" + channel + "' was cancelled");
  }

  public void done() {
    vertx.cancelTimer(totalTimer);
    vertx.cancelTimer(firstByteTimer);
    vertx.cancelTimer(idleWatch);
  }

  /** The provider sent something: the idle gap starts again. */
  public void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** Aborts the call when the answer stalls longer than {@code idleMs}; checked a few times per gap. */
  private void watchIdle(long idleMs) {
    touch();
    long idleNanos = idleMs * 1_000_000;
    idleWatch = vertx.setPeriodic(Math.max(10, idleMs / 4), id -> {
      if (System.nanoTime() - lastActivityNanos > idleNanos) {
        abort("channel '" + channel + "' sent nothing for " + idleMs + " ms", true);
      }
    });
  }

  /** A transport failure of this call, naming the timeout that aborted it, if one did. */
  public UpstreamFailure failure(String message) {
    if (abortReason == null) {
      return new UpstreamFailure(UpstreamError.transport(message));
    }
    return new UpstreamFailure(abortIsChannelFault ? UpstreamError.transport(abortReason)
        : UpstreamError.requestTimeout(abortReason));
  }

  private void abort(String reason, boolean channelFault) {
    abortReason = reason;
    abortIsChannelFault = channelFault;
    cancel();
  }

  private void fail(String message) {
    done();
    response.tryFail(failure(message));
  }

  /** Fails with {@code clientText} for the client and the transport's {@code detail} (its address) for the log. */
  private void fail(String clientText, String detail) {
    done();
    response.tryFail(abortReason != null ? failure(clientText)
        : new UpstreamFailure(UpstreamError.transport(clientText, detail)));
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
