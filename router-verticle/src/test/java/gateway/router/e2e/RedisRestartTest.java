package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.config.Env;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.RestartableRedis;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.load.Call;
import gateway.testsupport.load.LoadDriver;
import gateway.testsupport.load.LoadReport;
import gateway.testsupport.load.Mix;
import gateway.testsupport.load.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults: the rate limiter's Redis (a server of this test's own) stopped and started again under load, with
 * limits on the key so that every request asks Redis. Its failure policy decides what clients see meanwhile;
 * billing never depends on Redis, so money reconciles either way, and limits apply again once it is back.
 */
@ExtendWith(VertxExtension.class)
class RedisRestartTest {
  private static final String MODEL = "redis-fault-model";
  private static final int CLIENTS = 12;

  private RestartableRedis redis;
  private LoadDriver load;

  @AfterEach
  void stop() {
    if (load != null) {
      result(load.close());
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  @DisplayName("Redis restarted under load, policy allow (the default): every request is answered, none refused, "
      + "the limiter writes to Redis again once it is back, and money reconciles exactly")
  void allowPolicy(Vertx vertx) {
    LoadReport report = restartUnderLoad(vertx, config -> config, Verdict.COMPLETE);
    assertThat(report.count(Verdict.COMPLETE)).isEqualTo(report.answers().size());
  }

  @Test
  @DisplayName("Redis restarted under load, policy deny: while it is down requests get a clean 503 at once, "
      + "afterwards they are served again, and money reconciles exactly")
  void denyPolicy(Vertx vertx) {
    LoadReport report = restartUnderLoad(vertx, env -> env.with("GATEWAY_RATE_LIMIT_REDIS_FAILURE", "deny"),
        Verdict.CLEAN_ERROR);
    assertThat(report.answers()).filteredOn(a -> a.verdict() == Verdict.CLEAN_ERROR)
        .allSatisfy(a -> assertThat(a.code()).isIn("service_unavailable", "overloaded_error"));
  }

  /** Load, stop Redis until {@code duringOutage} answers came, start it again, load on; the common checks. */
  private LoadReport restartUnderLoad(Vertx vertx, java.util.function.UnaryOperator<Env> policy,
                                      Verdict duringOutage) {
    redis = RestartableRedis.start();
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx,
        env -> policy.apply(env.with("GATEWAY_REDIS_URL", redis.url())));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("10", "40", null));
    gateway.fake.script(MODEL, Behavior.reply("limited but answered").usage(20, 8));
    Customer customer = limitedCustomer(gateway);
    long start = gateway.balanceMicros(customer.accountId());
    int connections = FaultChecks.connectionsBefore(gateway);

    load = LoadDriver.start(vertx, gateway.baseUrl(), customer.key(), Mix.roundRobin(List.of(
            Call.chat(MODEL, false), Call.chat(MODEL, true), Call.responses(MODEL, false), Call.messages(MODEL, true))),
        LoadDriver.Settings.of(CLIENTS).pause(Duration.ofMillis(10)));
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), "complete before the stop",
        a -> a.verdict() == Verdict.COMPLETE, 40);
    assertThat(redis.keyCount()).as("the limiter's windows and leases").isPositive();

    redis.stop();
    long down = System.nanoTime();
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), duringOutage + " while Redis is down",
        FaultChecks.endedAfter(down).and(a -> a.verdict() == duringOutage), 40);

    redis.startAgain();
    long back = System.nanoTime();
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), "complete after the restart",
        FaultChecks.endedAfter(back).and(a -> a.verdict() == Verdict.COMPLETE), 40);
    await().atMost(Duration.ofSeconds(30)).until(() -> redis.keyCount() > 0);
    LoadReport report = result(load.stop(), Duration.ofSeconds(60));
    result(load.close());

    FaultChecks.onlyCleanAnswers(report, Set.of(503));
    FaultChecks.moneyReconciles(gateway, customer, start, report);
    FaultChecks.nothingLeftOpen(gateway, connections);
    return report;
  }

  private static Customer limitedCustomer(GatewayUnderTest gateway) {
    long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "limited"))
        .getLong("id");
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 100));
    JsonObject key = gateway.admin.ok("POST", "/admin/accounts/" + account + "/keys", new JsonObject()
        .put("name", "limited").put("models", new JsonArray().add(MODEL))
        .put("rpm", 1_000_000).put("concurrency", 500));
    return new Customer(account, key.getLong("id"), key.getString("key"));
  }
}
