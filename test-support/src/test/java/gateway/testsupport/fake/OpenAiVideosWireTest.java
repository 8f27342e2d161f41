package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: OpenAI Videos wire format")
class OpenAiVideosWireTest extends MediaWireTestBase {

  private static final String MODEL = "sora-2";

  private Future<Got> create(String model, String seconds) {
    return postJson("/v1/videos", new JsonObject().put("model", model).put("prompt", "a paper boat on a river")
        .put("seconds", seconds).put("size", "1280x720"));
  }

  private Future<Got> poll(String id) {
    return get("/v1/videos/" + id);
  }

  @Test
  @DisplayName("create answers a queued video object; polls go in_progress then completed; content is the MP4")
  void lifecycle(VertxTestContext ctx) {
    Future<Got> created = create(MODEL, "8");
    Future<Got> first = created.compose(c -> poll(c.json().getString("id")));
    Future<Got> second = first.compose(f -> poll(created.result().json().getString("id")));
    Future<Got> content = second.compose(s -> get("/v1/videos/" + created.result().json().getString("id") + "/content"));
    check(ctx, content, video -> {
      JsonObject job = created.result().json();
      String id = job.getString("id");
      assertThat(id).startsWith("video_");
      assertThat(job.getString("object")).isEqualTo("video");
      assertThat(job.getString("status")).isEqualTo("queued");
      assertThat(job.getInteger("progress")).isZero();
      assertThat(job.getString("seconds")).isEqualTo("8");
      assertThat(job.getString("size")).isEqualTo("1280x720");
      assertThat(job.getString("model")).isEqualTo(MODEL);
      assertThat(job.getLong("created_at")).isPositive();
      assertThat(job.getValue("completed_at")).isNull();
      assertThat(first.result().json().getString("status")).isEqualTo("in_progress");
      assertThat(first.result().json().getInteger("progress")).isBetween(1, 99);
      JsonObject done = second.result().json();
      assertThat(done.getString("status")).isEqualTo("completed");
      assertThat(done.getInteger("progress")).isEqualTo(100);
      assertThat(done.getLong("completed_at")).isPositive();
      assertThat(done.getLong("expires_at")).isGreaterThan(done.getLong("completed_at"));
      assertThat(video.status()).isEqualTo(200);
      assertThat(video.header("Content-Type")).isEqualTo("video/mp4");
      assertThat(FakeMediaFiles.mp4Seconds(video.body().getBytes())).isEqualTo(8);
      assertThat(fake.pollsOf(id)).isEqualTo(2);
      assertThat(fake.downloadsOf("/v1/videos/" + id + "/content")).isEqualTo(1);
      assertThat(fake.videoJobIds()).containsExactly(id);
    });
  }

