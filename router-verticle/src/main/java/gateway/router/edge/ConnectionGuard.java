package gateway.router.edge;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the client connections of one HTTP server instance (so of one event loop):
 *
 * <ul>
 *   <li>a new connection must complete its first request head within the header timeout;</li>
 *   <li>a connection with no request in progress is closed after the keep-alive timeout (its next request head
 *       must be complete by then);</li>
 *   <li>the process keeps at most {@code maxConnections} open: a connection over the cap evicts the longest-idle
 *       connection that has no request in progress (a silent one, or one still sending its head), so health probes
 *       and real clients get in while silent sockets pile up. The eviction is of this event loop's connections,
 *       or, when it has none idle, asked of another event loop that has (the new connection stays meanwhile); with
 *       none idle anywhere, the new connection is closed at once.</li>
 * </ul>
 *
 * <p>A connection with a request in progress is never closed here, however long its answer is silent: a stream
 * whose upstream thinks for minutes writes nothing for minutes. Slow request bodies are the
 * {@link RequestBodies#deadline body deadline}'s job. Vert.x's own idle timeout is not used for this: it closes a
 * connection whose answer is silent as readily as an idle one.
 *
 * <p>Each connection is seen from its accept only when the server does not offer cleartext HTTP/2: with h2c on,
 * Vert.x hands over a connection only once its first request head (or the HTTP/2 preface) has arrived.
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final Vertx vertx;
  private final Context context;
  private final EdgeBudgets budgets;
  private final long headerTimeoutMs;
  private final long keepAliveTimeoutMs;
  private final int maxConnections;
  private final Map<HttpConnection, Watched> watched = new IdentityHashMap<>();
  /** Connections with no request in progress, longest idle first. */
  private final Set<Watched> idle = new LinkedHashSet<>();
  /** The size of {@link #idle}, for the other event loops to read. */
  private volatile int idleCount;
  private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

  public ConnectionGuard(Vertx vertx, long headerTimeoutMs, long keepAliveTimeoutMs, int maxConnections) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.budgets = EdgeBudgets.of(vertx);
    this.headerTimeoutMs = headerTimeoutMs;
    this.keepAliveTimeoutMs = keepAliveTimeoutMs;
    this.maxConnections = maxConnections;
    EdgeMetrics.watch(budgets);
    budgets.guards().add(this);
  }

  /** Stops taking part in the process's evictions (the server instance is stopping). */
  public void close() {
    budgets.guards().remove(this);
  }

  /** The server's connection handler. */
  public void accept(HttpConnection connection) {
    Watched w = new Watched(connection);
    connection.closeHandler(v -> closed(w));
    if (budgets.connectionOpened() > maxConnections && !evictIdle() && !askAnotherLoopToEvict()) {
      EdgeMetrics.connectionClosed("refused");
      long now = System.nanoTime();
      if (now - lastRefusalLog > REFUSAL_LOG_INTERVAL_NANOS) {
        lastRefusalLog = now;
        LOG.warn("refusing new connections: {} open (cap {}) and none idle to evict (counted in "
            + "gateway_edge_connections_closed_total, reason refused)", budgets.openConnections(), maxConnections);
      }
      connection.close();
      return;
    }
    watched.put(connection, w);
    becomeIdle(w, headerTimeoutMs, "header_timeout");
  }

  /** The first handler of every request: marks its connection busy until the request ends, then counts its answer. */
  public Handler<RoutingContext> requests() {
    return ctx -> {
      Watched w = watched.get(ctx.request().connection());
      if (w != null) {
        w.inProgress++;
        idle.remove(w);
        idleCount = idle.size();
      }
      ctx.addEndHandler(ended -> {
        EdgeMetrics.responded(ctx.response().getStatusCode(), ctx.response().headWritten());
        if (w != null) {
          w.inProgress--;
          if (w.inProgress == 0 && !w.closed) {
            becomeIdle(w, keepAliveTimeoutMs, "keep_alive_timeout");
          }
        }
      });
      ctx.next();
    };
  }

  /**
   * The connection has no request in progress: it is closed {@code timeoutMs} from now unless a request comes. The
   * connection's one timer is not cancelled when a request comes nor set again when it ends (a keep-alive connection
   * would cost a timer per request, which showed in the benchmark's profile): when it fires, it closes the connection
   * if it is idle past its deadline, waits for the rest if it became idle since, and stops if a request is in
   * progress (the request's end arms it again).
   */
  private void becomeIdle(Watched w, long timeoutMs, String reason) {
    idle.add(w);
    idleCount = idle.size();
    w.deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000;
    w.reason = reason;
    if (w.timer < 0 || w.firesAtNanos - w.deadlineNanos > 0) {
      arm(w, timeoutMs);
    }
  }

  private void arm(Watched w, long delayMs) {
    vertx.cancelTimer(w.timer);
    w.firesAtNanos = System.nanoTime() + delayMs * 1_000_000;
    w.timer = vertx.setTimer(Math.max(1, delayMs), id -> fired(w));
  }

  private void fired(Watched w) {
    w.timer = -1;
    if (w.inProgress > 0 || w.closed) {
      return;
    }
    long leftNanos = w.deadlineNanos - System.nanoTime();
    if (leftNanos > 0) {
      arm(w, (leftNanos + 999_999) / 1_000_000);
      return;
    }
    EdgeMetrics.connectionClosed(w.reason);
    LOG.debug("closing connection from {}: {}", w.connection.remoteAddress(), w.reason);
    w.connection.close();
  }

  private boolean evictIdle() {
    Iterator<Watched> oldest = idle.iterator();
    if (!oldest.hasNext()) {
      return false;
    }
    Watched victim = oldest.next();
    oldest.remove();
    idleCount = idle.size();
    vertx.cancelTimer(victim.timer);
    EdgeMetrics.connectionClosed("evicted");
    victim.connection.close();
    return true;
  }

  private boolean askAnotherLoopToEvict() {
    for (ConnectionGuard other : budgets.guards()) {
      if (other != this && other.idleCount > 0) {
        other.context.runOnContext(v -> other.evictIdle());
        return true;
      }
    }
    return false;
  }

  private void closed(Watched w) {
    if (w.closed) {
      return;
    }
    w.closed = true;
    budgets.connectionClosed();
    vertx.cancelTimer(w.timer);
    idle.remove(w);
    idleCount = idle.size();
    watched.remove(w.connection);
  }

  private static final class Watched {
    final HttpConnection connection;
    int inProgress;
    long timer = -1;
    long firesAtNanos;
    long deadlineNanos;
    String reason;
    boolean closed;

    Watched(HttpConnection connection) {
      this.connection = connection;
    }
  }
}
