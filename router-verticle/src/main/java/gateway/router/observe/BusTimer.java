package gateway.router.observe;

import io.vertx.core.Future;

/** Times event-bus round trips into {@link RouterMetrics#busReply}. */
public final class BusTimer {
  private BusTimer() {
  }

  public static <T> Future<T> timed(String address, Future<T> reply) {
    long start = System.nanoTime();
    return reply.andThen(done -> RouterMetrics.busReply(address, done.succeeded(), System.nanoTime() - start));
  }
}
