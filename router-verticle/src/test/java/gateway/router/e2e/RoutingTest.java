package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Routes, fallback and pinning, with the fake upstream failing on cue. */
@ExtendWith(VertxExtension.class)
class RoutingTest {
  private static final String MODEL = "routed";
  private static final JsonObject PRICE = GatewayUnderTest.price("1", "1", null);

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    // A non-stream answer's first byte is the whole answer: only the total bounds it.
    gateway.fakeChannel("primary", new JsonObject().put("timeouts", new JsonObject().put("first_byte_ms", 500)
        .put("total_ms", 1_000)));
    gateway.fakeChannel("backup", new JsonObject());
    gateway.model(MODEL, PRICE, route("primary", "m-primary", 0), route("backup", "m-backup", 1));
    customer = gateway.customer("100", "*");
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a 5xx, a 429, a timeout or a refused connection on the first route falls back to the next, "
      + "and the usage row names the channel that served and counts the attempts")
  void fallsBackInPriorityOrder() {
    gateway.fake.script("m-primary", Behavior.error(500, "boom"), Behavior.error(429, "slow down"),
        Behavior.reply("late").firstByteDelay(Duration.ofSeconds(5)));
    gateway.fake.script("m-backup", Behavior.reply("from backup"));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(false));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("from backup");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 3);
    assertThat(gateway.usageRows(customer.accountId())).allSatisfy(row -> {
      assertThat(((JsonObject) row).getString("channel")).isEqualTo("backup");
      assertThat(((JsonObject) row).getInteger("attempts")).isEqualTo(2);
    });

    gateway.fakeChannel("dead", new JsonObject().put("base_url", "http://127.0.0.1:" + TestServices.freePort() + "/v1"));
    gateway.model("with-dead", PRICE, route("dead", "m-dead", 0), route("backup", "m-backup", 1));
    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(false, "with-dead"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  @DisplayName("a stream whose first route fails right after its role chunk falls back; the client sees one clean stream")
  void streamFailingBeforeContentFallsBack() {
    gateway.fake.script("m-primary", Behavior.reply("never").cutAfterChunks(0));
    gateway.fake.script("m-backup", Behavior.reply("backup streams fine"));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(true));

    List<String> data = RawHttp.dataLines(response.body());
    assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
    assertThat(data.stream().filter(d -> d.contains("\"role\"")).count()).isEqualTo(1);
    assertThat(response.body()).contains("backup").doesNotContain("never").doesNotContain("error");
  }

  @Test
  @DisplayName("no fallback once a streamed byte reached the client: the stream ends with an error event")
  void noFallbackAfterTheFirstStreamedContent() {
    gateway.fake.script("m-primary", Behavior.reply("half an answer is all").cutAfterChunks(2));

    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(true));

    assertThat(RawHttp.dataLines(response.body())).doesNotContain("[DONE]");
    assertThat(response.body()).contains("\"error\"");
    assertThat(gateway.fake.requestsFor("m-backup")).isEmpty();
  }

  @Test
  @DisplayName("a client error from the upstream is returned, not retried on another route")
  void clientErrorsAreNotRetried() {
    gateway.fake.script("m-primary", Behavior.error(400, "bad request for this model"));
    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(false));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(gateway.fake.requestsFor("m-backup")).isEmpty();
  }

  @Test
  @DisplayName("?channel= pins one channel: no fallback, even when it fails")
  void pinnedChannel() {
    gateway.fake.script("m-primary", Behavior.error(503, "down"));
    HttpResponse<String> pinnedToBackup = http.post("/chat/completions?channel=backup", customer.key(), body(false));
    assertThat(pinnedToBackup.statusCode()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("m-primary")).isEmpty();

    HttpResponse<String> pinnedToPrimary = http.post("/chat/completions?channel=primary", customer.key(), body(false));
    assertThat(pinnedToPrimary.statusCode()).isEqualTo(502);
    assertThat(RawHttp.error(pinnedToPrimary).getString("message")).contains("down");
    assertThat(gateway.fake.requestsFor("m-backup")).hasSize(1);

    HttpResponse<String> notServing = http.post("/chat/completions?channel=nope", customer.key(), body(false));
    assertThat(notServing.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(notServing).getString("param")).isEqualTo("channel");
  }

  @Test
  @DisplayName("equal priorities share traffic by weight: 3:1 lands within ±10% over 1,000 requests")
  void weightsShareTraffic() {
    gateway.fakeChannel("heavy", new JsonObject());
    gateway.fakeChannel("light", new JsonObject());
    gateway.model("shared", PRICE, route("heavy", "m-heavy", 0).put("weight", 3),
        route("light", "m-light", 0).put("weight", 1));
    for (int batch = 0; batch < 10; batch++) {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        calls.add(http.postAsync("/chat/completions", customer.key(), body(false, "shared")));
      }
      CompletableFuture.allOf(calls.toArray(new CompletableFuture[0])).orTimeout(60, TimeUnit.SECONDS).join();
      assertThat(calls).allSatisfy(c -> assertThat(c.join().statusCode()).isEqualTo(200));
    }
    assertThat(gateway.fake.requestsFor("m-heavy").size()).isBetween(675, 825);
    assertThat(gateway.fake.requestsFor("m-light").size()).isBetween(175, 325);
  }

  @Test
  @DisplayName("a stream_only channel serves a non-stream client: streamed upstream, one whole answer back, "
      + "tool calls and usage included")
  void streamOnlyChannelIsAggregated() {
    gateway.fakeChannel("streamer", new JsonObject().put("stream_only", true));
    gateway.model("streamed", PRICE, route("streamer", "m-stream", 0));
    gateway.fake.script("m-stream", Behavior.reply("all of it, aggregated").withToolCall("lookup", "{\"q\":\"x\"}")
        .usage(40, 12).streamOnly());

    ChatCompletion completion = gateway.sdk(customer.key()).chat().completions().create(
        ChatCompletionCreateParams.builder().model("streamed").addUserMessage("hi").build());

    assertThat(completion.choices().get(0).message().content()).contains("all of it, aggregated");
    assertThat(completion.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().function()
        .arguments()).isEqualTo("{\"q\":\"x\"}");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(40);
    assertThat(gateway.fake.requestsFor("m-stream").get(0).stream()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(100_000_000 - (40 + 12));
  }

  @Test
  @DisplayName("a channel's idle timeout ends a stream that stalls before content (a clean 502); its total timeout "
      + "ends one that drags on after content (an error event, no fallback)")
  void idleAndTotalTimeouts() {
    gateway.fakeChannel("stalls", new JsonObject().put("timeouts", new JsonObject().put("idle_ms", 400)));
    gateway.fakeChannel("drags", new JsonObject().put("timeouts", new JsonObject().put("total_ms", 1_000)));
    gateway.model("stalling", PRICE, route("stalls", "m-stalls", 0));
    gateway.model("dragging", PRICE, route("drags", "m-drags", 0), route("backup", "m-backup", 1));
    gateway.fake.script("m-stalls", Behavior.reply("first then silence").chunkDelay(Duration.ofSeconds(3)));
    gateway.fake.script("m-drags", Behavior.reply("a b c d e f g h i j").chunkDelay(Duration.ofMillis(250)));
    gateway.fake.script("m-backup", Behavior.reply("backup was quick"));

    HttpResponse<String> stalled = http.post("/chat/completions", customer.key(), body(true, "stalling"));
    assertThat(stalled.statusCode()).isEqualTo(502);
    assertThat(RawHttp.error(stalled).getString("message")).contains("sent nothing for 400 ms");

    HttpResponse<String> dragged = http.post("/chat/completions", customer.key(), body(true, "dragging"));
    List<String> data = RawHttp.dataLines(dragged.body());
    assertThat(data).doesNotContain("[DONE]");
    assertThat(new JsonObject(data.get(data.size() - 1)).getJsonObject("error").getString("message"))
        .contains("did not finish within 1000 ms");
    assertThat(gateway.fake.requestsFor("m-backup")).isEmpty();
  }

  @Test
  @DisplayName("all routes failing is a 502 carrying the last upstream reason")
  void allRoutesFailed() {
    gateway.fake.script("m-primary", Behavior.error(500, "first is down"));
    gateway.fake.script("m-backup", Behavior.error(502, "second is down too"));
    HttpResponse<String> response = http.post("/chat/completions", customer.key(), body(false));
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(RawHttp.error(response).getString("message")).contains("second is down too");
  }

  static JsonObject route(String channel, String model, int priority) {
    return new JsonObject().put("channel", channel).put("model", model).put("priority", priority);
  }

  private static String body(boolean stream) {
    return body(stream, MODEL);
  }

  private static String body(boolean stream, String model) {
    return new JsonObject().put("model", model).put("stream", stream).put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }
}
