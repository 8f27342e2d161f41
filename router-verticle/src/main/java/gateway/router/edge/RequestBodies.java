package gateway.router.edge;

import gateway.common.GatewayError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the edge treats request bodies before anyone reads them, so that a client without a key, or one sending
 * slowly, costs no memory:
 *
 * <ul>
 *   <li>{@link #pause}: a request that declares a body is paused on arrival, before the key or token is checked
 *       (asynchronously); vertx-web's {@code BodyHandler} resumes it once the caller is known.</li>
 *   <li>{@link #budget}: before the body is read it takes its declared length (or, with no declared length, the
 *       largest body allowed) from the process's budget of body bytes in flight, given back when the request ends.
 *       Over budget, the request is refused at once with 503.</li>
 *   <li>{@link #deadline}: the whole body must have arrived within the body timeout of the request head, else
 *       408.</li>
 *   <li>{@link #beforeRefusal}: an answer given while the body is still unread tells the client the connection
 *       closes, then reads and drops what the client still sends for a short while (so it can read the answer
 *       instead of a reset), and closes.</li>
 * </ul>
 */
public final class RequestBodies {
  private static final Logger LOG = LoggerFactory.getLogger(RequestBodies.class);
  /** How long a refused request's unread body is drained before its connection is closed. */
  private static final long LINGER_MS = 5_000;
  /** How often overdue bodies are looked for, at most (a quarter of the body timeout when that is shorter). */
  private static final long SWEEP_MS = 250;

  private final EdgeBudgets budgets;
  private final long bodyTimeoutMs;
  /**
   * The requests whose body is awaited, with their deadlines, in arrival order, which is deadline order (the timeout
   * is one for all): a sweep a few times per timeout ends the overdue ones from the front. A timer per request cost
   * more than the rest of the edge (it showed in the benchmark's profile). Confined to the server's event loop.
   */
  private final LinkedHashMap<RoutingContext, Long> awaited = new LinkedHashMap<>();
  private final long maxBodyBytes;
  private final long maxBodyBytesInFlight;

  public RequestBodies(Vertx vertx, long bodyTimeoutMs, long maxBodyBytes, long maxBodyBytesInFlight) {
    this.budgets = EdgeBudgets.of(vertx);
    this.bodyTimeoutMs = bodyTimeoutMs;
    this.maxBodyBytes = maxBodyBytes;
    this.maxBodyBytesInFlight = maxBodyBytesInFlight;
    // cancelled with the verticle that created it
    vertx.setPeriodic(Math.max(10, Math.min(SWEEP_MS, bodyTimeoutMs / 4)), id -> endOverdue());
  }

  /** Pauses a request that declares a body, so nothing of it is lost or buffered while the caller is checked. */
  public static void pause(RoutingContext ctx) {
    if (unread(ctx.request())) {
      ctx.request().pause();
    }
    ctx.next();
  }

  /** Refuses the request with 408 when its body has not fully arrived within the body timeout. */
  public void deadline(RoutingContext ctx) {
    if (unread(ctx.request())) {
      awaited.put(ctx, System.nanoTime() + bodyTimeoutMs * 1_000_000);
      ctx.addEndHandler(ended -> awaited.remove(ctx));
    }
    ctx.next();
  }

  private void endOverdue() {
    long now = System.nanoTime();
    List<RoutingContext> overdue = new ArrayList<>();
    Iterator<Map.Entry<RoutingContext, Long>> oldest = awaited.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<RoutingContext, Long> next = oldest.next();
      if (next.getValue() - now > 0) {
        break;
      }
      oldest.remove();
      overdue.add(next.getKey());
    }
    for (RoutingContext ctx : overdue) { // failed after the walk: failing runs end handlers, which touch the map
      if (unread(ctx.request()) && !ctx.response().ended()) {
        EdgeMetrics.requestRefused("body_timeout");
        LOG.debug("request {}: body not complete after {} ms", RequestIds.of(ctx), bodyTimeoutMs);
        ctx.fail(GatewayError.REQUEST_TIMEOUT.exception(
            "The request body did not arrive within " + bodyTimeoutMs / 1000 + " seconds."));
      }
    }
  }

  /** Takes the body's bytes from the process's budget, or refuses the request with 503 when they do not fit. */
  public void budget(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!unread(request)) {
      ctx.next();
      return;
    }
    long declared = declaredLength(request);
    if (declared > maxBodyBytes) {
      ctx.next(); // the body handler refuses it with 413 from its header alone
      return;
    }
    long claim = declared >= 0 ? declared : maxBodyBytes;
    if (!budgets.takeBodyBytes(claim, maxBodyBytesInFlight)) {
      EdgeMetrics.requestRefused("body_budget");
      LOG.warn("request {}: refused, {} bytes of request bodies already in flight", RequestIds.of(ctx),
          budgets.bodyBytesInFlight());
      ctx.response().putHeader("retry-after", "1");
      ctx.fail(GatewayError.SERVICE_UNAVAILABLE.exception(
          "The gateway is receiving too many request bodies at once; retry shortly."));
      return;
    }
    ctx.addEndHandler(ended -> budgets.giveBodyBytes(claim));
    ctx.next();
  }

  /**
   * Reads the body with vertx-web's {@code bodyHandler}; a form body its decoder cannot read (a part without a
   * name, a broken boundary or escape) is the client's 400, where the decoder's own exception would fail the route
   * as the gateway's 500.
   */
  public static void read(Handler<RoutingContext> bodyHandler, RoutingContext ctx) {
    bodyHandler.handle(ctx);
    HttpServerRequest request = ctx.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    String form = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
    if (form.startsWith("multipart/form-data") || form.startsWith("application/x-www-form-urlencoded")) {
      request.exceptionHandler(e -> {
        if (!ctx.failed() && !request.isEnded() && !ctx.response().headWritten()) {
          LOG.debug("request {}: unreadable form: {}", RequestIds.of(ctx), e.getMessage());
          ctx.fail(GatewayError.INVALID_VALUE.exception("The body could not be read as " + form.split(";")[0]
              + " (check its boundary and each part's Content-Disposition name)."));
        }
      });
    }
  }

  /**
   * Called before an error answer is written: when the request's body was never read, the answer says the
   * connection closes, and the returned handler (run once the answer is written) drains and closes.
   */
  static Handler<Void> beforeRefusal(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!unread(request)) {
      return null;
    }
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (!http2) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    return written -> {
      if (request.isEnded()) {
        if (!http2) {
          request.connection().close();
        }
        return;
      }
      request.handler(dropped -> { });
      request.endHandler(ended -> {
        if (!http2) {
          request.connection().close();
        }
      });
      request.resume();
      if (!http2) {
        ctx.vertx().setTimer(LINGER_MS, id -> request.connection().close());
      }
    };
  }

  /** Whether the request has a body that has not been read to its end. */
  static boolean unread(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      return true;
    }
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || declaredLength(request) > 0;
  }

  /** The declared Content-Length, or -1 when there is none (a malformed one never gets this far). */
  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
