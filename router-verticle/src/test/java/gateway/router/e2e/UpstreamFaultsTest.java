package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.load.Call;
import gateway.testsupport.load.LoadDriver;
import gateway.testsupport.load.LoadReport;
import gateway.testsupport.load.Mix;
import gateway.testsupport.load.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults: an upstream that breaks off, dawdles or answers garbage, under load, next to a healthy channel. Half the
 * clients call a model on the faulty channel, half a model on the healthy one. Every request ends within the
 * client's timeout with a whole answer or a clean error in the client's shape; the healthy model's all answer;
 * the gateway ends every upstream call and every connection; money reconciles exactly. The breaker threshold is
 * set out of reach, so that every request meets the garbage instead of an open breaker.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Faults: a broken, slow or garbage-speaking upstream under load")
class UpstreamFaultsTest {
  private static final String HEALTHY = "healthy-model";
  private static final int CLIENTS = 12;
  private static final int REQUESTS_PER_CLIENT = 5;
  private static final String TEN_WORDS = "one two three four five six seven eight nine ten";
  private static final Set<Verdict> ERRORS = Set.of(Verdict.CLEAN_ERROR);
  private static final Set<Verdict> EITHER = Set.of(Verdict.COMPLETE, Verdict.CLEAN_ERROR);

  private GatewayUnderTest gateway;

  /**
   * One fault: what the faulty upstream does, on which channel type with which timeouts, what its clients may
   * see, and whether at least one of them must see an error (the fault fired).
   */
  record Fault(String name, String channelType, Behavior behavior, JsonObject timeouts, Set<Verdict> verdicts,
               boolean mustFail) {
    @Override
    public String toString() {
      return name + " (" + channelType + " channel)";
    }
  }

  static Stream<Fault> faults() {
    JsonObject none = new JsonObject();
    return Stream.of(
        new Fault("cut mid-stream", "openai", Behavior.reply(TEN_WORDS).cutAfterChunks(3), none, EITHER, true),
        new Fault("cut before any content", "openai", Behavior.reply(TEN_WORDS).cutAfterChunks(0), none, EITHER,
            true),
        new Fault("slow to start and to stream", "openai", Behavior.reply(TEN_WORDS)
            .firstByteDelay(Duration.ofMillis(300)).chunkDelay(Duration.ofMillis(30)), none,
            Set.of(Verdict.COMPLETE), false),
        new Fault("slower than the channel's total timeout", "openai", Behavior.reply(TEN_WORDS)
            .firstByteDelay(Duration.ofSeconds(5)), new JsonObject().put("total_ms", 400), ERRORS, true),
        new Fault("an HTML page under 200", "openai", Behavior.raw(200, "text/html",
            "<html><body><h1>Welcome to nginx!</h1></body></html>"), none, ERRORS, true),
        new Fault("truncated JSON", "openai", Behavior.reply(TEN_WORDS).truncateBody(60), none, EITHER, true),
        new Fault("a body broken off in transit", "openai", Behavior.reply(TEN_WORDS).cutBodyAfterBytes(60), none,
            EITHER, true),
        new Fault("the wrong content type", "openai", Behavior.reply(TEN_WORDS).contentType("text/html"), none,
            EITHER, false),
        new Fault("an error body under 200", "openai", Behavior.error(500, "upstream exploded").sentWithStatus(200),
            none, ERRORS, true),
        new Fault("binary noise in the stream", "openai", Behavior.reply(TEN_WORDS).noiseAfterChunks(2, 2048), none,
            EITHER, false),
        new Fault("a stream that never ends, with keep-alives", "openai", Behavior.reply(TEN_WORDS).neverEnds()
            .chunkDelay(Duration.ofMillis(50)), new JsonObject().put("total_ms", 1500), EITHER, true),
        new Fault("a stream that goes silent", "openai", Behavior.reply(TEN_WORDS).neverEnds()
            .chunkDelay(Duration.ofSeconds(60)), new JsonObject().put("idle_ms", 500), EITHER, true),
        new Fault("cut mid-stream", "anthropic", Behavior.reply(TEN_WORDS).cutAfterChunks(3), none, EITHER, true),
        new Fault("an HTML page under 200", "anthropic", Behavior.raw(200, "text/html",
            "<html><body>Bad gateway</body></html>"), none, ERRORS, true),
        new Fault("an error body under 200", "anthropic", Behavior.error(529, "Overloaded").sentWithStatus(200),
            none, ERRORS, true),
        new Fault("truncated JSON", "anthropic", Behavior.reply(TEN_WORDS).truncateBody(60), none, EITHER, true),
        new Fault("binary noise in the stream", "anthropic", Behavior.reply(TEN_WORDS).noiseAfterChunks(2, 2048),
            none, EITHER, false),
        new Fault("a stream that never ends, with keep-alives", "anthropic", Behavior.reply(TEN_WORDS).neverEnds()
            .chunkDelay(Duration.ofMillis(50)), new JsonObject().put("total_ms", 1500), EITHER, true));
  }

