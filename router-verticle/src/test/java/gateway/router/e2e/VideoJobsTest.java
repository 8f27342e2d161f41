package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.VideoClient.Reply;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Video jobs' lives and money, over raw HTTP against the fake upstream's OpenAI Videos and DashScope task APIs: the
 * charge of the seconds delivered exactly once, failed, canceled and stalled jobs free, our stored copy outliving the
 * upstream's link, a job across a router restart and a dead router's lease, two gateways on one database polling
 * without double work.
 */
@ExtendWith(VertxExtension.class)
class VideoJobsTest extends VideoTestBase {
  @Test
  @DisplayName("DashScope: /v1/videos/generations answers our URL once ready; the delivered seconds are charged once at the resolution's price; the usage row and /v1/me show it")
  void dashScopeGenerationChargedOnce(Vertx vertx) {
    start(vertx);
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().endsAfterPolls(3));

    Reply reply = http.post("/videos/generations", customer.key(), generation(WAN, "1080P", 10, "16:9"));

    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
    assertThat(reply.body().getLong("created")).isPositive();
    String url = reply.body().getJsonArray("data").getJsonObject(0).getString("url");
    assertThat(url).startsWith(gateway.baseUrl() + "/media/").endsWith(".mp4");
    HttpResponse<byte[]> file = http.fetch(url);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("content-type")).hasValue("video/mp4");
    assertThat(file.body().length).isPositive();
    long cost = 10 * 2 * CREDIT;
    gateway.awaitBalance(customer.accountId(), START - cost);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(cost);
    assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(cost);
    JsonObject sent = gateway.fake.requestsFor(WAN_UPSTREAM).get(0).body();
    assertThat(sent.getJsonObject("parameters").getInteger("duration")).isEqualTo(10);
    assertThat(sent.getJsonObject("parameters").getString("resolution")).isEqualTo("1080P");
    JsonObject me = http.get("/me", customer.key()).body();
    assertThat(new java.math.BigDecimal(String.valueOf(me.getJsonObject("spend").getValue("month_credits"))))
        .isEqualByComparingTo("20");
  }

  @Test
  @DisplayName("an upstream reporting fewer seconds than asked is charged those, never more than held")
  void chargedForSecondsDelivered(Vertx vertx) {
    start(vertx);
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().deliversSeconds(3));

    Reply reply = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 5, null));

    assertThat(reply.status()).isEqualTo(200);
    gateway.awaitBalance(customer.accountId(), START - 3 * CREDIT);
  }

  @Test
  @DisplayName("a job the upstream fails costs nothing: its hold is released and its usage row is free")
  void failedJobIsFree(Vertx vertx) {
    start(vertx);
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().jobFails("moderation_blocked", "blocked by moderation"));
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().jobCanceled());

    Reply created = http.post("/videos", customer.key(), new JsonObject().put("model", SORA).put("prompt", "x"));
    Reply canceled = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 5, null));

    Reply done = awaitEnded(created.body().getString("id"));
    assertThat(done.body().getString("status")).isEqualTo("failed");
    assertThat(done.body().getJsonObject("error").getString("code")).isEqualTo("moderation_blocked");
    assertThat(canceled.status()).isEqualTo(502);
    gateway.awaitBalance(customer.accountId(), START);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 2);
    assertThat(gateway.usageCostMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("an upstream 'success' whose file is empty or an HTML page delivered no video: the job fails "
      + "(invalid_video_file) at once, its hold is released, nothing is charged and nothing kept")
  void brokenFileIsNotDelivered(Vertx vertx) {
    start(vertx);
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().deliversBrokenFile("video/mp4", new byte[0]));
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().deliversBrokenFile("text/html",
        "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    Reply created = http.post("/videos", customer.key(), new JsonObject().put("model", SORA).put("prompt", "x"));
    Reply generation = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 5, null));

    assertThat(generation.status()).as(String.valueOf(generation.body())).isEqualTo(502);
    assertThat(generation.body().getJsonObject("error").getString("message"))
        .contains("not an MP4").contains("nothing was charged");
    Reply done = awaitEnded(created.body().getString("id"));
    assertThat(done.body().getString("status")).isEqualTo("failed");
    assertThat(done.body().getJsonObject("error").getString("code")).isEqualTo("invalid_video_file");
    assertThat(done.body().getJsonObject("error").getString("message")).contains("empty");
    assertThat(done.body().getString("url")).isNull();
    gateway.awaitBalance(customer.accountId(), START);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 2
        && gateway.heldMicros(customer.accountId()) == 0);
    assertThat(gateway.usageCostMicros(customer.accountId())).isZero();
    String soraJob = gateway.fake.videoJobIds().get(0);
    assertThat(gateway.fake.downloadsOf("/v1/videos/" + soraJob + "/content")).isEqualTo(1);
    assertThat(storedFiles()).isZero();
  }

  @Test
  @DisplayName("a job the upstream never finishes is failed and released after GATEWAY_VIDEO_JOB_TIMEOUT_SECONDS")
  void stalledJobTimesOut(Vertx vertx) {
    start(vertx, env -> env.with("GATEWAY_VIDEO_JOB_TIMEOUT_SECONDS", 2));
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().jobStalls());

    Reply created = http.post("/videos", customer.key(), new JsonObject().put("model", SORA).put("prompt", "x"));
    assertThat(gateway.heldMicros(customer.accountId())).isEqualTo(4 * CREDIT);

    Reply done = awaitEnded(created.body().getString("id"));
    assertThat(done.body().getString("status")).isEqualTo("failed");
    assertThat(done.body().getJsonObject("error").getString("code")).isEqualTo("timeout");
    gateway.awaitBalance(customer.accountId(), START);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("our URL still serves the video after the upstream's own link expired")
  void storedCopyOutlivesUpstreamLink(Vertx vertx) {
    start(vertx);
    gateway.fake.script(WAN_UPSTREAM, Behavior.videoJob().urlsExpireAfter(Duration.ofSeconds(2)));

    Reply reply = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 5, null));
    assertThat(reply.status()).isEqualTo(200);
    String ours = reply.body().getJsonArray("data").getJsonObject(0).getString("url");
    String taskId = gateway.fake.videoJobIds().get(0);
    String upstreamUrl = upstreamVideoUrl(taskId);
    assertThat(gateway.fake.downloadsOf(upstreamUrl)).isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> http.fetch(upstreamUrl).statusCode() == 403);
    HttpResponse<byte[]> file = http.fetch(ours);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("content-type")).hasValue("video/mp4");
  }

  @Test
  @DisplayName("a job submitted before the routers restart, and claimed meanwhile by a router that died, is completed once that lease lapsed and charged once")
  void jobAcrossRestart(Vertx vertx) {
    start(vertx);
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().endsAfter(Duration.ofSeconds(3)));

    Reply created = http.post("/videos", customer.key(),
        new JsonObject().put("model", SORA).put("prompt", "x").put("seconds", 12));
    String id = created.body().getString("id");
    gateway.stopRouters();
    String upstreamId = gateway.fake.videoJobIds().get(0);
    int pollsWhileDown = gateway.fake.pollsOf(upstreamId);
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> gateway.fake.pollsOf(upstreamId) == pollsWhileDown);
    assertThat(gateway.heldMicros(customer.accountId())).isEqualTo(12 * CREDIT);
    // a router that crashed while it held the job: its lease must lapse before anyone polls again
    execute("UPDATE videos.jobs SET lease_owner = 'router-dead', lease_expires_at = now() + interval '2 seconds' "
        + "WHERE id = '" + id + "'");
    gateway.startRouters();

    assertThat(awaitEnded(id).body().getString("status")).isEqualTo("completed");
    gateway.awaitBalance(customer.accountId(), START - 12 * CREDIT);
    assertThat(gateway.sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND account_id = ?",
        customer.accountId())).isEqualTo(1);
    assertThat(gateway.fake.downloadsOf("/v1/videos/" + upstreamId + "/content")).isEqualTo(1);
  }

  @Test
  @DisplayName("two gateways on one database poll the same jobs without double work: each job polled to its end once, downloaded once, charged once")
  void twoGatewaysShareJobs(Vertx vertx) {
    start(vertx);
    int jobs = 6;
    int pollsToEnd = 3;
    gateway.fake.scriptCycle(SORA_UPSTREAM, Behavior.videoJob().endsAfterPolls(pollsToEnd));
    other = Vertx.vertx();
    GatewayUnderTest second = gateway.alongside(other);
    VideoClient secondHttp = new VideoClient(second.v1());

    for (int i = 0; i < jobs; i++) {
      JsonObject body = new JsonObject().put("model", SORA).put("prompt", "job " + i);
      assertThat((i % 2 == 0 ? http : secondHttp).post("/videos", customer.key(), body).status()).isEqualTo(200);
    }

    gateway.awaitBalance(customer.accountId(), START - jobs * 4 * CREDIT);
    await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/videos?limit=100", customer.key()).body()
        .getJsonArray("data").stream().allMatch(v -> ((JsonObject) v).getString("status").equals("completed")));
    for (String upstreamId : gateway.fake.videoJobIds()) {
      assertThat(gateway.fake.pollsOf(upstreamId)).as("polls of " + upstreamId).isEqualTo(pollsToEnd);
      assertThat(gateway.fake.downloadsOf("/v1/videos/" + upstreamId + "/content")).isEqualTo(1);
    }
    assertThat(gateway.sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND account_id = ?",
        customer.accountId())).isEqualTo(jobs);
  }

}
