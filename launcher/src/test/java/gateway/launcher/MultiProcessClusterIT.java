package gateway.launcher;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Four gateway JVMs on loopback, clustered over Hazelcast TCP, their event bus over mutual TLS:
 * two routers, auth+catalog, and billing, with load through both routers. Billing is killed with SIGKILL mid-load and started
 * again; a router is stopped with SIGTERM while it streams. Money is checked in SQL.
 */
class MultiProcessClusterIT {
  private static final String MODEL = "gpt-4o-mini";
  private static final long TOPUP_MICROS = 100_000_000;
  private static final Duration CLIENT_TIMEOUT = ClusterProcesses.CLIENT_TIMEOUT;

  private ClusterProcesses cluster;
  private HttpClient http;
  private Vertx fakeVertx;
  private ExecutorService load;

  @AfterEach
  void stopEverything() throws Exception {
    if (load != null) {
      load.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (fakeVertx != null) {
      result(fakeVertx.close());
    }
  }

  @Test
  @DisplayName("billing killed mid-load: requests fail fast with 503, no charge is lost or doubled, interrupted "
      + "holds are released, balance = top-ups − usage costs; a router stopped with SIGTERM finishes its stream "
      + "while the other keeps serving")
  void survivesLosingProcesses() throws Exception {
    fakeVertx = Vertx.vertx();
    FakeUpstream fake = result(FakeUpstream.start(fakeVertx)).recordRequests(false);
    fake.script(MODEL, Behavior.reply("steady answer").usage(20, 10));
    fake.script("slow-" + MODEL, Behavior.reply("one two three four five six seven eight nine ten")
        .chunkDelay(Duration.ofMillis(250)).usage(10, 10));
    fake.script("broken-" + MODEL, Behavior.error(500, "upstream on fire"));

    Path logs = Files.createDirectories(Path.of("target", "it-logs", "cluster-" + System.currentTimeMillis()));
    Path catalog = logs.resolve("catalog.yaml");
    Files.writeString(catalog, """
        channels:
          - name: fake
            type: openai
            base_url: %s
            api_key: ${FAKE_CHANNEL_KEY}
        models:
          - alias: gpt-4o-mini
            price: {input_per_mtok: 100, output_per_mtok: 300}
            routes: [{channel: fake}]
          - alias: slow-gpt-4o-mini
            price: {input_per_mtok: 100, output_per_mtok: 300}
            routes: [{channel: fake}]
          - alias: broken-gpt-4o-mini
            price: {input_per_mtok: 100, output_per_mtok: 300}
            routes: [{channel: fake}]
        """.formatted(fake.openAiBaseUrl()));

    cluster = new ClusterProcesses(logs, 4, "it-");
    http = cluster.http;
    String pgUrl = cluster.pgUrl;
    Map<String, String> common = cluster.common;
    ClusterTls tls = cluster.tls;
    common.put("GATEWAY_LOG_FORMAT", "text");
    common.put("GATEWAY_SHUTDOWN_GRACE_SECONDS", "20");
    common.put("GATEWAY_HOLD_MAX_AGE_SECONDS", "20");
    common.put("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", "2");
    common.put("GATEWAY_PG_POOL_SIZE", "4");
    common.put("GATEWAY_ROUTER_INSTANCES", "1");
    common.put("GATEWAY_BILLING_INSTANCES", "1");
    common.put("FAKE_CHANNEL_KEY", "sk-upstream-secret-of-the-channel");

    GatewayProcess services = cluster.process("auth-catalog", 0, "auth,catalog",
        Map.of("GATEWAY_CATALOG", catalog.toString()));
    GatewayProcess billing = cluster.process("billing", 1, "billing", Map.of());
    GatewayProcess router1 = cluster.process("router-1", 2, "router", Map.of());
    GatewayProcess router2 = cluster.process("router-2", 3, "router",
        Map.of("GATEWAY_LOG_FORMAT", "json"));
    for (GatewayProcess p : List.of(services, billing, router1, router2)) {
      p.start();
    }
    awaitReady(List.of(services, billing, router1, router2));
    await().atMost(Duration.ofSeconds(60)).until(() -> adminStatus(router1, "GET", "/admin/models", null) == 200);

    long account = new JsonObject(admin(router1, "POST", "/admin/accounts", new JsonObject().put("name", "it")))
        .getLong("id");
    admin(router1, "POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 100));
    String key = new JsonObject(admin(router1, "POST", "/admin/accounts/" + account + "/keys",
        new JsonObject().put("models", new JsonArray().add("*")))).getString("key");
    await().atMost(Duration.ofSeconds(30)).until(() -> chat(router2, key, MODEL, false).statusCode() == 200);

    // Load through both routers, then lose billing in the middle of it.
    ClusterProcesses.LoadRecord record = new ClusterProcesses.LoadRecord();
    AtomicBoolean running = new AtomicBoolean(true);
    load = Executors.newFixedThreadPool(6);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      GatewayProcess router = w % 2 == 0 ? router1 : router2;
      boolean stream = w % 3 == 0;
      workers.add(load.submit(() -> {
        while (running.get()) {
          record.add(() -> chat(router, key, MODEL, stream));
        }
        return null;
      }));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> record.ok.get() >= 30);
    billing.kill();
    long okBeforeOutage = record.ok.get();
    await().atMost(Duration.ofSeconds(30)).until(() -> record.statuses.getOrDefault(503, 0L) >= 10);
    GatewayProcess billingAgain = cluster.process("billing-restarted", 1, "billing", Map.of());
    billingAgain.start();
    awaitReady(List.of(billingAgain));
    await().atMost(Duration.ofSeconds(60)).until(() -> record.ok.get() >= okBeforeOutage + 30);
    running.set(false);
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }

    assertThat(record.statuses.keySet()).as("statuses seen: %s", record.statuses).isSubsetOf(Set.of(200, 503));
    assertThat(record.slowestMillis.get()).as("no request hung").isLessThan(CLIENT_TIMEOUT.toMillis());
    assertThat(record.failures).as("transport failures").isEmpty();

    // Every answered request is charged once (settles lost with billing are retried), every hold is
    // settled or released, and the ledger adds up.
    long answered = record.ok.get() + 1;
    await().atMost(Duration.ofSeconds(120)).until(() ->
        sql(pgUrl, "SELECT count(*) FROM billing.usage WHERE cost_micros > 0") >= answered
            && sql(pgUrl, "SELECT count(*) FROM billing.holds") == 0);
    long balance = sql(pgUrl, "SELECT balance_micros FROM billing.balances WHERE account_id = " + account);
    long usageCosts = sql(pgUrl, "SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage");
    long ledgerCharges = sql(pgUrl, "SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge'");
    long topUps = sql(pgUrl, "SELECT SUM(amount_micros) FROM billing.ledger WHERE kind = 'topup'");
    assertThat(topUps).isEqualTo(TOPUP_MICROS);
    assertThat(balance).isEqualTo(topUps - usageCosts);
    assertThat(ledgerCharges).isEqualTo(usageCosts);
    long charged = sql(pgUrl, "SELECT count(*) FROM billing.usage WHERE cost_micros > 0");
    assertThat(charged).as("every answered request charged exactly once").isEqualTo(answered);

    // Router-2 logs JSON: a failed request's warning carries its id as a field.
    HttpResponse<String> failed = chat(router2, key, "broken-" + MODEL, false);
    assertThat(failed.statusCode()).isEqualTo(502);
    String failedId = failed.headers().firstValue("x-request-id").orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(router2.log()).stream()
        .filter(l -> l.startsWith("{")).map(JsonObject::new)
        .anyMatch(entry -> failedId.equals(entry.getString("request_id"))
            && "WARN".equals(entry.getString("level")) && entry.getString("message").contains("upstream on fire")));

