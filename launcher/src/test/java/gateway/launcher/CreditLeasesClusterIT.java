package gateway.launcher;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Credit leases across processes: three router JVMs over Hazelcast drawing leases on one account down to the
 * edge of its balance under load, and a router SIGKILLed while it holds a lease. Money is checked in SQL.
 */
class CreditLeasesClusterIT {
  private static final String MODEL = "leased";
  // max_tokens 100 at 1,000 credits per million output tokens (input free): every hold and every charge 100,000 µcr
  private static final long COST = 100_000;

  private ClusterProcesses cluster;
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
  @DisplayName("a router SIGKILLed holding a lease loses nothing: after the lease's expiry all unspent credit is "
      + "back and nothing is charged twice; three routers drawing leases on one account down to its edge under "
      + "load never take it below zero, and balance drop = usage costs = ledger charges; the same for an account "
      + "whose voucher and cash are both leased")
  void leasesAcrossRouters() throws Exception {
    List<GatewayProcess> routers = startCluster();
    GatewayProcess doomed = routers.get(2);

    // A router dies holding a lease on a busy account.
    long big = account(routers.get(0), 1_000);
    String bigKey = key(routers.get(0), big);
    ClusterProcesses.LoadRecord doomedLoad = new ClusterProcesses.LoadRecord();
    AtomicBoolean running = new AtomicBoolean(true);
    load = Executors.newFixedThreadPool(12);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      workers.add(load.submit(() -> {
        while (running.get()) {
          doomedLoad.add(() -> chat(doomed, bigKey));
        }
        return null;
      }));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> doomedLoad.ok.get() >= 100 && leased(big) > 0);
    doomed.kill();
    running.set(false);
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertThat(leased(big)).as("the dead router's lease is still held").isPositive();
    // The lease lives GATEWAY_HOLD_MAX_AGE_SECONDS (20 s) unless renewed; then the sweeper gives it back.
    await().atMost(Duration.ofSeconds(90)).until(() -> sql("SELECT count(*) FROM billing.holds WHERE account_id = "
        + big) == 0);
    long bigUsage = sql("SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = " + big);
    long charged = sql("SELECT count(*) FROM billing.usage WHERE cost_micros > 0 AND account_id = " + big);
    assertThat(sql("SELECT held_micros FROM billing.balances WHERE account_id = " + big)).isZero();
    assertThat(balance(big)).isEqualTo(1_000_000_000L - bigUsage);
    assertThat(charges(big)).isEqualTo(bigUsage);
    assertThat(sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND account_id = " + big))
        .as("one charge per request").isEqualTo(charged);
    // The router answers, then settles: a SIGKILL can fall between the two for the four requests in flight (their
    // answer reached the client, their settle never left), or after a settle whose answer did not arrive. So the
    // charged count is the answered count within four either way; "never charged twice" is the ledger check above.
    assertThat(charged).isBetween(doomedLoad.ok.get() - 4, doomedLoad.ok.get() + 4);

    // Three routers draw leases on one account, from plenty down past its edge.
    GatewayProcess third = cluster.process("router-3b", 3, "router", Map.of());
    third.start();
    cluster.awaitReady(List.of(third));
    List<GatewayProcess> three = List.of(routers.get(0), routers.get(1), third);
    long edge = account(routers.get(0), 60); // 600 requests' worth; a lease is 64
    String edgeKey = key(routers.get(0), edge);
    ClusterProcesses.LoadRecord edgeLoad = new ClusterProcesses.LoadRecord();
    AtomicBoolean drawing = new AtomicBoolean(true);
    workers.clear();
    for (int w = 0; w < 12; w++) {
      GatewayProcess router = three.get(w % 3);
      workers.add(load.submit(() -> {
        while (drawing.get()) {
          edgeLoad.add(() -> chat(router, edgeKey));
        }
        return null;
      }));
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> edgeLoad.statuses.getOrDefault(402, 0L) >= 60);
    drawing.set(false);
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertThat(edgeLoad.failures).as("transport failures").isEmpty();
    assertThat(edgeLoad.statuses.keySet()).isSubsetOf(List.of(200, 402));
    // What leases kept back comes back (recalled after refusals, or idle): then the rest of the balance is usable.
    for (int i = 0; i < 600 && balance(edge) > 0; i++) {
      chat(three.get(i % 3), edgeKey);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> sql("SELECT count(*) FROM billing.holds WHERE account_id = "
        + edge) == 0);
    long usage = sql("SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = " + edge);
    // no top-up meanwhile, so a balance that ends at zero with exactly its worth charged never went below it
    assertThat(balance(edge)).as("spent to the last request").isZero();
    assertThat(usage).isEqualTo(60_000_000L);
    assertThat(charges(edge)).isEqualTo(usage);
    assertThat(sql("SELECT count(*) FROM billing.usage WHERE cost_micros > 0 AND account_id = " + edge))
        .isEqualTo(600);
    assertThat(sql("SELECT held_micros FROM billing.balances WHERE account_id = " + edge)).isZero();

    // The same with two pots: 30 credits of cash and a 30-credit voucher, both leased, drawn past their edge.
    long pots = account(routers.get(0), 30);
    long voucher = new JsonObject(cluster.admin(routers.get(0), "POST", "/admin/accounts/" + pots + "/vouchers",
        new JsonObject().put("amount_credits", "30").put("models", new JsonArray().add(MODEL)))).getLong("id");
    String potsKey = key(routers.get(0), pots);
    ClusterProcesses.LoadRecord potsLoad = new ClusterProcesses.LoadRecord();
    AtomicBoolean spending = new AtomicBoolean(true);
    workers.clear();
    for (int w = 0; w < 12; w++) {
      GatewayProcess router = three.get(w % 3);
      workers.add(load.submit(() -> {
        while (spending.get()) {
          potsLoad.add(() -> chat(router, potsKey));
        }
        return null;
      }));
    }
    // a router's first lease on the voucher lasts its 64 holds: look often
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> sql("SELECT count(*) FROM "
        + "billing.hold_parts WHERE request_id LIKE 'lease:pot:%' AND voucher_id = " + voucher) > 0);
    await().atMost(Duration.ofSeconds(120)).until(() -> potsLoad.statuses.getOrDefault(402, 0L) >= 60);
    spending.set(false);
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertThat(potsLoad.failures).as("transport failures").isEmpty();
    assertThat(potsLoad.statuses.keySet()).isSubsetOf(List.of(200, 402));
    String voucherLeft = "SELECT remaining_micros FROM billing.vouchers WHERE id = " + voucher;
    for (int i = 0; i < 600 && balance(pots) + sql(voucherLeft) > 0; i++) {
      chat(three.get(i % 3), potsKey);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> sql("SELECT count(*) FROM billing.holds WHERE account_id = "
        + pots) == 0);
    assertThat(balance(pots)).as("cash spent to the last request").isZero();
    assertThat(sql(voucherLeft)).as("voucher spent to the last request").isZero();
    assertThat(sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' AND voucher_id = "
        + voucher)).isEqualTo(30_000_000L);
    assertThat(sql("SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = " + pots))
        .isEqualTo(60_000_000L);
    assertThat(charges(pots)).isEqualTo(60_000_000L);
    assertThat(sql("SELECT held_micros FROM billing.balances WHERE account_id = " + pots)).isZero();
    assertThat(sql("SELECT held_micros FROM billing.vouchers WHERE id = " + voucher)).isZero();
    assertThat(sql("SELECT count(*) FROM billing.usage WHERE cost_micros > 0 AND account_id = " + pots))
        .isEqualTo(600);
  }

  private List<GatewayProcess> startCluster() throws Exception {
    fakeVertx = Vertx.vertx();
    FakeUpstream fake = result(FakeUpstream.start(fakeVertx)).recordRequests(false);
    fake.script(MODEL, Behavior.reply("leased answer").usage(10, 100));
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "leases-" + System.currentTimeMillis()));
    Path catalog = logs.resolve("catalog.yaml");
    Files.writeString(catalog, """
        channels:
          - name: fake
            type: openai
            base_url: %s
            api_key: sk-fake
        models:
          - alias: leased
            price: {input_per_mtok: 0, output_per_mtok: 1000}
            routes: [{channel: fake}]
        """.formatted(fake.openAiBaseUrl()));
    cluster = new ClusterProcesses(logs, 6, "leases-");
    cluster.common.put("GATEWAY_HOLD_MAX_AGE_SECONDS", "20");
    cluster.common.put("GATEWAY_HOLD_SWEEP_INTERVAL_SECONDS", "2");
    cluster.common.put("GATEWAY_LEASE_IDLE_SECONDS", "3");
    cluster.common.put("GATEWAY_PG_POOL_SIZE", "4");
    cluster.common.put("GATEWAY_ROUTER_INSTANCES", "1");
    cluster.common.put("GATEWAY_BILLING_INSTANCES", "1");

    GatewayProcess services = cluster.process("auth-catalog", 0, "auth,catalog",
        Map.of("GATEWAY_CATALOG", catalog.toString()));
    GatewayProcess billing = cluster.process("billing", 1, "billing", Map.of());
    List<GatewayProcess> routers = List.of(cluster.process("router-1", 2, "router", Map.of()),
        cluster.process("router-2", 4, "router", Map.of()), cluster.process("router-3", 5, "router", Map.of()));
    List<GatewayProcess> all = new ArrayList<>(List.of(services, billing));
    all.addAll(routers);
    for (GatewayProcess p : all) {
      p.start();
    }
    cluster.awaitReady(all);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.adminCall(routers.get(0), "GET", "/admin/models", null)
        .statusCode() == 200);
    return routers;
  }

  private long account(GatewayProcess router, int credits) throws Exception {
    long account = new JsonObject(cluster.admin(router, "POST", "/admin/accounts",
        new JsonObject().put("name", "lease"))).getLong("id");
    cluster.admin(router, "POST", "/admin/accounts/" + account + "/credits",
        new JsonObject().put("amount_credits", credits));
    return account;
  }

  private String key(GatewayProcess router, long account) throws Exception {
    return new JsonObject(cluster.admin(router, "POST", "/admin/accounts/" + account + "/keys",
        new JsonObject().put("models", new JsonArray().add("*")))).getString("key");
  }

  private HttpResponse<String> chat(GatewayProcess router, String key) throws Exception {
    String body = new JsonObject().put("model", MODEL).put("max_tokens", 100)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    return cluster.http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions"))
        .timeout(ClusterProcesses.CLIENT_TIMEOUT).header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private long balance(long account) throws Exception {
    return sql("SELECT balance_micros FROM billing.balances WHERE account_id = " + account);
  }

  private long leased(long account) throws Exception {
    return sql("SELECT COALESCE(SUM(amount_micros), 0) FROM billing.holds WHERE request_id LIKE 'lease:%' "
        + "AND account_id = " + account);
  }

  private long charges(long account) throws Exception {
    return sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' AND account_id = "
        + account);
  }

  private long sql(String query) throws Exception {
    return cluster.sql(query);
  }
}
