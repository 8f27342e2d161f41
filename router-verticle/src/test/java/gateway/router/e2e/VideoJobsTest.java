package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.VideoClient.Reply;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import gateway.common.PgUrl;
import gateway.common.config.Env;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Video jobs end to end over raw HTTP, against the fake upstream's OpenAI Videos and DashScope task APIs: the
 * allow-lists, the hold of price × seconds, the charge of the seconds delivered exactly once, failed and stalled
 * jobs free, our stored copy outliving the upstream's link, a job across a router restart, two gateways on one
 * database polling without double work.
 */
@ExtendWith(VertxExtension.class)
class VideoJobsTest {
  static final String SORA = "sora";
  static final String WAN = "wan";
  static final String SORA_UPSTREAM = "sora-2";
  static final String WAN_UPSTREAM = "wan2.2-t2v-plus";
  static final long CREDIT = 1_000_000;
  static final long START = 100 * CREDIT;

  GatewayUnderTest gateway;
  VideoClient http;
  Customer customer;
  Vertx other;

  @AfterEach
  void closeOther() {
    if (other != null) {
      other.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  GatewayUnderTest start(Vertx vertx, UnaryOperator<Env> tune) {
    Path media;
    try {
      media = Files.createTempDirectory("gw-videos");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    gateway = GatewayUnderTest.start(vertx, env -> tune.apply(env
        .with("GATEWAY_MEDIA_DIR", media.toString())
        .with("GATEWAY_VIDEO_POLL_INTERVAL_MS", 50)
        .with("GATEWAY_VIDEO_POLL_MAX_INTERVAL_MS", 200)
        .with("GATEWAY_VIDEO_POLLER_TICK_MS", 50)
        .with("GATEWAY_VIDEO_LEASE_SECONDS", 30)));
    gateway.channel("fake-openai", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.channel("fake-dashscope", new JsonObject().put("type", "dashscope")
        .put("base_url", gateway.fake.dashScopeBaseUrl()).put("api_key", GatewayUnderTest.CHANNEL_KEY));
    videoModel(SORA, "fake-openai", SORA_UPSTREAM, new JsonArray().add(4).add(8).add(12));
    videoModel(WAN, "fake-dashscope", WAN_UPSTREAM, new JsonArray().add(5).add(10));
    customer = gateway.customer("100", SORA, WAN);
    http = new VideoClient(gateway.v1());
    return gateway;
  }

  GatewayUnderTest start(Vertx vertx) {
    return start(vertx, env -> env);
  }

  void videoModel(String alias, String channel, String upstream, JsonArray durations) {
    gateway.admin.ok("PUT", "/admin/models/" + alias, new JsonObject()
        .put("type", "text2video")
        .put("available_resolutions", new JsonArray().add("720P").add("1080P"))
        .put("available_ratios", new JsonArray().add("16:9").add("9:16"))
        .put("available_durations", durations)
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1).put("1080P", 2)))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstream))));
  }

  static JsonObject generation(String model, String resolution, Object duration, String ratio) {
    JsonObject body = new JsonObject().put("model", model).put("prompt", "a cat surfing at dawn")
        .put("resolution", resolution).put("duration", duration);
    return ratio == null ? body : body.put("ratio", ratio);
  }

  Reply awaitEnded(String id) {
    Reply[] last = new Reply[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      last[0] = http.get("/videos/" + id, customer.key());
      String status = last[0].body().getString("status");
      return status.equals("completed") || status.equals("failed");
    });
    return last[0];
  }

  @Test
  @DisplayName("a resolution, duration or ratio outside the model's lists is a 400 naming the field and listing what is allowed; nothing is held or sent")
  void allowListsRefuse(Vertx vertx) {
    start(vertx);
    Reply resolution = http.post("/videos/generations", customer.key(), generation(WAN, "4K", 5, null));
    Reply duration = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 7, null));
    Reply ratio = http.post("/videos/generations", customer.key(), generation(WAN, "720P", 5, "4:3"));
    Reply missing = http.post("/videos/generations", customer.key(),
        new JsonObject().put("model", WAN).put("prompt", "x").put("duration", 5));
    Reply seconds = http.post("/videos", customer.key(),
        new JsonObject().put("model", SORA).put("prompt", "x").put("seconds", "7"));
    Reply size = http.post("/videos", customer.key(),
        new JsonObject().put("model", SORA).put("prompt", "x").put("size", "640x480"));

    assertRefused(resolution, "resolution", "720P, 1080P");
    assertRefused(duration, "duration", "5, 10");
    assertRefused(ratio, "ratio", "16:9, 9:16");
    assertRefused(missing, "resolution", "720P");
    assertRefused(seconds, "seconds", "4, 8, 12");
    assertRefused(size, "size", "720P, 1080P");
    assertThat(gateway.fake.videoJobIds()).isEmpty();
    assertThat(gateway.heldMicros(customer.accountId())).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START);
  }

  private static void assertRefused(Reply reply, String param, String allowed) {
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(400);
    JsonObject error = reply.body().getJsonObject("error");
    assertThat(error.getString("param")).isEqualTo(param);
    assertThat(error.getString("message")).contains(allowed);
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
  }

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
  @DisplayName("OpenAI-shaped upstream: POST /v1/videos queues a job, GET shows it completed with our content; listed and paged; another account sees 404")
  void openAiJobApi(Vertx vertx) {
    start(vertx);
    gateway.fake.script(SORA_UPSTREAM, Behavior.videoJob().endsAfterPolls(2));

    Reply created = http.post("/videos", customer.key(),
        new JsonObject().put("model", SORA).put("prompt", "a lighthouse").put("seconds", "8").put("size", "1280x720"));

    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(200);
    JsonObject video = created.body();
    String id = video.getString("id");
    assertThat(id).matches("video_[0-9a-f]{32}");
    assertThat(video.getString("object")).isEqualTo("video");
    assertThat(video.getString("status")).isEqualTo("queued");
    assertThat(video.getString("seconds")).isEqualTo("8");
    assertThat(gateway.heldMicros(customer.accountId())).isEqualTo(8 * CREDIT);
    Reply done = awaitEnded(id);
    assertThat(done.body().getString("status")).isEqualTo("completed");
    assertThat(done.body().getInteger("progress")).isEqualTo(100);
    HttpResponse<byte[]> content = http.fetch("/videos/" + id + "/content", customer.key());
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(content.headers().firstValue("content-type")).hasValue("video/mp4");
    assertThat(http.fetch(done.body().getString("url")).body()).isEqualTo(content.body());
    gateway.awaitBalance(customer.accountId(), START - 8 * CREDIT);

    Reply second = http.post("/videos", customer.key(), new JsonObject().put("model", SORA).put("prompt", "b"));
    assertThat(second.body().getString("seconds")).isEqualTo("4");
    Reply page = http.get("/videos?limit=1", customer.key());
    assertThat(page.body().getJsonArray("data")).hasSize(1);
    assertThat(page.body().getBoolean("has_more")).isTrue();
    assertThat(page.body().getString("first_id")).isEqualTo(second.body().getString("id"));
    Reply next = http.get("/videos?limit=1&after=" + page.body().getString("last_id"), customer.key());
    assertThat(next.body().getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(next.body().getBoolean("has_more")).isFalse();

    Customer stranger = gateway.customer("10", SORA);
    assertThat(http.get("/videos/" + id, stranger.key()).status()).isEqualTo(404);
    assertThat(http.fetch("/videos/" + id + "/content", stranger.key()).statusCode()).isEqualTo(404);
    assertThat(http.get("/videos", stranger.key()).body().getJsonArray("data")).isEmpty();
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

  private String upstreamVideoUrl(String taskId) {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.fake.dashScopeBaseUrl() + "/tasks/" + taskId))
        .header("authorization", "Bearer " + GatewayUnderTest.CHANNEL_KEY).GET().build();
    try {
      String body = java.net.http.HttpClient.newHttpClient().send(request,
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return new JsonObject(body).getJsonObject("output").getString("video_url");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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

  private void execute(String statement) {
    PgUrl url = PgUrl.parse(gateway.config.pgUrl());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         java.sql.Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
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

  @Test
  @DisplayName("the official OpenAI SDK creates a video (multipart), retrieves it until completed and downloads our copy")
  void openAiSdk(Vertx vertx) {
    start(vertx);
    com.openai.client.OpenAIClient sdk = gateway.sdk(customer.key());

    com.openai.models.videos.Video video = sdk.videos().create(com.openai.models.videos.VideoCreateParams.builder()
        .model(SORA).prompt("a paper boat in the rain").seconds(com.openai.models.videos.VideoSeconds._8)
        .size(com.openai.models.videos.VideoSize._720X1280).build());

    assertThat(video.status()).isEqualTo(com.openai.models.videos.Video.Status.QUEUED);
    assertThat(video.seconds()).isEqualTo(com.openai.models.videos.VideoSeconds._8);
    com.openai.models.videos.Video[] last = new com.openai.models.videos.Video[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      last[0] = sdk.videos().retrieve(video.id());
      return last[0].status().equals(com.openai.models.videos.Video.Status.COMPLETED);
    });
    assertThat(last[0].progress()).isEqualTo(100);
    try (com.openai.core.http.HttpResponse content = sdk.videos().downloadContent(video.id())) {
      assertThat(content.statusCode()).isEqualTo(200);
      assertThat(content.body().readAllBytes()).isNotEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    JsonObject sent = gateway.fake.requestsFor(SORA_UPSTREAM).get(0).body();
    assertThat(sent.getString("seconds")).isEqualTo("8");
    assertThat(sent.getString("size")).isEqualTo("720x1280");
    gateway.awaitBalance(customer.accountId(), START - 8 * CREDIT);
  }

  @Test
  @DisplayName("a key's rpm limits video submits (429 with Retry-After); malformed bodies, ids and paging are 4xx naming the field")
  void limitsAndHostileInput(Vertx vertx) {
    start(vertx);
    JsonObject limited = gateway.admin.ok("POST", "/admin/accounts/" + customer.accountId() + "/keys",
        new JsonObject().put("name", "slow").put("models", new JsonArray().add(SORA)).put("rpm", 1));
    String slowKey = limited.getString("key");
    JsonObject body = new JsonObject().put("model", SORA).put("prompt", "x");

    assertThat(http.post("/videos", slowKey, body).status()).isEqualTo(200);
    Reply refused = http.post("/videos", slowKey, body);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().getJsonObject("error").getString("code")).isEqualTo("rate_limit_exceeded");

    Reply notJson = http.postRaw("/videos", customer.key(), "{\"model\":");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body().getJsonObject("error").getString("code")).isEqualTo("invalid_json");
    Reply noPrompt = http.post("/videos/generations", customer.key(),
        new JsonObject().put("model", WAN).put("resolution", "720P").put("duration", 5));
    assertThat(noPrompt.body().getJsonObject("error").getString("param")).isEqualTo("prompt");
    Reply badSeconds = http.post("/videos", customer.key(), body.copy().put("seconds", "eight"));
    assertThat(badSeconds.body().getJsonObject("error").getString("param")).isEqualTo("seconds");
    Reply notVideo = http.post("/videos", customer.key(), body.copy().put("model", "no-such-model"));
    assertThat(notVideo.status()).isIn(403, 404);
    assertThat(http.get("/videos/video_%27%20OR%201=1", customer.key()).status()).isEqualTo(404);
    assertThat(http.get("/videos?limit=0", customer.key()).body().getJsonObject("error").getString("param"))
        .isEqualTo("limit");
    assertThat(http.get("/videos?after=x", customer.key()).body().getJsonObject("error").getString("param"))
        .isEqualTo("after");
    assertThat(http.get("/videos", "sk-wrong").status()).isEqualTo(401);

    Customer poor = gateway.customer("1", WAN);
    Reply broke = http.post("/videos/generations", poor.key(), generation(WAN, "1080P", 10, null));
    assertThat(broke.status()).isEqualTo(402);
    assertThat(gateway.heldMicros(poor.accountId())).isZero();
    assertThat(gateway.fake.requestsFor(WAN_UPSTREAM)).isEmpty();
  }

  @Test
  @DisplayName("a channel failing the create falls back to the next route; an upstream refusing the request is a 400 to the client, free")
  void fallbackAndRefusal(Vertx vertx) {
    start(vertx);
    gateway.admin.ok("PUT", "/admin/models/mixed", new JsonObject()
        .put("type", "text2video")
        .put("available_durations", new JsonArray().add(5))
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1)))
        .put("routes", new JsonArray()
            .add(new JsonObject().put("channel", "fake-openai").put("model", "sora-down").put("priority", 0))
            .add(new JsonObject().put("channel", "fake-dashscope").put("model", WAN_UPSTREAM).put("priority", 1))));
    Customer mixed = gateway.customer("100", "mixed", SORA);
    gateway.fake.script("sora-down", Behavior.error(500, "upstream on fire"));
    gateway.fake.script(SORA_UPSTREAM, Behavior.error(400, "Your prompt was rejected."));

    Reply served = http.post("/videos/generations", mixed.key(), generation("mixed", "720P", 5, null));
    Reply refused = http.post("/videos", mixed.key(), new JsonObject().put("model", SORA).put("prompt", "x"));

    assertThat(served.status()).as(String.valueOf(served.body())).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("sora-down")).hasSize(1);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().getJsonObject("error").getString("message")).contains("rejected");
    gateway.awaitBalance(mixed.accountId(), START - 5 * CREDIT);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(mixed.accountId()) == 2);
  }
}