    // SIGTERM a router mid-stream: the stream finishes, the other router keeps serving.
    List<String> streamed = new ArrayList<>();
    HttpResponse<InputStream> slow = http.send(chatRequest(router2, key, "slow-" + MODEL, true),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(slow.body(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null && !line.contains("two")) {
      streamed.add(line);
    }
    Future<Boolean> stopped = Executors.newSingleThreadExecutor().submit(() -> router2.terminate(Duration.ofSeconds(40)));
    assertThat(chat(router1, key, MODEL, false).statusCode()).isEqualTo(200);
    while ((line = reader.readLine()) != null) {
      streamed.add(line);
    }
    assertThat(streamed).contains("data: [DONE]");
    assertThat(stopped.get(60, TimeUnit.SECONDS)).as("router-2 exited after draining").isTrue();
    assertThat(chat(router1, key, MODEL, true).statusCode()).isEqualTo(200);

    // Nothing secret in any process's log.
    for (GatewayProcess p : cluster.processes()) {
      String text = Files.readString(p.log());
      assertThat(text).as(p.name()).doesNotContain(key).doesNotContain(TestServices.ADMIN_TOKEN)
          .doesNotContain("sk-upstream-secret-of-the-channel").doesNotContain(tls.password());
    }
  }

  private void awaitReady(List<GatewayProcess> started) {
    cluster.awaitReady(started);
  }

  private HttpResponse<String> chat(GatewayProcess router, String key, String model, boolean stream) throws Exception {
    return http.send(chatRequest(router, key, model, stream), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest chatRequest(GatewayProcess router, String key, String model, boolean stream) {
    String body = new JsonObject().put("model", model).put("stream", stream).put("max_tokens", 50)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    return HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions")).timeout(CLIENT_TIMEOUT)
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private String admin(GatewayProcess router, String method, String path, JsonObject body) throws Exception {
    return cluster.admin(router, method, path, body);
  }

  private int adminStatus(GatewayProcess router, String method, String path, JsonObject body) throws Exception {
    return cluster.adminCall(router, method, path, body).statusCode();
  }

  private long sql(String pgUrl, String query) throws Exception {
    return cluster.sql(query);
  }
}
