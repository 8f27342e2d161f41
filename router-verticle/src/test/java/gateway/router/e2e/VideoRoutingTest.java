package gateway.router.e2e;

import static gateway.router.e2e.RoutingTest.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.VideoClient.Reply;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing for video submits as for chat: {@code ?channel=} pins one channel on both {@code POST /v1/videos} and
 * {@code POST /v1/videos/generations} (no fallback, an unknown channel a 400 naming it), and a channel whose breaker
 * opened is skipped.
 */
@ExtendWith(VertxExtension.class)
class VideoRoutingTest extends VideoTestBase {
  private static final String ROUTED = "routed-video";

  /** A video model over an OpenAI-shaped channel (first), a second one, and DashScope (last). */
  private Customer routed(JsonObject firstChannel) {
    gateway.fakeChannel("first", firstChannel);
    gateway.fakeChannel("second", new JsonObject());
    gateway.admin.ok("PUT", "/admin/models/" + ROUTED, new JsonObject()
        .put("type", "text2video")
        .put("available_durations", new JsonArray().add(5))
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1)))
        .put("routes", new JsonArray().add(route("first", "video-first", 0)).add(route("second", "video-second", 1))
            .add(route("fake-dashscope", WAN_UPSTREAM, 2))));
    return gateway.customer("100", ROUTED);
  }

  @Test
  @DisplayName("?channel= pins one channel on POST /v1/videos and /v1/videos/generations, over the routes' order; "
      + "a pinned channel failing is not fallen back from; an unknown one is a 400 naming 'channel'")
  void channelPinning(Vertx vertx) {
    start(vertx);
    Customer client = routed(new JsonObject());
    JsonObject job = new JsonObject().put("model", ROUTED).put("prompt", "a kite over the dunes");

    Reply second = http.post("/videos?channel=second", client.key(), job);
    Reply dashScope = http.post("/videos/generations?channel=fake-dashscope", client.key(),
        generation(ROUTED, "720P", 5, null));

    assertThat(second.status()).as(String.valueOf(second.body())).isEqualTo(200);
    assertThat(dashScope.status()).as(String.valueOf(dashScope.body())).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("video-first")).isEmpty();
    assertThat(gateway.fake.requestsFor("video-second")).hasSize(1);
    assertThat(gateway.fake.requestsFor(WAN_UPSTREAM)).hasSize(1);
    assertThat(awaitEnded(second.body().getString("id"), client).body().getString("status")).isEqualTo("completed");
    gateway.awaitBalance(client.accountId(), START - 2 * 5 * CREDIT);
    List<String> channels = gateway.usageRows(client.accountId()).stream()
        .map(row -> ((JsonObject) row).getString("channel")).toList();
    assertThat(channels).containsExactlyInAnyOrder("second", "fake-dashscope");

    gateway.fake.script("video-first", Behavior.error(503, "video service down"));
    Reply pinnedDown = http.post("/videos?channel=first", client.key(), job);
    Reply pinnedDownSync = http.post("/videos/generations?channel=first", client.key(),
        generation(ROUTED, "720P", 5, null));
    Reply unknown = http.post("/videos?channel=nope", client.key(), job);
    Reply unknownSync = http.post("/videos/generations?channel=nope", client.key(),
        generation(ROUTED, "720P", 5, null));

    assertThat(pinnedDown.status()).isEqualTo(502);
    assertThat(pinnedDown.body().getJsonObject("error").getString("message")).contains("video service down");
    assertThat(pinnedDownSync.status()).isEqualTo(502);
    assertThat(gateway.fake.requestsFor("video-first")).hasSize(2);
    assertThat(gateway.fake.requestsFor("video-second")).hasSize(1);
    assertThat(gateway.fake.requestsFor(WAN_UPSTREAM)).hasSize(1);
    for (Reply refused : List.of(unknown, unknownSync)) {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.body().getJsonObject("error").getString("param")).isEqualTo("channel");
    }
    gateway.awaitBalance(client.accountId(), START - 2 * 5 * CREDIT);
  }

  @Test
  @DisplayName("a video channel whose breaker opened is skipped: submits go to the next route at once, the open "
      + "channel is sent nothing more")
  void openBreakerIsSkipped(Vertx vertx) {
    start(vertx);
    // reset_ms far beyond the test: once open, the breaker stays open
    Customer client = routed(new JsonObject().put("breaker", new JsonObject().put("failures", 2)
        .put("window_ms", 60_000).put("reset_ms", 600_000)));
    gateway.fake.script("video-first", Behavior.error(500, "video service broke"));
    JsonObject job = new JsonObject().put("model", ROUTED).put("prompt", "a kite over the dunes");

    for (int i = 0; i < 2; i++) {
      Reply reply = http.post("/videos", client.key(), job);
      assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
    }
    assertThat(gateway.fake.requestsFor("video-first")).hasSize(2);

    // fresh clients (fresh connections) land on every router instance: none of them tries the open channel
    Reply synchronous = new VideoClient(gateway.v1()).post("/videos/generations", client.key(),
        generation(ROUTED, "720P", 5, null));
    for (int i = 0; i < 3; i++) {
      Reply reply = new VideoClient(gateway.v1()).post("/videos", client.key(), job);
      assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
    }

    assertThat(synchronous.status()).as(String.valueOf(synchronous.body())).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("video-first")).hasSize(2);
    assertThat(gateway.fake.requestsFor("video-second")).hasSize(6);
    gateway.awaitBalance(client.accountId(), START - 6 * 5 * CREDIT);
  }

  private Reply awaitEnded(String id, Customer client) {
    Reply[] last = new Reply[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      last[0] = http.get("/videos/" + id, client.key());
      String status = last[0].body().getString("status");
      return status.equals("completed") || status.equals("failed");
    });
    return last[0];
  }
}
