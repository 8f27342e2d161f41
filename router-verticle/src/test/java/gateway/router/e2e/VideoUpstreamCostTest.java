package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.VideoClient.Reply;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A video job's upstream cost: the seconds delivered at its route's cost per second, on the job's usage row. */
@ExtendWith(VertxExtension.class)
class VideoUpstreamCostTest extends VideoTestBase {

  @Test
  @DisplayName("a job through a route with a cost price stores the seconds delivered × the resolution's cost; a failed "
      + "one there costs 0 upstream")
  void videoJobsCarryTheirUpstreamCost(Vertx vertx) {
    start(vertx);
    costedRoute(WAN, "fake-dashscope", WAN_UPSTREAM, new JsonArray().add(5).add(10));
    costedRoute(SORA, "fake-openai", SORA_UPSTREAM, new JsonArray().add(4).add(8).add(12));
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().deliversSeconds(3));
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().jobFails("moderation_blocked", "blocked by moderation"));

    Reply delivered = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 5, null));
    assertThat(delivered.status()).as(String.valueOf(delivered.body())).isEqualTo(200);
    Reply failed = http.post("/videos", customer.key(), new JsonObject().put("model", SORA).put("prompt", "x"));
    assertThat(awaitEnded(failed.body().getString("id")).body().getString("status")).isEqualTo("failed");
    gateway.awaitBalance(customer.accountId(), START - 3 * CREDIT);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 2);

    // 3 seconds delivered at 0.25 credits a 720P second upstream
    assertThat(upstream(WAN)).isEqualTo(3 * CREDIT / 4);
    assertThat(upstream(SORA)).isZero();
  }

  private void costedRoute(String alias, String channel, String upstream, JsonArray durations) {
    gateway.admin.ok("PUT", "/admin/models/" + alias, new JsonObject()
        .put("type", "text2video")
        .put("available_resolutions", new JsonArray().add("720P").add("1080P"))
        .put("available_durations", durations)
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1).put("1080P", 2)))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstream)
            .put("cost", new JsonObject().put("per_second", new JsonObject().put("720P", "0.25").put("1080P", "0.5"))))));
  }

  private long upstream(String model) {
    return gateway.sql("SELECT COALESCE(upstream_cost_micros, -1) FROM billing.usage WHERE account_id = ? AND model = '"
        + model + "'", customer.accountId());
  }
}
