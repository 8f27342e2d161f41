package gateway.testsupport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Waits for a future from a test thread, never longer than a bound, and rethrows its failure. */
public final class Await {
  public static final Duration BOUND = Duration.ofSeconds(30);

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    return result(future, BOUND);
  }

  public static <T> T result(Future<T> future, Duration bound) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + bound, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts {@code chain} on an event loop and waits for it. An HTTP exchange composed from the test thread can have
   * its response head handed over before {@code body()} is attached, and then the body is missed and the test hangs.
   */
  public static <T> T onEventLoop(Vertx vertx, Supplier<Future<T>> chain) {
    Promise<T> promise = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> chain.get().onComplete(promise));
    return result(promise.future());
  }

  /** The failure of a future that must fail; an AssertionError if it succeeds. */
  public static Throwable failure(Future<?> future) {
    try {
      Object value = result(future);
      throw new AssertionError("expected a failure, got " + value);
    } catch (AssertionError e) {
      throw e;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
