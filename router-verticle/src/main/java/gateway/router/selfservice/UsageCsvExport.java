package gateway.router.selfservice;

import gateway.common.bus.BillingBus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams usage rows as CSV, newest first, one keyset page at a time: the next page is asked of
 * billing only once the last one is written and the connection can take more (the response's
 * write queue drained), so an account with a million rows costs one page of memory, and a client
 * that reads slowly slows the export instead of filling the heap. A client that leaves stops it. No channel
 * column: customers are not told which upstream served them.
 */
final class UsageCsvExport {
  private static final Logger LOG = LoggerFactory.getLogger(UsageCsvExport.class);
  static final int PAGE_ROWS = 1000;
  static final String HEADER = "created_at,request_id,key_id,model,outcome,input_tokens,cache_read_tokens,"
      + "cache_write_tokens,output_tokens,reasoning_tokens,cost_credits,latency_ms\r\n";

  private final EventBus bus;

  UsageCsvExport(EventBus bus) {
    this.bus = bus;
  }

  void stream(RoutingContext ctx, JsonObject query) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(200);
    Sessions.store(ctx, false).onComplete(stored -> {
      Replies.mirrorCsrfToken(ctx);
      response.setChunked(true)
          .putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"usage.csv\"")
          .putHeader("cache-control", "no-store");
      response.write(HEADER);
      nextPage(response, query.copy().put("limit", PAGE_ROWS), null);
    });
  }

  private void nextPage(HttpServerResponse response, JsonObject query, String cursor) {
    if (response.closed()) {
      return;
    }
    JsonObject page = cursor == null ? query : query.copy().put("cursor", cursor);
    Replies.call(bus, BillingBus.USAGE_PAGE, page).onComplete(done -> {
      if (response.closed()) {
        return;
      }
      if (done.failed()) {
        // The head is out: the only honest signal left is a connection that ends without a clean end.
        LOG.error("usage export of account {} failed after it started", query.getLong("account_id"), done.cause());
        response.reset();
        return;
      }
      Buffer rows = Buffer.buffer();
      done.result().getJsonArray("data").forEach(row -> appendRow(rows, (JsonObject) row));
      response.write(rows);
      String next = done.result().getString("next_cursor");
      if (next == null) {
        response.end();
      } else if (response.writeQueueFull()) {
        response.drainHandler(drained -> nextPage(response, query, next));
      } else {
        nextPage(response, query, next);
      }
    });
  }

  private static void appendRow(Buffer out, JsonObject row) {
    StringBuilder line = new StringBuilder(200);
    line.append(row.getString("created_at")).append(',')
        .append(field(row.getString("request_id"))).append(',')
        .append(row.getLong("key_id")).append(',')
        .append(field(row.getString("model"))).append(',')
        .append(field(row.getString("outcome"))).append(',')
        .append(row.getLong("input_tokens")).append(',')
        .append(row.getLong("cache_read_tokens")).append(',')
        .append(row.getLong("cache_write_tokens")).append(',')
        .append(row.getLong("output_tokens")).append(',')
        .append(row.getLong("reasoning_tokens")).append(',')
        .append(row.getValue("cost_credits")).append(',')
        .append(row.getLong("latency_ms")).append("\r\n");
    out.appendString(line.toString());
  }

  /** A text field, quoted when it must be, never starting like a spreadsheet formula. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    String safe = value.isEmpty() || "=+-@\t\r".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
    boolean quote = safe.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
    return quote ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
  }
}
