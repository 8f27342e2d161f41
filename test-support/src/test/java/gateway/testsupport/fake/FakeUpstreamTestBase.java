package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

/** Starts a fresh fake and a client for every test; every test is bounded by the timeout. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
abstract class FakeUpstreamTestBase {

  /** Assertions that may throw, run inside {@link VertxTestContext#verify}. */
  @FunctionalInterface
  interface Check<T> {
    void accept(T value) throws Throwable;
  }

  FakeUpstream fake;
  TestClient client;
  Vertx vertx;

  @BeforeEach
  void startFake(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    FakeUpstream.start(vertx).onComplete(ctx.succeeding(started -> {
      fake = started;
      client = new TestClient(vertx, started);
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopFake(VertxTestContext ctx) {
    client.close().eventually(() -> fake.close()).onComplete(ctx.succeedingThenComplete());
  }

  /** Completes the test once {@code future} succeeded and the assertions passed; fails it otherwise. */
  static <T> void check(VertxTestContext ctx, Future<T> future, Check<T> assertions) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      assertions.accept(value);
      ctx.completeNow();
    })));
  }
}
