package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.bus.BillingBus;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.VertxExtension;
import java.net.HttpCookie;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CSV export streams: pages are read from billing only as fast as the client takes them. */
@ExtendWith(VertxExtension.class)
class UsageExportTest {
  private static final int ROWS = 200_000;
  private static final int PAGES = ROWS / 1000;

  @Test
  @DisplayName("200k rows stream out page by page: the first rows arrive before the last page is read, a client that "
      + "stops reading stops the export far from its end, and every row arrives exactly once")
  void exportStreamsWithBackpressure(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx);
    long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "big")).getLong("id");
    SelfServiceClient owner = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    gateway.sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, output_tokens,"
        + " cost_micros, priced_micros, outcome, created_at) SELECT 'req-' || g, ?, 1 + g % 7, 'model-' || g % 3, "
        + "'fake-openai', g, 2 * g, 1234, 1234, 'completed', timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second' "
        + "FROM generate_series(1, " + ROWS + ") g RETURNING 1", account);
    AtomicInteger pagesAsked = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (BillingBus.USAGE_PAGE.equals(delivery.message().address())) {
        pagesAsked.incrementAndGet();
      }
      delivery.next();
    });

    // A small, fixed receive buffer: the kernel may not grow it to hold the whole export for us.
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setReceiveBufferSize(32 * 1024));
    String cookies = owner.cookies.getCookieStore().getCookies().stream()
        .map(HttpCookie::toString).collect(Collectors.joining("; "));
    Promise<Integer> firstRow = Promise.promise();
    Promise<Void> finished = Promise.promise();
    Set<String> ids = new HashSet<>();
    AtomicInteger lines = new AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> header = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<RecordParser> parsing = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.Context> reading =
        new java.util.concurrent.atomic.AtomicReference<>();
    // The parser is attached on the event loop as the response arrives, before any of its body can.
    HttpClientResponse response = result(client.request(HttpMethod.GET, gateway.config.httpPort(), "127.0.0.1",
        "/api/usage/export.csv").compose(request -> request.putHeader("cookie", cookies).send()).map(arrived -> {
          RecordParser parser = RecordParser.newDelimited("\r\n", arrived);
          parsing.set(parser);
          reading.set(io.vertx.core.Vertx.currentContext());
          parser.handler(line -> {
            int n = lines.incrementAndGet();
            if (n == 1) {
              header.set(line.toString());
              return;
            }
            ids.add(line.toString().split(",")[1]);
            if (n == 2) {
              firstRow.complete(pagesAsked.get());
              parser.pause();
            }
          });
          parser.endHandler(v -> finished.complete());
          parser.exceptionHandler(finished::tryFail);
          return arrived;
        }));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/csv");
    RecordParser parser = parsing.get();

    // A buffered export would have read every page before the first row went out.
    assertThat(result(firstRow.future())).isLessThan(PAGES);
    assertThat(header.get()).startsWith("created_at,request_id,key_id,model");
    assertThat(ids).containsExactly("req-" + ROWS);
    // The client reads nothing more: once the socket buffers are full the export waits. (Linux lets a send
    // buffer grow to 4 MiB by default, about 36 pages of this export.)
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(new Steady(pagesAsked));
    assertThat(pagesAsked.get()).isLessThan(PAGES / 2);

    // Resumed on the connection's event loop: the parser is not thread-safe, and resuming it from the test thread
    // while the loop hands it new bytes once lost a few hundred rows.
    reading.get().runOnContext(v -> parser.resume());
    result(finished.future(), Duration.ofMinutes(2));
    assertThat(lines.get()).isEqualTo(ROWS + 1);
    assertThat(ids).hasSize(ROWS);
    assertThat(pagesAsked.get()).isBetween(PAGES, PAGES + 1);
  }

  /** True once the count stayed the same over five consecutive polls. */
  private static final class Steady implements Callable<Boolean> {
    private final AtomicInteger counter;
    private int last = -1;
    private int unchanged;

    Steady(AtomicInteger counter) {
      this.counter = counter;
    }

    @Override
    public Boolean call() {
      int now = counter.get();
      unchanged = now == last ? unchanged + 1 : 0;
      last = now;
      return unchanged >= 5;
    }
  }
}
