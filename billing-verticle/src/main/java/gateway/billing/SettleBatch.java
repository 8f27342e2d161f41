package gateway.billing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Settles in batches: while one batch commits, the settles that arrive queue up and go in
 * the next, as one transaction with one commit. Under load a hot account's row is locked and
 * flushed once per batch instead of once per request; at low load a batch is one settle,
 * sent at once. A batch that fails (a replayed request id violates the usage key) is redone
 * one settle at a time, so one replay never fails its neighbours.
 * Confined to its verticle's event loop.
 */
final class SettleBatch {
  private static final int MAX_BATCH = 64;

  /** A settle waiting for its batch; its reply is the settled row, or null when the account has no balance row. */
  private record Pending(Tuple parameters, Promise<Row> reply) {
  }

  private final Pool pool;
  private final String statement;
  private final List<Pending> queue = new ArrayList<>();
  private boolean committing;

  SettleBatch(Pool pool, String statement) {
    this.pool = pool;
    this.statement = statement;
  }

  Future<Row> submit(Tuple parameters) {
    Promise<Row> reply = Promise.promise();
    queue.add(new Pending(parameters, reply));
    if (!committing) {
      flush();
    }
    return reply.future();
  }

  private void flush() {
    if (queue.isEmpty()) {
      committing = false;
      return;
    }
    committing = true;
    List<Pending> batch = new ArrayList<>(queue.subList(0, Math.min(MAX_BATCH, queue.size())));
    queue.subList(0, batch.size()).clear();
    Future<Void> done = batch.size() == 1 ? alone(batch.get(0)) : together(batch);
    done.onComplete(v -> flush());
  }

  private Future<Void> together(List<Pending> batch) {
    List<Tuple> parameters = batch.stream().map(Pending::parameters).toList();
    return pool.withTransaction(tx -> tx.preparedQuery(statement).executeBatch(parameters))
        .map(first -> {
          RowSet<Row> rows = first;
          for (Pending pending : batch) {
            pending.reply.complete(rows.size() == 0 ? null : rows.iterator().next());
            rows = rows.next();
          }
          return (Void) null;
        })
        .recover(failure -> {
          Future<Void> oneByOne = Future.succeededFuture();
          for (Pending pending : batch) {
            oneByOne = oneByOne.compose(v -> alone(pending));
          }
          return oneByOne;
        });
  }

  private Future<Void> alone(Pending pending) {
    return pool.preparedQuery(statement).execute(pending.parameters)
        .onSuccess(rows -> pending.reply.complete(rows.size() == 0 ? null : rows.iterator().next()))
        .onFailure(pending.reply::fail)
        .<Void>mapEmpty()
        .recover(failure -> Future.succeededFuture());
  }
}
