package gateway.billing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit: while one group of submissions is being written, those that arrive queue up and go together as the
 * next group. At low load a group is one submission, sent at once; under load many share one transaction.
 * Confined to its verticle's event loop.
 *
 * @param <P> what one caller submits
 * @param <R> what it is answered
 */
abstract class GroupCommit<P, R> {
  /** A submission waiting for its group. */
  record Pending<P, R>(P parameters, Promise<R> reply) {
  }

  private final int maxGroup;
  private final List<Pending<P, R>> queue = new ArrayList<>();
  private boolean committing;

  GroupCommit(int maxGroup) {
    this.maxGroup = maxGroup;
  }

  final Future<R> submit(P parameters) {
    Promise<R> reply = Promise.promise();
    queue.add(new Pending<>(parameters, reply));
    if (!committing) {
      flush();
    }
    return reply.future();
  }

  /** Writes one group and answers every submission in it; completes (never fails) when the next group may go. */
  abstract Future<Void> commit(List<Pending<P, R>> group);

  private void flush() {
    if (queue.isEmpty()) {
      committing = false;
      return;
    }
    committing = true;
    List<Pending<P, R>> group = new ArrayList<>(queue.subList(0, Math.min(maxGroup, queue.size())));
    queue.subList(0, group.size()).clear();
    commit(group).onComplete(v -> flush());
  }
}