  @Test
  @DisplayName("the official SDKs' multipart create (seconds and size as form fields, an input_reference file) works")
  void multipartCreate(VertxTestContext ctx) {
    Multipart form = new Multipart().field("model", MODEL).field("prompt", "a lighthouse at dusk")
        .field("seconds", "4").field("size", "720x1280")
        .file("input_reference", "first.png", "image/png", FakeMediaFiles.png(8, 8, 1));
    check(ctx, postForm("/v1/videos", form), got -> {
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.json().getString("seconds")).isEqualTo("4");
      assertThat(got.json().getString("size")).isEqualTo("720x1280");
      JsonObject recorded = fake.requests().get(0).body();
      assertThat(recorded.getString("seconds")).isEqualTo("4");
      assertThat(recorded.getJsonObject("input_reference").getString("content_type")).isEqualTo("image/png");
      assertThat(fake.requests().get(0).protocol()).isEqualTo("openai-videos");
    });
  }

  @Test
  @DisplayName("a job that delivers 10 s when 4 were asked reports 10 once completed and its MP4 lasts 10 s")
  void deliveredDiffers(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.videoJob().endsAfterPolls(1).deliversSeconds(10));
    Future<Got> created = create(MODEL, "4");
    Future<Got> done = created.compose(c -> poll(c.json().getString("id")));
    Future<Got> content = done.compose(d -> get("/v1/videos/" + d.json().getString("id") + "/content"));
    check(ctx, content, video -> {
      assertThat(created.result().json().getString("seconds")).isEqualTo("4");
      assertThat(done.result().json().getString("status")).isEqualTo("completed");
      assertThat(done.result().json().getString("seconds")).isEqualTo("10");
      assertThat(FakeMediaFiles.mp4Seconds(video.body().getBytes())).isEqualTo(10);
    });
  }

  @Test
  @DisplayName("a job scripted with a broken file completes as usual but its content is that body: empty, or an HTML page")
  void brokenFile(VertxTestContext ctx) {
    String page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    fake.script("empty", Behavior.videoJob().endsAfterPolls(1).deliversBrokenFile("video/mp4", new byte[0]));
    fake.script("html", Behavior.videoJob().endsAfterPolls(1)
        .deliversBrokenFile("text/html", page.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Future<Got> emptyDone = create("empty", "4").compose(c -> poll(c.json().getString("id")));
    Future<Got> empty = emptyDone.compose(d -> get("/v1/videos/" + d.json().getString("id") + "/content"));
    Future<Got> htmlDone = empty.compose(e -> create("html", "4")).compose(c -> poll(c.json().getString("id")));
    Future<Got> html = htmlDone.compose(d -> get("/v1/videos/" + d.json().getString("id") + "/content"));
    check(ctx, html, htmlPage -> {
      assertThat(emptyDone.result().json().getString("status")).isEqualTo("completed");
      assertThat(empty.result().status()).isEqualTo(200);
      assertThat(empty.result().header("Content-Type")).isEqualTo("video/mp4");
      assertThat(empty.result().body().length()).isZero();
      assertThat(htmlDone.result().json().getString("status")).isEqualTo("completed");
      assertThat(htmlPage.status()).isEqualTo(200);
      assertThat(htmlPage.header("Content-Type")).isEqualTo("text/html");
      assertThat(htmlPage.body().toString()).isEqualTo(page);
    });
  }

  @Test
  @DisplayName("failed jobs carry error {code, message}; stalled jobs stay in_progress; content before completion is 404")
  void failAndStall(VertxTestContext ctx) {
    fake.script("fails", Behavior.videoJob().endsAfterPolls(1).jobFails("moderation_blocked", "blocked by moderation"));
    fake.script("stalls", Behavior.videoJob().jobStalls());
    Future<Got> failed = create("fails", "4").compose(c -> poll(c.json().getString("id")));
    Future<String> stalledId = create("stalls", "4").map(c -> c.json().getString("id"));
    Future<Got> stalled = stalledId.compose(id -> poll(id).compose(p -> poll(id)).compose(p -> poll(id)));
    Future<Got> early = stalled.compose(s -> get("/v1/videos/" + stalledId.result() + "/content"));
    Future<Got> unknown = early.compose(e -> poll("video_nope"));
    check(ctx, unknown, missing -> {
      JsonObject job = failed.result().json();
      assertThat(job.getString("status")).isEqualTo("failed");
      assertThat(job.getJsonObject("error").getString("code")).isEqualTo("moderation_blocked");
      assertThat(job.getJsonObject("error").getString("message")).isEqualTo("blocked by moderation");
      assertThat(stalled.result().json().getString("status")).isEqualTo("in_progress");
      assertThat(fake.pollsOf(stalledId.result())).isEqualTo(3);
      assertThat(early.result().status()).isEqualTo(404);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
    });
  }

  @Test
  @DisplayName("a time-scripted job ends after its duration however often it is polled; expired content is 404")
  void timedAndExpired(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.videoJob().endsAfter(Duration.ZERO).urlsExpireAfter(Duration.ZERO));
    Future<Got> created = create(MODEL, "4");
    Future<Got> done = created.compose(c -> poll(c.json().getString("id")));
    Future<Got> content = done.compose(d -> get("/v1/videos/" + d.json().getString("id") + "/content"));
    check(ctx, content, expired -> {
      assertThat(done.result().json().getString("status")).isEqualTo("completed");
      assertThat(expired.status()).isEqualTo(404);
      assertThat(expired.json().getJsonObject("error").getString("message")).contains("expired");
    });
  }

  @Test
  @DisplayName("create errors are OpenAI's; a missing prompt is a 400 naming it")
  void createErrors(VertxTestContext ctx) {
    fake.script("busy", Behavior.error(429, "Too many concurrent video jobs"));
    Future<Got> busy = create("busy", "4");
    Future<Got> noPrompt = postJson("/v1/videos", new JsonObject().put("model", MODEL));
    check(ctx, Future.all(busy, noPrompt), all -> {
      assertThat(busy.result().status()).isEqualTo(429);
      assertThat(busy.result().json().getJsonObject("error").getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(noPrompt.result().json().getJsonObject("error").getString("param")).isEqualTo("prompt");
      assertThat(fake.videoJobIds()).isEmpty();
    });
  }
}
