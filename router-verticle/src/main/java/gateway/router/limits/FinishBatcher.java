package gateway.router.limits;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends the limiter's finishes (token corrections, freed concurrency slots, allowances given back: finish.lua's
 * operations) to Redis in batches, one script call for many requests: while one call is on its way, the finishes that come in wait for it and go together in the
 * next. So a lone finish leaves at once (no timer, no added wait when the load is low), and under load one round
 * trip carries every finish of that round trip's time: a freed slot is back in Redis at most two round trips after
 * its request ended, never later. Thread-safe (leases of tests finish off the event loop); the lock is only held to
 * queue and take, never during I/O.
 */
final class FinishBatcher {
  /** Operations per script call at most (a request's own are never split): bounds the arguments and Redis' time. */
  static final int MAX_BATCH = 256;

  /** One request's operations, flat, five values each. */
  record Finish(List<String> operations, Promise<Void> done) {
  }

  private final Function<List<String>, Future<?>> send;
  private final ArrayDeque<Finish> waiting = new ArrayDeque<>();
  private boolean sending;

  /** {@code send} runs the finish script with a batch's arguments; its failure is counted by the caller. */
  FinishBatcher(Function<List<String>, Future<?>> send) {
    this.send = send;
  }

  /** Queues one request's operations; the future (never failed) completes once its batch was answered or given up. */
  Future<Void> add(List<String> operations) {
    Finish finish = new Finish(operations, Promise.promise());
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
    int operations = 0;
    while (!waiting.isEmpty() && (batch.isEmpty() || operations + waiting.peek().operations().size() / Ops.SIZE
        <= MAX_BATCH)) {
      Finish next = waiting.poll();
      operations += next.operations().size() / Ops.SIZE;
      batch.add(next);
    }
    return batch;
  }

  /** finish.lua's arguments: every operation of the batch, in order. */
  static List<String> arguments(List<Finish> batch) {
    List<String> args = new ArrayList<>(batch.size() * Ops.SIZE);
    for (Finish f : batch) {
      args.addAll(f.operations());
    }
    return args;
  }
}
