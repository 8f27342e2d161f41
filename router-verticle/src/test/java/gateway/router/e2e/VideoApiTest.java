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
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The video endpoints as clients meet them: each allow-list's 400, OpenAI's job API over raw HTTP and through the
 * official SDK, paging and isolation between accounts, rate limits and hostile input, fallback between routes.
 */
@ExtendWith(VertxExtension.class)
class VideoApiTest extends VideoTestBase {
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

  @Test
  @DisplayName("/v1/models (public) shows the video model's type, per-second prices by resolution and allow-lists")
  void listedWithPricesAndAllowLists(Vertx vertx) {
    start(vertx);

    Reply models = http.get("/models", null);

    assertThat(models.status()).isEqualTo(200);
    JsonObject wan = models.body().getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(m -> WAN.equals(m.getString("id"))).findFirst().orElseThrow();
    assertThat(wan.getString("model_type")).isEqualTo("text2video");
    JsonObject perSecond = wan.getJsonObject("pricing").getJsonObject("per_second");
    assertThat(perSecond.fieldNames()).containsExactlyInAnyOrder("720P", "1080P");
    assertThat(new java.math.BigDecimal(perSecond.getValue("720P").toString())).isEqualByComparingTo("1");
    assertThat(new java.math.BigDecimal(perSecond.getValue("1080P").toString())).isEqualByComparingTo("2");
    assertThat(wan.getJsonArray("available_resolutions")).containsExactly("720P", "1080P");
    assertThat(wan.getJsonArray("available_ratios")).containsExactly("16:9", "9:16");
    assertThat(wan.getJsonArray("available_durations")).containsExactly(5, 10);
    JsonObject sora = models.body().getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(m -> SORA.equals(m.getString("id"))).findFirst().orElseThrow();
    assertThat(sora.getJsonArray("available_durations")).containsExactly(4, 8, 12);
  }

  private static void assertRefused(Reply reply, String param, String allowed) {
    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(400);
    JsonObject error = reply.body().getJsonObject("error");
    assertThat(error.getString("param")).isEqualTo(param);
    assertThat(error.getString("message")).contains(allowed);
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
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
