package gateway.router.limits;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends the limiter's finishes (real token counts, freed concurrency slots) to Redis in batches, one script call
 * for many requests: while one call is on its way, the finishes that come in wait for it and go together in the
 * next. So a lone finish leaves at once (no timer, no added wait when the load is low), and under load one round
 * trip carries every finish of that round trip's time: a freed slot is back in Redis at most two round trips after
 * its request ended, never later. Thread-safe (leases of tests finish off the event loop); the lock is only held to
 * queue and take, never during I/O.
 */
final class FinishBatcher {
  /** Finishes per script call at most: bounds the script's arguments and the time Redis spends in one call. */
  static final int MAX_BATCH = 256;

  /** One request's finish: its id, real tokens and the scopes it held. */
  record Finish(String requestId, long realTokens, List<String> heldScopes, Promise<Void> done) {
  }

  private final Function<List<String>, Future<?>> send;
  private final ArrayDeque<Finish> waiting = new ArrayDeque<>();
  private boolean sending;

  /** {@code send} runs the finish script with a batch's arguments; its failure is counted by the caller. */
  FinishBatcher(Function<List<String>, Future<?>> send) {
    this.send = send;
  }

  /** Queues one finish; the future (never failed) completes once its batch has been answered or given up. */
  Future<Void> add(String requestId, long realTokens, List<String> heldScopes) {
    Finish finish = new Finish(requestId, realTokens, List.copyOf(heldScopes), Promise.promise());
    List<Finish> batch;
    synchronized (this) {
      waiting.add(finish);
      batch = sending ? null : take();
    }
    if (batch != null) {
      sendBatch(batch);
    }
    return finish.done().future();
  }

  private void sendBatch(List<Finish> batch) {
    Future<?> call;
    try {
      call = send.apply(arguments(batch));
    } catch (RuntimeException e) {
      call = Future.failedFuture(e);
    }
    call.onComplete(answered -> {
      batch.forEach(f -> f.done().tryComplete());
      List<Finish> next;
      synchronized (this) {
        next = take();
      }
      if (next != null) {
        sendBatch(next);
      }
    });
  }

  /** The next batch, marking a call as on its way; null (and none on its way) when nothing waits. Under the lock. */
  private List<Finish> take() {
    if (waiting.isEmpty()) {
      sending = false;
      return null;
    }
    sending = true;
    List<Finish> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  /** finish.lua's arguments: per request its id, real tokens, number of scopes, then the scopes as held. */
  static List<String> arguments(List<Finish> batch) {
    List<String> args = new ArrayList<>(batch.size() * 5);
    for (Finish f : batch) {
      args.add(f.requestId());
      args.add(Long.toString(f.realTokens()));
      args.add(Integer.toString(f.heldScopes().size()));
      args.addAll(f.heldScopes());
    }
    return args;
  }
}
