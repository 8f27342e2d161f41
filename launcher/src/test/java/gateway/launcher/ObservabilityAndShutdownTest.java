package gateway.launcher;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.config.Env;
import gateway.common.PgUrl;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The running process as an operator sees it: its metrics, and how it stops. */
class ObservabilityAndShutdownTest {
  private static final String METRICS_TOKEN = "metrics-scraper-token-0123456789";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private Vertx fakeVertx;
  private FakeUpstream fake;
  private Gateway gateway;
  private String key;

  @BeforeEach
  void start() throws Exception {
    fakeVertx = Vertx.vertx();
    fake = result(FakeUpstream.start(fakeVertx));
    Env config = TestServices.env().with("GATEWAY_SHUTDOWN_GRACE_SECONDS", 20)
        .with("GATEWAY_METRICS_TOKEN", METRICS_TOKEN);
    gateway = Gateway.start(config);
    port = gateway.config().process().httpPort();
    admin("PUT", "/admin/channels/fake", new JsonObject().put("type", "openai").put("base_url", fake.openAiBaseUrl()));
    admin("PUT", "/admin/models/gpt-4o-mini", new JsonObject()
        .put("price", new JsonObject().put("input_per_mtok", 10).put("output_per_mtok", 20))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "fake"))));
    long account = new JsonObject(admin("POST", "/admin/accounts", new JsonObject().put("name", "ops")).body())
        .getLong("id");
    admin("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
    key = new JsonObject(admin("POST", "/admin/accounts/" + account + "/keys",
        new JsonObject().put("models", new JsonArray().add("*"))).body()).getString("key");
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    result(fakeVertx.close());
  }

  @Test
  @DisplayName("/metrics shows requests, latency, tokens and cost by model and channel, upstream attempts, "
      + "ledger charges, event-bus reply times and answers by status (Vert.x's own HTTP server meters are off)")
  void metricsInPrometheusFormat() throws Exception {
    fake.script("gpt-4o-mini", Behavior.reply("counted").usage(100, 10));
    assertThat(chat(false).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String metrics = scrape(METRICS_TOKEN).body();
      assertThat(metrics)
          .contains("gateway_requests_total{channel=\"fake\",model=\"gpt-4o-mini\",outcome=\"completed\",status=\"200\"} 1.0")
          .contains("gateway_request_duration_seconds_bucket{channel=\"fake\",model=\"gpt-4o-mini\",status=\"200\"")
          .contains("gateway_tokens_total{channel=\"fake\",kind=\"input\",model=\"gpt-4o-mini\"} 100.0")
          .contains("gateway_tokens_total{channel=\"fake\",kind=\"output\",model=\"gpt-4o-mini\"} 10.0")
          .contains("gateway_cost_micros_total{channel=\"fake\",model=\"gpt-4o-mini\"} 1200.0")
          .contains("gateway_upstream_attempts_total{channel=\"fake\",result=\"ok\"} 1.0")
          .contains("gateway_ledger_charged_micros_total 1200.0")
          .contains("gateway_bus_reply_seconds_count{address=\"billing.reserve\",ok=\"true\"}")
          .contains("gateway_http_responses_total{status=\"200\"}")
          .doesNotContain("vertx_http_server_requests_total")
          .contains("jvm_memory_used_bytes");
    });
  }

  @Test
  @DisplayName("/metrics is not on the public port; its own port answers only a scraper with the bearer token")
  void metricsAreOffThePublicPort() throws Exception {
    assertThat(get("/metrics").statusCode()).isEqualTo(404);
    assertThat(scrape(null).statusCode()).isEqualTo(401);
    assertThat(scrape(METRICS_TOKEN + "x").statusCode()).isEqualTo(401);
    HttpResponse<String> scraped = scrape(METRICS_TOKEN);
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.body()).contains("jvm_memory_used_bytes");
  }

  @Test
  @DisplayName("stopping drains: a stream in flight finishes whole and is charged, while new connections are refused")
  void stoppingDrainsStreamsInFlight() throws Exception {
    fake.script("gpt-4o-mini", Behavior.reply("one two three four five six seven eight nine ten")
        .chunkDelay(Duration.ofMillis(200)).usage(10, 10));
    HttpResponse<InputStream> stream = http.send(request("/v1/chat/completions")
        .POST(HttpRequest.BodyPublishers.ofString(body(true))).build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null && !line.contains("one")) {
      lines.add(line);
    }

    Gateway stopping = gateway;
    gateway = null;
    CompletableFuture<Void> closed = CompletableFuture.runAsync(stopping::close);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        get("/health/live");
        return false;
      } catch (java.io.IOException refused) {
        return true;
      }
    });
    while ((line = reader.readLine()) != null) {
      lines.add(line);
    }
    closed.get(60, TimeUnit.SECONDS);

    assertThat(lines).contains("data: [DONE]");
    assertThat(String.join("\n", lines)).contains("ten");
    assertThat(chargedMicros(stopping)).isEqualTo(10 * 10 + 10 * 20);
  }

  private long chargedMicros(Gateway stopped) throws Exception {
    PgUrl url = PgUrl.parse(stopped.config().pg().url());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE outcome = 'completed'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private HttpResponse<String> chat(boolean stream) throws Exception {
    return http.send(request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(body(stream))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String body(boolean stream) {
    return new JsonObject().put("model", "gpt-4o-mini").put("stream", stream).put("max_tokens", 50)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int port;

  private HttpResponse<String> scrape(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.config().process().metricsPort() + "/metrics")).timeout(Duration.ofSeconds(5));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int port() {
    return port;
  }

  private HttpResponse<String> admin(String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + TestServices.ADMIN_TOKEN)
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode() / 100).as(response.body()).isEqualTo(2);
    return response;
  }
}
