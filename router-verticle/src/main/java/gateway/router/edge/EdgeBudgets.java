package gateway.router.edge;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every router instance of one process draws from together: its open client connections
 * and the bytes of request bodies its requests hold. One per Vert.x instance, found through the
 * instance's local shared data, so the caps hold per process however many router verticles run.
 */
public final class EdgeBudgets implements Shareable {
  private static final String MAP = "gateway.router.edge";
  private static final String KEY = "budgets";

  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final List<ConnectionGuard> guards = new CopyOnWriteArrayList<>();

  private EdgeBudgets() {
  }

  public static EdgeBudgets of(Vertx vertx) {
    return vertx.sharedData().<String, EdgeBudgets>getLocalMap(MAP).computeIfAbsent(KEY, k -> new EdgeBudgets());
  }

  /** The connection guards of every server instance running in this process. */
  List<ConnectionGuard> guards() {
    return guards;
  }

  /** Counts a new connection; the count after it. */
  int connectionOpened() {
    return openConnections.incrementAndGet();
  }

  void connectionClosed() {
    openConnections.decrementAndGet();
  }

  public int openConnections() {
    return openConnections.get();
  }

  /** Takes {@code bytes} from the body budget if they fit under {@code limit}. */
  boolean takeBodyBytes(long bytes, long limit) {
    while (true) {
      long held = bodyBytes.get();
      if (held + bytes > limit) {
        return false;
      }
      if (bodyBytes.compareAndSet(held, held + bytes)) {
        return true;
      }
    }
  }

  void giveBodyBytes(long bytes) {
    bodyBytes.addAndGet(-bytes);
  }

  public long bodyBytesInFlight() {
    return bodyBytes.get();
  }
}
