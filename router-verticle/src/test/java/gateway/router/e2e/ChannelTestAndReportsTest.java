package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator console's channel test button and reports, through the admin API. */
@ExtendWith(VertxExtension.class)
class ChannelTestAndReportsTest {
  private static final String WRONG_KEY = "sk-wrong-channel-key-9876";
  private GatewayUnderTest gateway;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel("m", "up-m", GatewayUnderTest.price("1", "2", null));
  }

  @Test
  @DisplayName("POST /admin/channels/{name}/test sends one tiny chat call to the channel's first llm route, "
      + "answers ok with latency, bills nobody and is audited")
  void testsAGoodChannel() {
    gateway.fake.script("up-m", Behavior.reply("OK"));
    JsonObject result = gateway.admin.ok("POST", "/admin/channels/fake-openai/test", null);
    assertThat(result.getBoolean("ok")).isTrue();
    assertThat(result.getInteger("status")).isEqualTo(200);
    assertThat(result.getString("model")).isEqualTo("up-m");
    assertThat(result.getLong("latency_ms")).isNotNegative();
    assertThat(result.containsKey("error")).isFalse();
    List<RecordedRequest> sent = gateway.fake.requestsFor("up-m");
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).body().getInteger("max_completion_tokens")).isEqualTo(16);
    assertThat(sent.get(0).stream()).isFalse();
    assertThat(gateway.admin.ok("GET", "/admin/reports/channels", null).getJsonObject("total").getLong("requests"))
        .isZero();
    JsonArray audit = gateway.admin.ok("GET", "/admin/audit?action=channels.test", null).getJsonArray("data");
    assertThat(audit).hasSize(1);
    assertThat(audit.getJsonObject(0).getString("target")).isEqualTo("channel:fake-openai");
  }

  @Test
  @DisplayName("a test goes through the channel's own adapter: Anthropic's wire, OpenAI Responses, and a stream for a "
      + "stream-only channel")
  void testsThroughEachAdapter() {
    gateway.anthropicModel("claude", "up-claude", GatewayUnderTest.price("1", "2", null));
    gateway.fake.script("up-claude", Behavior.reply("OK"));
    JsonObject anthropic = gateway.admin.ok("POST", "/admin/channels/fake-anthropic/test", null);
    assertThat(anthropic.getBoolean("ok")).as(anthropic.encode()).isTrue();
    assertThat(gateway.fake.requestsFor("up-claude")).singleElement()
        .satisfies(r -> assertThat(r.protocol()).containsIgnoringCase("anthropic"));

    gateway.fakeChannel("responses", new JsonObject().put("wire_api", "responses"));
    gateway.fake.script("up-resp", Behavior.reply("OK"));
    JsonObject responses = gateway.admin.ok("POST", "/admin/channels/responses/test",
        new JsonObject().put("model", "up-resp"));
    assertThat(responses.getBoolean("ok")).as(responses.encode()).isTrue();
    assertThat(gateway.fake.requestsFor("up-resp")).singleElement().satisfies(r -> {
      assertThat(r.protocol()).isEqualTo("openai-responses");
      assertThat(r.body().getInteger("max_output_tokens")).isEqualTo(16);
    });

    gateway.fakeChannel("streamer", new JsonObject().put("stream_only", true));
    gateway.fake.script("up-stream", Behavior.reply("OK"));
    JsonObject streamed = gateway.admin.ok("POST", "/admin/channels/streamer/test",
        new JsonObject().put("model", "up-stream"));
    assertThat(streamed.getBoolean("ok")).as(streamed.encode()).isTrue();
    assertThat(gateway.fake.requestsFor("up-stream")).singleElement().satisfies(r -> assertThat(r.stream()).isTrue());
  }

  @Test
  @DisplayName("a test of a failing channel answers ok false with the upstream status and a sanitised reason: "
      + "no key, no address")
  void testsFailingChannels() {
    gateway.fakeChannel("wrong-key", new JsonObject().put("api_key", WRONG_KEY));
    JsonObject refused = gateway.admin.ok("POST", "/admin/channels/wrong-key/test",
        new JsonObject().put("model", "up-m"));
    assertThat(refused.getBoolean("ok")).isFalse();
    assertThat(refused.getInteger("status")).isEqualTo(401);
    assertThat(refused.getString("model")).isEqualTo("up-m");
    assertThat(refused.getString("error")).isNotBlank();
    assertThat(refused.encode()).doesNotContain(WRONG_KEY).doesNotContain(WRONG_KEY.substring(3, 20));

    gateway.fake.script("up-m", Behavior.error(503, "overloaded, try later"));
    JsonObject down = gateway.admin.ok("POST", "/admin/channels/fake-openai/test", null);
    assertThat(down.getBoolean("ok")).isFalse();
    assertThat(down.getInteger("status")).isEqualTo(503);

    gateway.channel("nowhere", new JsonObject().put("type", "openai").put("base_url", "http://127.0.0.1:1/v1")
        .put("api_key", WRONG_KEY));
    JsonObject unreachable = gateway.admin.ok("POST", "/admin/channels/nowhere/test",
        new JsonObject().put("model", "up-m"));
    assertThat(unreachable.getBoolean("ok")).isFalse();
    assertThat(unreachable.getInteger("status")).isZero();
    assertThat(unreachable.getString("error")).doesNotContain("127.0.0.1").doesNotContain(WRONG_KEY);
    // the breaker is the customers' business: tests leave it closed
    assertThat(gateway.admin.ok("GET", "/admin/channel-breakers", null).getJsonArray("data").stream()
        .map(b -> ((JsonObject) b).getString("state")).distinct().toList()).containsExactly("closed");
  }

  @Test
  @DisplayName("a test names what is wrong with the call itself: an unknown channel is a 404, a channel no model "
      + "routes to needs a model (400 naming it)")
  void refusesWhatCannotBeTested() {
    AdminClient.Reply unknown = gateway.admin.send("POST", "/admin/channels/ghost/test", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().getJsonObject("error").getString("param")).isEqualTo("name");
    gateway.fakeChannel("unrouted", new JsonObject());
    AdminClient.Reply noModel = gateway.admin.send("POST", "/admin/channels/unrouted/test", null);
    assertThat(noModel.status()).isEqualTo(400);
    assertThat(noModel.body().getJsonObject("error").getString("param")).isEqualTo("model");
    AdminClient.Reply badModel = gateway.admin.send("POST", "/admin/channels/unrouted/test",
        new JsonObject().put("model", 5));
    assertThat(badModel.status()).isEqualTo(400);
    assertThat(badModel.body().getJsonObject("error").getString("param")).isEqualTo("model");
  }

  @Test
  @DisplayName("the reports group every account's usage rows in billing by channel (last hour: requests, failures), "
      + "day, model and account, paged by the group key")
  void reports() {
    GatewayUnderTest.Customer first = gateway.customer("10", "*");
    GatewayUnderTest.Customer second = gateway.customer("10", "*");
    gateway.fake.script("up-m", Behavior.reply("hello there"), Behavior.error(400, "bad request, says upstream"),
        Behavior.reply("again"));
    RawHttp http = new RawHttp(gateway.v1());
    assertThat(http.post("/chat/completions", first.key(), chat()).statusCode()).isEqualTo(200);
    assertThat(http.post("/chat/completions", first.key(), chat()).statusCode()).isEqualTo(400);
    assertThat(http.post("/chat/completions", second.key(), chat()).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.admin.ok("GET", "/admin/reports/channels", null)
        .getJsonObject("total").getLong("requests") == 3);

    JsonArray channels = gateway.admin.ok("GET", "/admin/reports/channels", null).getJsonArray("data");
    JsonObject channel = find(channels, "channel", "fake-openai");
    assertThat(channel.getLong("requests")).isEqualTo(3);
    assertThat(channel.getLong("failed_requests")).isEqualTo(1);
    assertThat(gateway.admin.ok("GET", "/admin/reports/channels?since=2999-01-01T00:00:00Z", null)
        .getJsonArray("data")).isEmpty();

    long charged = gateway.usageCostMicros(first.accountId()) + gateway.usageCostMicros(second.accountId());
    JsonObject byDay = gateway.admin.ok("GET", "/admin/reports/revenue?group_by=day", null);
    assertThat(byDay.getJsonArray("data")).hasSize(1);
    assertThat(byDay.getJsonArray("data").getJsonObject(0).getString("day"))
        .isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(byDay.getJsonObject("total").getLong("cost_micros")).isEqualTo(charged).isPositive();
    JsonObject byModel = gateway.admin.ok("GET", "/admin/reports/revenue?group_by=model", null);
    assertThat(find(byModel.getJsonArray("data"), "model", "m").getLong("requests")).isEqualTo(3);

    JsonObject page1 = gateway.admin.ok("GET", "/admin/reports/revenue?group_by=account&limit=1", null);
    assertThat(page1.getJsonArray("data")).hasSize(1);
    JsonObject a = page1.getJsonArray("data").getJsonObject(0);
    assertThat(a.getLong("account_id")).isEqualTo(first.accountId());
    assertThat(a.getLong("requests")).isEqualTo(2);
    assertThat(a.getLong("failed_requests")).isEqualTo(1);
    assertThat(a.getLong("cost_micros")).isEqualTo(gateway.usageCostMicros(first.accountId()));
    JsonObject page2 = gateway.admin.ok("GET", "/admin/reports/revenue?group_by=account&limit=1&after="
        + page1.getString("next_after"), null);
    assertThat(page2.getJsonArray("data").getJsonObject(0).getLong("account_id")).isEqualTo(second.accountId());
    assertThat(page2.getValue("next_after")).isNull();
    assertThat(gateway.admin.ok("GET", "/admin/reports/revenue?group_by=day&after="
        + LocalDate.now(ZoneOffset.UTC), null).getJsonArray("data")).isEmpty();
    assertThat(gateway.admin.ok("GET", "/admin/reports/revenue?group_by=day&from=2999-01-01T00:00:00Z", null)
        .getJsonObject("total").getLong("requests")).isZero();

    for (String bad : List.of("group_by=week", "from=yesterday", "group_by=day&after=2026-13-45",
        "group_by=account&after=x", "limit=0")) {
      AdminClient.Reply reply = gateway.admin.send("GET", "/admin/reports/revenue?" + bad, null);
      assertThat(reply.status()).as(bad).isEqualTo(400);
      assertThat(reply.body().getJsonObject("error").getString("param")).as(bad)
          .isEqualTo(bad.substring(bad.lastIndexOf('&') + 1, bad.lastIndexOf('=')));
    }
  }

  private static String chat() {
    return new JsonObject().put("model", "m").put("max_tokens", 20)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static JsonObject find(JsonArray rows, String field, String value) {
    for (Object row : rows) {
      if (value.equals(((JsonObject) row).getString(field))) {
        return (JsonObject) row;
      }
    }
    throw new AssertionError("no row with " + field + " " + value + " in " + rows.encode());
  }
}
