package gateway.launcher;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.PgUrl;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.FakeUpstream;
import gateway.testsupport.load.AdminHttp;
import gateway.testsupport.load.Call;
import gateway.testsupport.load.Levelling;
import gateway.testsupport.load.SoakMix;
import gateway.testsupport.load.SoakRun;
import gateway.testsupport.load.Verdict;
import io.vertx.core.Vertx;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak's short version for CI (bench/soak.sh runs the long one): a minute of the soak's mixed traffic against
 * one gateway process started from the shaded jar, then money checked in SQL and the process's connections
 * counted. Heap and descriptors are sampled and logged; a minute is too short to judge whether they level off.
 */
class SoakIT {
  private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);
  private static final Duration TRAFFIC = Duration.ofSeconds(
      Long.getLong("gateway.soak.seconds", 60));
  private static final long CREDITS_MICROS = 1_000_000_000L;

  private Vertx fakeVertx;
  private GatewayProcess gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null && gateway.alive()) {
      gateway.terminate(Duration.ofSeconds(30));
    }
    if (fakeVertx != null) {
      result(fakeVertx.close());
    }
  }

  @Test
  @DisplayName("a minute of mixed traffic (streams, tools, upstream errors and fallbacks, hang-ups, Responses and "
      + "Messages) against one process: every answer whole or a clean error, money exact, no hold, no connection "
      + "and no upstream call left")
  void shortSoak() throws Exception {
    fakeVertx = Vertx.vertx();
    FakeUpstream fake = result(FakeUpstream.start(fakeVertx)).recordRequests(false)
        .expectApiKey(SoakMix.UPSTREAM_KEY);
    Path logs = Files.createDirectories(Path.of("target", "it-logs", "soak-" + System.currentTimeMillis()));
    String pgUrl = TestServices.freshDatabase();
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_HTTP_PORT", Integer.toString(TestServices.freePort()));
    env.put("GATEWAY_HTTP_HOST", "127.0.0.1");
    env.put("GATEWAY_PG_URL", pgUrl);
    env.put("GATEWAY_PG_POOL_SIZE", "4");
    env.put("GATEWAY_REDIS_URL", TestServices.redisUrl());
    env.put("GATEWAY_REDIS_PREFIX", "soak-" + UUID.randomUUID());
    env.put("GATEWAY_ADMIN_TOKEN", TestServices.ADMIN_TOKEN);
    env.put("GATEWAY_DATA_DIR", logs.resolve("data").toString());
    env.put("GATEWAY_LOG_FORMAT", "text");
    env.put("GATEWAY_ROUTER_INSTANCES", "2");
    env.put("GATEWAY_BILLING_INSTANCES", "1");
    gateway = new GatewayProcess("soak", env, logs).start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    await().atMost(Duration.ofSeconds(120)).until(() -> gateway.ready(http));

    AdminHttp admin = new AdminHttp(gateway.baseUrl(), TestServices.ADMIN_TOKEN);
    SoakRun.Result soak = SoakRun.run(fakeVertx, fake, admin, gateway.baseUrl(), gateway.pid(),
        new SoakRun.Options(TRAFFIC, 12, Duration.ofMillis(20), Duration.ofSeconds(5), 4, 8, "1000"),
        LOG::info);
    LOG.info("soak over: {}\n{}", soak.report().summary(), SoakRun.table(soak));

    assertThat(soak.report().broken()).as("answers neither whole nor a clean error").isEmpty();
    for (Call call : soak.setup().calls()) {
      assertThat(soak.report().count(a -> a.call().equals(call.name())
          && (a.verdict() == Verdict.COMPLETE || a.verdict() == Verdict.HUNG_UP)))
          .as("served: %s", call.name()).isPositive();
    }
    assertThat(soak.after().clientConnections()).as("client connections left on the gateway")
        .isLessThanOrEqualTo(soak.clientConnectionsBefore());
    assertThat(soak.upstreamCallsOpen()).as("upstream calls left open").isZero();

    long account = soak.setup().accountId();
    long whole = soak.report().count(Verdict.COMPLETE);
    long hungUp = soak.report().count(Verdict.HUNG_UP);
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(sql(pgUrl, "SELECT count(*) FROM billing.holds")).as("holds left").isZero();
      // A client hanging up after the gateway wrote its whole stream got it all: that one is 'completed' too.
      assertThat(sql(pgUrl, "SELECT count(*) FROM billing.usage WHERE outcome = 'completed'"))
          .as("completed usage rows: every whole answer, and no more but late hang-ups")
          .isBetween(whole, whole + hungUp);
    });
    long balance = sql(pgUrl, "SELECT balance_micros FROM billing.balances WHERE account_id = " + account);
    long held = sql(pgUrl, "SELECT held_micros FROM billing.balances WHERE account_id = " + account);
    long usage = sql(pgUrl, "SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = " + account);
    long charges = sql(pgUrl, "SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger "
        + "WHERE kind = 'charge' AND account_id = " + account);
    assertThat(held).isZero();
    assertThat(CREDITS_MICROS - balance).as("balance drop").isPositive().isEqualTo(usage).isEqualTo(charges);
    for (Levelling check : soak.levelling()) {
      LOG.info("informational over {}: {}", TRAFFIC, check);
    }
  }

  private static long sql(String pgUrl, String query) throws Exception {
    PgUrl url = PgUrl.parse(pgUrl);
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
