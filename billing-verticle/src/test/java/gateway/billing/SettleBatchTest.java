package gateway.billing;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.PgDatabase;
import gateway.common.PgSettings;
import gateway.testsupport.TestServices;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The settle batcher on a real Postgres, with a statement of its own shape: one row back per
 * parameter set (none when {@code $2} is negative, as a settle without a balance row), the
 * transaction id in it so the test sees which settles shared a commit, and a unique key a replay violates.
 */
@ExtendWith(VertxExtension.class)
class SettleBatchTest {
  private static final String STATEMENT = """
      INSERT INTO settled (request_id, amount) SELECT $1::text, $2::bigint WHERE $2::bigint >= 0
      RETURNING request_id, amount, txid_current() AS tx, nextval('settle_order') AS seq""";

  private Vertx vertx;
  private Pool pool;
  private Context loop;
  private SettleBatch batch;

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    pool = PgDatabase.pool(vertx, new PgSettings(TestServices.freshDatabase(), 4), "settle-batch-test");
    result(pool.query("CREATE TABLE settled (request_id text PRIMARY KEY, amount bigint NOT NULL)").execute());
    result(pool.query("CREATE SEQUENCE settle_order").execute());
    loop = vertx.getOrCreateContext();
    batch = new SettleBatch(pool, STATEMENT, 1); // the amount stands for the account here
  }

  @AfterEach
  void close() {
    result(pool.close());
  }

  /** A settle handed to the batcher, and the order in which the replies arrived. */
  private record Submitted(String requestId, Future<Row> reply) {
  }

  private final List<String> replyOrder = new CopyOnWriteArrayList<>();

  /** Submits every settle in one turn of the event loop the batcher is confined to, as a burst of requests would. */
  private List<Submitted> submitAtOnce(List<Tuple> settles) {
    Promise<List<Submitted>> submitted = Promise.promise();
    loop.runOnContext(v -> {
      List<Submitted> all = new ArrayList<>();
      for (Tuple settle : settles) {
        String id = settle.getString(0);
        all.add(new Submitted(id, batch.submit(settle).onComplete(done -> replyOrder.add(id))));
      }
      submitted.complete(all);
    });
    List<Submitted> all = result(submitted.future());
    result(Future.join(all.stream().map(Submitted::reply).toList()).otherwiseEmpty());
    return all;
  }

  @Test
  @DisplayName("settles arriving while one commits go together in the next transaction, at most 64 to a batch, "
      + "each answered with its own row, in order")
  void batchesWhileOneCommits() {
    List<Tuple> settles = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      settles.add(Tuple.of("r" + i, (long) i));
    }
    List<Submitted> submitted = submitAtOnce(settles);

    for (int i = 0; i < submitted.size(); i++) {
      Row row = submitted.get(i).reply().result();
      assertThat(row.getString("request_id")).isEqualTo("r" + i);
      assertThat(row.getLong("amount")).isEqualTo(i);
    }
    assertThat(replyOrder).isEqualTo(submitted.stream().map(Submitted::requestId).toList());
    Map<Long, List<String>> byTransaction = submitted.stream().collect(Collectors.groupingBy(
        s -> s.reply().result().getLong("tx"), Collectors.mapping(Submitted::requestId, Collectors.toList())));
    long firstTx = submitted.get(0).reply().result().getLong("tx");
    assertThat(byTransaction.get(firstTx)).as("the first goes alone, at once").containsExactly("r0");
    assertThat(byTransaction).as("the 99 queued behind it: one batch of 64, one of 35").hasSize(3);
    assertThat(byTransaction.values()).extracting(List::size).containsExactlyInAnyOrder(1, 64, 35);
    assertThat(count()).isEqualTo(100);
  }

  @Test
  @DisplayName("a batch with a replay in it is redone one settle at a time: the replay fails alone, its neighbours "
      + "are settled, and a settle with no row is answered null")
  void failingBatchIsRedoneOneByOne() {
    result(pool.query("INSERT INTO settled VALUES ('replayed', 1)").execute());
    List<Submitted> submitted = submitAtOnce(List.of(
        Tuple.of("first", 1L), Tuple.of("a", 2L), Tuple.of("replayed", 3L), Tuple.of("no-row", -1L),
        Tuple.of("b", 4L)));

    Function<String, Future<Row>> reply = id -> submitted.stream().filter(s -> s.requestId().equals(id))
        .findFirst().orElseThrow().reply();
    assertThat(reply.apply("replayed").failed()).isTrue();
    assertThat(reply.apply("replayed").cause()).isInstanceOf(PgException.class)
        .satisfies(e -> assertThat(((PgException) e).getSqlState()).isEqualTo("23505"));
    assertThat(reply.apply("no-row").succeeded()).isTrue();
    assertThat(reply.apply("no-row").result()).isNull();
    Set<Long> neighbourTransactions = new HashSet<>();
    for (String id : List.of("a", "b")) {
      assertThat(reply.apply(id).succeeded()).as(id).isTrue();
      assertThat(reply.apply(id).result().getString("request_id")).isEqualTo(id);
      neighbourTransactions.add(reply.apply(id).result().getLong("tx"));
    }
    assertThat(neighbourTransactions).as("redone one at a time, not in one transaction").hasSize(2);
    assertThat(replyOrder).isEqualTo(List.of("first", "a", "replayed", "no-row", "b"));
    assertThat(count()).as("'first', 'a', 'b' and the earlier 'replayed', once each").isEqualTo(4);
    assertThat(result(pool.query("SELECT amount FROM settled WHERE request_id = 'replayed'").execute())
        .iterator().next().getLong(0)).as("the replay changed nothing").isEqualTo(1);
  }

  @Test
  @DisplayName("within a batch the settles run in account order (two batchers never lock accounts in opposite "
      + "orders, so they cannot deadlock), and are still answered in arrival order")
  void batchRunsInAccountOrder() {
    List<Tuple> settles = new ArrayList<>();
    settles.add(Tuple.of("alone", 100L));
    for (long account = 10; account >= 1; account--) {
      settles.add(Tuple.of("r" + account, account));
    }
    List<Submitted> submitted = submitAtOnce(settles);

    List<Row> batched = submitted.subList(1, submitted.size()).stream().map(s -> s.reply().result()).toList();
    assertThat(batched).extracting(r -> r.getLong("tx")).as("one batch").containsOnly(batched.get(0).getLong("tx"));
    List<Long> executionOrder = batched.stream()
        .sorted(java.util.Comparator.comparingLong(r -> r.getLong("seq"))).map(r -> r.getLong("amount")).toList();
    assertThat(executionOrder).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    for (Submitted s : submitted) {
      assertThat(s.reply().result().getString("request_id")).isEqualTo(s.requestId());
    }
    assertThat(replyOrder).isEqualTo(submitted.stream().map(Submitted::requestId).toList());
  }

  private long count() {
    return result(pool.query("SELECT count(*) FROM settled").execute()).iterator().next().getLong(0);
  }
}
