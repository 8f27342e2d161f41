package gateway.router.upstream;

import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP call to a provider under a channel's timeouts. {@link #response()} completes
 * when the response headers arrive and fails with an {@link UpstreamFailure} on connect
 * errors and timeouts. {@link #cancel()} aborts the call at any point (the client went
 * away, a timeout fired); {@link #done()} stops watching its deadlines once the answer is read.
 *
 * <p>A provider that is slow to start or stalls (first-byte and idle timeouts) is the channel's
 * failure; a request that runs out of its total time is not: the client asked for more than fits.
 */
public final class UpstreamCall {
  private final UpstreamDeadlines deadlines;
  private final String channel;
  private final ChannelTimeouts timeouts;
  private final long startNanos = System.nanoTime();
  private final Promise<HttpClientResponse> response = Promise.promise();
  private HttpClientRequest request;
  private boolean headersArrived;
  private boolean finished;
  private long lastActivityNanos;
  private boolean cancelled;
  private String abortReason;
  private boolean abortIsChannelFault;

  private UpstreamCall(UpstreamDeadlines deadlines, String channel, ChannelTimeouts timeouts) {
    this.deadlines = deadlines;
    this.channel = channel;
    this.timeouts = timeouts;
  }

  /** Starts the call; {@code deadlines} (its router instance's) watches its timeouts until it is done. */
  public static UpstreamCall start(UpstreamDeadlines deadlines, HttpClient client, String channel,
                                   UpstreamRequest upstream, ChannelTimeouts timeouts) {
    UpstreamCall call = new UpstreamCall(deadlines, channel, timeouts);
    RequestOptions options = UpstreamTarget.of(upstream.url()).post()
        .setHeaders(upstream.headers())
        .setConnectTimeout(timeouts.connectMs());
    deadlines.watch(call);
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
        if (answered.failed()) {
          call.fail("the connection to channel '" + channel + "' failed", describe(answered.cause()));
        } else {
          call.headersArrived = true;
          call.touch();
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
    if (!finished) {
      finished = true;
      deadlines.unwatch(this);
    }
  }

  /** The provider sent something: the idle gap starts again. */
  public void touch() {
    lastActivityNanos = System.nanoTime();
  }

  /** Whether the first-byte timeout is shorter than the total one (a non-stream call has only the total). */
  private boolean firstByteApplies() {
    return timeouts.firstByteMs() < timeouts.totalMs();
  }

  private enum Deadline { NONE, TOTAL, FIRST_BYTE, IDLE }

  /** Whether a deadline has passed (the sweep asks, then {@link #expire}s the overdue). */
  boolean overdue(long now) {
    return passed(now) != Deadline.NONE;
  }

  /**
   * Aborts the call for the deadline that passed. The total is the request's time running out, not the channel's
   * fault; a first byte too slow or a gap too long are the channel's.
   */
  void expire(long now) {
    if (finished) {
      return;
    }
    switch (passed(now)) {
      case TOTAL -> abort("channel '" + channel + "' did not finish within " + timeouts.totalMs() + " ms", false);
      case FIRST_BYTE -> abort("channel '" + channel + "' sent no response within " + timeouts.firstByteMs()
          + " ms", true);
      case IDLE -> abort("channel '" + channel + "' sent nothing for " + timeouts.idleMs() + " ms", true);
      case NONE -> { }
    }
  }

  private Deadline passed(long now) {
    long elapsedMs = (now - startNanos) / 1_000_000;
    if (elapsedMs >= timeouts.totalMs()) {
      return Deadline.TOTAL;
    }
    if (!headersArrived) {
      return firstByteApplies() && elapsedMs >= timeouts.firstByteMs() ? Deadline.FIRST_BYTE : Deadline.NONE;
    }
    return (now - lastActivityNanos) / 1_000_000 >= timeouts.idleMs() ? Deadline.IDLE : Deadline.NONE;
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