  @BeforeAll
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_BREAKER_FAILURES", 1_000_000));
    gateway.openAiModel(HEALTHY, HEALTHY, GatewayUnderTest.price("10", "40", null));
    gateway.fake.script(HEALTHY, Behavior.reply("all is well here").usage(20, 8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  @DisplayName("every request ends cleanly in time, the healthy model keeps answering, nothing is left open, "
      + "money reconciles")
  void underLoad(Fault fault, Vertx vertx) {
    String slug = (fault.channelType() + "-" + fault.name()).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-");
    String channel = "faulty-" + slug;
    gateway.channel(channel, new JsonObject().put("type", fault.channelType())
        .put("base_url", fault.channelType().equals("anthropic") ? gateway.fake.anthropicBaseUrl()
            : gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY).put("timeouts", fault.timeouts()));
    String model = "m-" + slug;
    gateway.routedModel(model, channel, model, GatewayUnderTest.price("10", "40", null));
    gateway.fake.script(model, fault.behavior().usage(25, 10));
    Customer customer = gateway.customer("100", HEALTHY, model);
    long start = gateway.balanceMicros(customer.accountId());
    int connections = FaultChecks.connectionsBefore(gateway);

    List<Call> healthy = List.of(Call.chat(HEALTHY, false), Call.chat(HEALTHY, true), Call.messages(HEALTHY, true));
    List<Call> faulty = List.of(Call.chat(model, false), Call.chat(model, true), Call.responses(model, true),
        Call.messages(model, false), Call.messages(model, true));
    LoadDriver load = LoadDriver.start(vertx, gateway.baseUrl(), customer.key(),
        Mix.split(CLIENTS / 2, Mix.roundRobin(healthy), Mix.roundRobin(faulty)),
        LoadDriver.Settings.of(CLIENTS).requestsPerClient(REQUESTS_PER_CLIENT));
    LoadReport report = result(load.finished(), Duration.ofSeconds(90));
    result(load.close());

    FaultChecks.onlyCleanAnswers(report, Set.of(502, 503, 504));
    assertThat(report.answers()).filteredOn(a -> a.call().contains(HEALTHY))
        .hasSize(CLIENTS / 2 * REQUESTS_PER_CLIENT)
        .allSatisfy(a -> assertThat(a.verdict()).as(a.toString()).isEqualTo(Verdict.COMPLETE));
    assertThat(report.answers()).filteredOn(a -> a.call().contains(model))
        .allSatisfy(a -> assertThat(a.verdict()).as(a.toString()).isIn(fault.verdicts()));
    if (fault.mustFail()) {
      assertThat(report.count(a -> a.call().contains(model) && a.verdict() == Verdict.CLEAN_ERROR))
          .as("the fault reached some client as an error").isPositive();
    }
    FaultChecks.moneyReconciles(gateway, customer, start, report);
    FaultChecks.nothingLeftOpen(gateway, connections);
  }
}
