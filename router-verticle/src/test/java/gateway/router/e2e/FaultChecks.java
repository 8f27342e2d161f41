package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.load.Answer;
import gateway.testsupport.load.LoadDriver;
import gateway.testsupport.load.LoadReport;
import gateway.testsupport.load.TcpConnections;
import gateway.testsupport.load.Verdict;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every fault test checks once its load is over: clean answers only, exact money, nothing left open. */
final class FaultChecks {
  private static final Logger LOG = LoggerFactory.getLogger(FaultChecks.class);
  // Settles are retried for ~45 s while billing cannot reach Postgres; a restart test waits out the last retry.
  private static final Duration SETTLES_LAND = Duration.ofSeconds(75);

  private FaultChecks() {
  }

  /** No answer broken; every error among the allowed statuses; prints the tally to the test log. */
  static void onlyCleanAnswers(LoadReport report, Set<Integer> errorStatuses) {
    LOG.info("load over: {}", report.summary());
    assertThat(report.broken()).as("answers neither whole nor a clean error:\n%s", report.summary()).isEmpty();
    assertThat(report.answers()).filteredOn(a -> a.verdict() == Verdict.CLEAN_ERROR && a.status() != 200)
        .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isIn(errorStatuses));
  }

  /**
   * Money reconciles exactly once every settle landed: balance drop = usage costs = ledger charges, no hold left,
   * and every whole answer the clients got is a completed usage row (nothing answered is free, nothing unanswered
   * is "completed").
   */
  static void moneyReconciles(GatewayUnderTest gateway, Customer customer, long startMicros, LoadReport report) {
    long complete = report.count(Verdict.COMPLETE);
    long account = customer.accountId();
    await().atMost(SETTLES_LAND).untilAsserted(() -> {
      assertThat(gateway.heldMicros(account)).as("held µcr").isZero();
      assertThat(completedRows(gateway, account)).as("completed usage rows").isEqualTo(complete);
    });
    long drop = startMicros - gateway.balanceMicros(account);
    assertThat(gateway.usageCostMicros(account)).as("usage costs").isEqualTo(drop);
    assertThat(gateway.ledgerChargesMicros(account)).as("ledger charges").isEqualTo(drop);
    assertThat(drop).as("something was charged").isPositive();
  }

  /** Connections to the gateway's port before the load: the admin client's keep-alive one, at most. */
  static int connectionsBefore(GatewayUnderTest gateway) {
    return TcpConnections.open(gateway.config.httpPort());
  }

  /**
   * The gateway holds no connection of the load's any more (no more than {@code before} the load), and the
   * upstream has no call in flight.
   */
  static void nothingLeftOpen(GatewayUnderTest gateway, int before) {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(gateway.fake.activeRequests()).as("upstream calls still open").isZero();
      assertThat(TcpConnections.open(gateway.config.httpPort())).as("client connections still open")
          .isLessThanOrEqualTo(before);
    });
  }

  /** Waits until the load has {@code n} answers {@code which}; on timeout fails with what it got instead. */
  static void awaitAnswers(LoadDriver load, Duration within, String what, Predicate<Answer> which, long n) {
    try {
      await().atMost(within).until(() -> load.count(which) >= n);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("waited " + within + " for " + n + " answers " + what + "; the load got: "
          + new LoadReport(load.answersSoFar()).summary(), e);
    }
  }

  static long completedRows(GatewayUnderTest gateway, long account) {
    return gateway.sql("SELECT count(*) FROM billing.usage WHERE outcome = 'completed' AND account_id = ?", account);
  }

  static Predicate<Answer> endedAfter(long nanos) {
    return a -> a.endedAtNanos() - nanos > 0;
  }
}
