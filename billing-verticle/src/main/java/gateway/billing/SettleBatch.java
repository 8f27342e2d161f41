package gateway.billing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles in batches: while one batch commits, the settles that arrive queue up and go in
 * the next, as one transaction with one commit. Under load a hot account's row is locked and
 * flushed once per batch instead of once per request; at low load a batch is one settle,
 * sent at once. A replay does not fail its batch (the statement answers it as one, V15); a batch that fails
 * anyway (a request id reused on another account, a value Postgres refuses) is redone one settle at a time, so one
 * bad settle never fails its neighbours. Within a batch the settles run in
 * account order: every billing instance has a batcher of its own, and two batches locking the same
 * accounts in different orders deadlock (Postgres then kills one after a second, which the benchmark
 * over 64 accounts showed as a 3x loss); in one order they only queue.
 * Confined to its verticle's event loop.
 */
final class SettleBatch extends GroupCommit<Tuple, Row> {
  private static final int MAX_BATCH = 64;

  private final Pool pool;
  private final String statement;
  private final int accountParameter;

  /** {@code accountParameter}: the position in each settle's parameters of the account whose rows it locks. */
  SettleBatch(Pool pool, String statement, int accountParameter) {
    super(MAX_BATCH);
    this.pool = pool;
    this.statement = statement;
    this.accountParameter = accountParameter;
  }

  /** A settle's reply is the settled row, or null when the account has no balance row. */
  @Override
  Future<Void> commit(List<Pending<Tuple, Row>> batch) {
    return batch.size() == 1 ? alone(batch.get(0)) : together(batch);
  }

  private Future<Void> together(List<Pending<Tuple, Row>> batch) {
    List<Pending<Tuple, Row>> locking = new ArrayList<>(batch);
    locking.sort(Comparator.comparingLong(p -> p.parameters().getLong(accountParameter))); // stable: one account's keep their order
    List<Tuple> parameters = locking.stream().map(Pending::parameters).toList();
    return pool.withTransaction(tx -> tx.preparedQuery(statement).executeBatch(parameters))
        .map(first -> {
          Map<Pending<Tuple, Row>, Row> answers = new IdentityHashMap<>();
          RowSet<Row> rows = first;
          for (Pending<Tuple, Row> pending : locking) {
            answers.put(pending, rows.size() == 0 ? null : rows.iterator().next());
            rows = rows.next();
          }
          for (Pending<Tuple, Row> pending : batch) { // answered in arrival order
            pending.reply().complete(answers.get(pending));
          }
          return (Void) null;
        })
        .recover(failure -> {
          LedgerMetrics.groupRedone();
          Future<Void> oneByOne = Future.succeededFuture();
          for (Pending<Tuple, Row> pending : batch) {
            oneByOne = oneByOne.compose(v -> alone(pending));
          }
          return oneByOne;
        });
  }

  private Future<Void> alone(Pending<Tuple, Row> pending) {
    return pool.preparedQuery(statement).execute(pending.parameters())
        .onSuccess(rows -> pending.reply().complete(rows.size() == 0 ? null : rows.iterator().next()))
        .onFailure(pending.reply()::fail)
        .<Void>mapEmpty()
        .recover(failure -> Future.succeededFuture());
  }
}
