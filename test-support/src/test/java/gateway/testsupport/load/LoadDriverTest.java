package gateway.testsupport.load;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The load driver against the fake upstream itself, which serves the same three paths as the gateway: what it
 * counts as complete, clean, hung up and broken, and that it leaves no connection behind.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Load driver: verdicts per protocol, hang-ups, timeouts, and no connection left")
class LoadDriverTest {
  private FakeUpstream fake;
  private LoadDriver driver;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = result(FakeUpstream.start(vertx));
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      result(driver.close());
    }
    result(fake.close());
  }

  private LoadReport run(Mix mix, LoadDriver.Settings settings) {
    driver = LoadDriver.start(vertx, "http://127.0.0.1:" + fake.port(), "sk-any", mix, settings);
    return result(driver.finished(), Duration.ofSeconds(60));
  }

  @Test
  @DisplayName("whole answers and streams of chat, Responses and Messages are complete, from every client at once")
  void completeAnswers() {
    List<Call> calls = List.of(Call.chat("m", false), Call.chat("m", true), Call.chatWithTools("t", true),
        Call.responses("m", false), Call.responses("m", true), Call.messages("m", false), Call.messages("m", true));
    fake.script("t", Behavior.toolCall("get_weather", "{\"city\":\"Paris\"}"));
    LoadReport report = run(Mix.roundRobin(calls), LoadDriver.Settings.of(7).requestsPerClient(7));
    assertThat(report.answers()).hasSize(49).allSatisfy(a -> assertThat(a.verdict()).as(a.toString())
        .isEqualTo(Verdict.COMPLETE));
    assertThat(report.tally()).hasSize(7);
  }

  @Test
  @DisplayName("error bodies of the protocol and streams ending in an error event are clean errors, with their code")
  void cleanErrors() {
    fake.script("e", Behavior.error(429, "slow down"));
    fake.script("s", Behavior.reply("one two three").errorEventAfterChunks(1, "overloaded"));
    LoadReport report = run(Mix.roundRobin(List.of(Call.chat("e", false), Call.messages("e", false),
        Call.chat("s", true), Call.messages("s", true), Call.responses("s", true))),
        LoadDriver.Settings.of(5).requestsPerClient(1));
    assertThat(report.answers()).hasSize(5).allSatisfy(a -> assertThat(a.verdict()).as(a.toString())
        .isEqualTo(Verdict.CLEAN_ERROR));
    assertThat(report.count(a -> a.status() == 429 && "rate_limit_exceeded".equals(a.code()))).isEqualTo(1);
    assertThat(report.count(a -> a.status() == 429 && "rate_limit_error".equals(a.code()))).isEqualTo(1);
  }

  @Test
  @DisplayName("garbage, broken-off streams and error bodies under 200 are broken, each saying why")
  void brokenAnswers() {
    fake.script("html", Behavior.raw(200, "text/html", "<html>oops</html>"));
    fake.script("cut", Behavior.reply("one two three").cutAfterChunks(1));
    fake.script("err200", Behavior.error(500, "boom").sentWithStatus(200));
    fake.script("leak", Behavior.raw(500, "application/json",
        "{\"error\":{\"message\":\"java.lang.NullPointerException: x\",\"type\":\"t\",\"code\":null,\"param\":null}}"));
    LoadReport report = run(Mix.roundRobin(List.of(Call.chat("html", false), Call.chat("cut", true),
        Call.messages("cut", true), Call.chat("err200", false), Call.chat("leak", false))),
        LoadDriver.Settings.of(5).requestsPerClient(1));
    assertThat(report.broken()).hasSize(5);
    assertThat(report.broken()).extracting(Answer::detail).anySatisfy(d -> assertThat(d).contains("not a JSON"))
        .anySatisfy(d -> assertThat(d).contains("without its terminating event"))
        .anySatisfy(d -> assertThat(d).contains("not a CHAT answer"))
        .anySatisfy(d -> assertThat(d).contains("naming a Java class"));
  }

  @Test
  @DisplayName("a client leaving mid-stream is hung up, and the fake sees its stream cancelled")
  void hangUp() {
    fake.script("slow", Behavior.reply("a b c d e f g h i j k l m n o p").chunkDelay(Duration.ofMillis(30)));
    LoadReport report = run(Mix.only(Call.chat("slow", true).hangingUpAfter(3)),
        LoadDriver.Settings.of(2).requestsPerClient(2));
    assertThat(report.answers()).hasSize(4).allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.HUNG_UP));
    await().atMost(Duration.ofSeconds(10)).until(() -> fake.cancelledStreams() == 4 && fake.activeRequests() == 0);
  }

  @Test
  @DisplayName("no answer within the client's timeout is broken, and the client closes the connection")
  void timeout() {
    fake.script("hung", Behavior.hang());
    LoadReport report = run(Mix.only(Call.chat("hung", false)),
        LoadDriver.Settings.of(2).requestsPerClient(1).clientTimeout(Duration.ofMillis(300)));
    assertThat(report.broken()).hasSize(2).allSatisfy(a -> assertThat(a.detail()).contains("within 300 ms"));
    await().atMost(Duration.ofSeconds(10)).until(() -> fake.activeRequests() == 0);
  }

  @Test
  @DisplayName("stop lets the clients finish, and close leaves no connection open on the server's port")
  void stopAndClose() {
    driver = LoadDriver.start(vertx, "http://127.0.0.1:" + fake.port(), "k", Mix.only(Call.chat("m", true)),
        LoadDriver.Settings.of(4).pause(Duration.ofMillis(5)));
    await().atMost(Duration.ofSeconds(20)).until(() -> driver.count(a -> true) >= 20);
    LoadReport report = result(driver.stop());
    assertThat(report.count(Verdict.COMPLETE)).isEqualTo(report.answers().size());
    if (TcpConnections.available()) {
      assertThat(TcpConnections.open(fake.port())).isPositive();
    }
    result(driver.close());
    await().atMost(Duration.ofSeconds(10)).until(() -> TcpConnections.open(fake.port()) == 0);
    assertThat(fake.activeRequests()).isZero();
  }
}
