package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.RestartablePostgres;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.load.Call;
import gateway.testsupport.load.LoadDriver;
import gateway.testsupport.load.LoadReport;
import gateway.testsupport.load.Mix;
import gateway.testsupport.load.Verdict;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults: the gateway's Postgres (a server of this test's own) stopped and started again under load. While it is
 * down, holds cannot be placed: new requests get a clean 503 at once; answers already under way finish, and their
 * settles, retried, land once the database is back.
 */
@ExtendWith(VertxExtension.class)
class PostgresRestartTest {
  private static final String MODEL = "pg-fault-model";
  // Streams of ~2 s: those under way when Postgres goes are answered while it is down, so their settles must wait.
  private static final String SLOW = "pg-fault-slow";
  private static final int CLIENTS = 12;

  private RestartablePostgres postgres;
  private LoadDriver load;

  @AfterEach
  void stop() {
    if (load != null) {
      result(load.close());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @DisplayName("Postgres restarted under load: every request ends in time with an answer or a clean 503, the "
      + "service answers again once it is back, and money reconciles exactly (nothing answered goes free)")
  void restartUnderLoad(Vertx vertx) {
    postgres = RestartablePostgres.start();
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_PG_URL", postgres.freshDatabase()));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("10", "40", null));
    gateway.fake.script(MODEL, Behavior.reply("an answer that takes a little while").usage(20, 8)
        .chunkDelay(Duration.ofMillis(20)));
    gateway.routedModel(SLOW, "fake-openai", SLOW, GatewayUnderTest.price("10", "40", null));
    gateway.fake.script(SLOW, Behavior.reply("one two three four five six seven eight nine ten eleven twelve "
        + "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty").usage(30, 20)
        .chunkDelay(Duration.ofMillis(100)));
    Customer customer = gateway.customer("100", MODEL, SLOW);
    long start = gateway.balanceMicros(customer.accountId());
    int connections = FaultChecks.connectionsBefore(gateway);

    load = LoadDriver.start(vertx, gateway.baseUrl(), customer.key(), Mix.roundRobin(List.of(
            Call.chat(MODEL, false), Call.chat(MODEL, true), Call.responses(MODEL, true), Call.messages(MODEL, true),
            Call.chat(SLOW, true))),
        LoadDriver.Settings.of(CLIENTS).pause(Duration.ofMillis(10)));
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), "complete before the stop",
        a -> a.verdict() == Verdict.COMPLETE, 40);

    postgres.stop();
    long down = System.nanoTime();
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), "refused with 503 while Postgres is down",
        FaultChecks.endedAfter(down).and(a -> a.status() == 503), 2 * CLIENTS);
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), "answered while Postgres is down",
        FaultChecks.endedAfter(down).and(a -> a.verdict() == Verdict.COMPLETE), 1);

    postgres.startAgain();
    long back = System.nanoTime();
    FaultChecks.awaitAnswers(load, Duration.ofSeconds(60), "complete after the restart",
        FaultChecks.endedAfter(back).and(a -> a.verdict() == Verdict.COMPLETE), 40);
    LoadReport report = result(load.stop(), Duration.ofSeconds(60));
    result(load.close());

    FaultChecks.onlyCleanAnswers(report, Set.of(503));
    assertThat(report.answers()).filteredOn(a -> a.status() == 503)
        .allSatisfy(a -> assertThat(a.code()).isIn("service_unavailable", "overloaded_error"));
    FaultChecks.moneyReconciles(gateway, customer, start, report);
    FaultChecks.nothingLeftOpen(gateway, connections);
  }
}
