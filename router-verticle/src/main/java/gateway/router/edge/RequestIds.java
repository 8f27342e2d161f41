package gateway.router.edge;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id ({@code req_} + 24 hex digits), returned as {@code x-request-id}
 * on every response, written on its usage row, and used as the billing idempotency key.
 * The id is always the gateway's own: a client cannot choose which hold a request settles.
 */
public final class RequestIds {
  public static final String HEADER = "x-request-id";
  private static final String KEY = "request_id";

  private RequestIds() {
  }

  public static void assign(RoutingContext ctx) {
    String id = next();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "unknown" : id;
  }

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "req_" + hex(random.nextLong()) + hex(random.nextLong()).substring(8);
  }

  private static String hex(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }
}
