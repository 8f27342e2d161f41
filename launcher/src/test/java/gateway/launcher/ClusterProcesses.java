package gateway.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.PgUrl;
import gateway.testsupport.TestServices;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gateway JVMs on loopback clustered over Hazelcast TCP, for the multi-process ITs: each process a member at
 * {@code basePort + member}, sharing one Postgres database, Redis and a mutual-TLS event bus; the admin API and
 * SQL to check money with.
 */
final class ClusterProcesses implements AutoCloseable {
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  final String pgUrl = TestServices.freshDatabase();
  final Map<String, String> common;
  final ClusterTls tls;
  private final List<GatewayProcess> processes = new ArrayList<>();
  private final Path logs;
  private final int basePort = 20000 + (int) (Math.random() * 10000); // below the ephemeral range

  /** {@code members}: how many cluster members may join (their ports are the cluster's member list). */
  ClusterProcesses(Path logs, int members, String namePrefix) throws Exception {
    this.logs = logs;
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      addresses.add("127.0.0.1:" + (basePort + i));
    }
    common = new HashMap<>(Map.of(
        "GATEWAY_PG_URL", pgUrl,
        "GATEWAY_REDIS_URL", TestServices.redisUrl(),
        "GATEWAY_ADMIN_TOKEN", TestServices.ADMIN_TOKEN,
        "GATEWAY_CLUSTER", "true",
        "GATEWAY_CLUSTER_NAME", namePrefix + UUID.randomUUID(),
        "GATEWAY_CLUSTER_MEMBERS", String.join(",", addresses),
        "GATEWAY_CLUSTER_HOST", "127.0.0.1",
        "GATEWAY_DATA_DIR", logs.resolve("data").toString(),
        "GATEWAY_REDIS_PREFIX", namePrefix + UUID.randomUUID()));
    tls = ClusterTls.generate(logs, "cluster");
    common.put("GATEWAY_CLUSTER_TLS_KEYSTORE", tls.keystore().toString());
    common.put("GATEWAY_CLUSTER_TLS_PASSWORD", tls.password());
  }

  /** A process (not started) with the common environment, {@code extra} over it. */
  GatewayProcess process(String name, int member, String roles, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(extra);
    env.put("GATEWAY_ROLES", roles);
    env.put("GATEWAY_CLUSTER_PORT", Integer.toString(basePort + member));
    env.put("GATEWAY_HTTP_PORT", Integer.toString(TestServices.freePort()));
    env.put("GATEWAY_METRICS_PORT", Integer.toString(TestServices.freePort()));
    GatewayProcess process = new GatewayProcess(name, env, logs);
    processes.add(process);
    return process;
  }

  List<GatewayProcess> processes() {
    return processes;
  }

  void awaitReady(List<GatewayProcess> started) {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> started.stream().allMatch(p -> p.ready(http)));
  }

  /** An admin call that must succeed: its body. */
  String admin(GatewayProcess router, String method, String path, JsonObject body) throws Exception {
    HttpResponse<String> response = adminCall(router, method, path, body);
    assertThat(response.statusCode() / 100).as(response.body()).isEqualTo(2);
    return response.body();
  }

  HttpResponse<String> adminCall(GatewayProcess router, String method, String path, JsonObject body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + path)).timeout(CLIENT_TIMEOUT)
        .header("authorization", "Bearer " + TestServices.ADMIN_TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The first column of the first row of {@code query} on the cluster's database. */
  long sql(String query) throws Exception {
    PgUrl url = PgUrl.parse(pgUrl);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         ResultSet rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Kills what is still alive. */
  @Override
  public void close() throws InterruptedException {
    for (GatewayProcess process : processes) {
      if (process.alive()) {
        process.kill();
      }
    }
  }

  /** What a load saw: statuses, the slowest answer, transport failures. */
  static final class LoadRecord {
    final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong slowestMillis = new AtomicLong();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    interface Call {
      HttpResponse<String> run() throws Exception;
    }

    void add(Call call) {
      long start = System.nanoTime();
      try {
        int status = call.run().statusCode();
        statuses.merge(status, 1L, Long::sum);
        if (status == 200) {
          ok.incrementAndGet();
        }
      } catch (Exception e) {
        failures.add(e.toString());
      }
      slowestMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
    }
  }
}
