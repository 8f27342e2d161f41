package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: DashScope asynchronous video synthesis")
class DashScopeWireTest extends MediaWireTestBase {

  private static final String MODEL = "wan2.5-t2v-preview";
  private static final String SYNTHESIS = "/api/v1/services/aigc/video-generation/video-synthesis";

  private Future<Got> submit(String model, int duration, String... extraHeaders) {
    JsonObject body = new JsonObject().put("model", model)
        .put("input", new JsonObject().put("prompt", "a kitten running on grass"))
        .put("parameters", new JsonObject().put("resolution", "720P").put("duration", duration)
            .put("prompt_extend", true));
    String[] headers = extraHeaders.length > 0 ? extraHeaders : new String[] {"X-DashScope-Async", "enable"};
    return postJson(SYNTHESIS, body, headers);
  }

  private Future<Got> task(String id) {
    return get("/api/v1/tasks/" + id);
  }

  private static String taskId(Got submitted) {
    return submitted.json().getJsonObject("output").getString("task_id");
  }

  @Test
  @DisplayName("submit answers PENDING with a task id; polls go RUNNING then SUCCEEDED with video_url and usage")
  void lifecycle(VertxTestContext ctx) {
    Future<Got> submitted = submit(MODEL, 5);
    Future<Got> running = submitted.compose(s -> task(taskId(s)));
    Future<Got> done = running.compose(r -> task(taskId(submitted.result())));
    Future<Got> video = done.compose(d -> get(d.json().getJsonObject("output").getString("video_url")));
    check(ctx, video, file -> {
      JsonObject output = submitted.result().json().getJsonObject("output");
      assertThat(output.getString("task_status")).isEqualTo("PENDING");
      assertThat(output.getString("task_id")).matches("[0-9a-f-]{36}");
      assertThat(submitted.result().json().getString("request_id")).isNotBlank();
      assertThat(running.result().json().getJsonObject("output").getString("task_status")).isEqualTo("RUNNING");
      JsonObject finished = done.result().json();
      JsonObject result = finished.getJsonObject("output");
      assertThat(result.getString("task_status")).isEqualTo("SUCCEEDED");
      assertThat(result.getString("submit_time")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}");
      assertThat(result.getString("end_time")).isNotBlank();
      assertThat(result.getString("orig_prompt")).isEqualTo("a kitten running on grass");
      JsonObject usage = finished.getJsonObject("usage");
      assertThat(usage.getInteger("video_duration")).isEqualTo(5);
      assertThat(usage.getString("video_ratio")).isEqualTo("1280*720");
      assertThat(usage.getInteger("video_count")).isEqualTo(1);
      assertThat(file.status()).isEqualTo(200);
      assertThat(file.header("Content-Type")).isEqualTo("video/mp4");
      assertThat(FakeMediaFiles.mp4Seconds(file.body().getBytes())).isEqualTo(5);
      assertThat(fake.pollsOf(output.getString("task_id"))).isEqualTo(2);
      assertThat(fake.downloadsOf(result.getString("video_url"))).isEqualTo(1);
      RecordedRequest recorded = fake.requests().get(0);
      assertThat(recorded.protocol()).isEqualTo("dashscope");
      assertThat(recorded.model()).isEqualTo(MODEL);
      assertThat(recorded.body().getJsonObject("parameters").getBoolean("prompt_extend")).isTrue();
    });
  }

  @Test
  @DisplayName("a task scripted with a broken file succeeds as usual but its video_url serves that body")
  void brokenFile(VertxTestContext ctx) {
    String page = "<html><body>Service Unavailable</body></html>";
    fake.script(MODEL, Behavior.videoJob().endsAfterPolls(1)
        .deliversBrokenFile("text/html", page.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Future<Got> done = submit(MODEL, 5).compose(s -> task(taskId(s)));
    Future<Got> file = done.compose(d -> get(d.json().getJsonObject("output").getString("video_url")));
    check(ctx, file, served -> {
      assertThat(done.result().json().getJsonObject("output").getString("task_status")).isEqualTo("SUCCEEDED");
      assertThat(done.result().json().getJsonObject("usage").getInteger("video_duration")).isEqualTo(5);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.header("Content-Type")).isEqualTo("text/html");
      assertThat(served.body().toString()).isEqualTo(page);
    });
  }

  @Test
  @DisplayName("usage reports the delivered duration when it differs from the one asked; the file lasts as long")
  void deliveredDiffers(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.videoJob().endsAfterPolls(1).deliversSeconds(10));
    Future<Got> done = submit(MODEL, 4).compose(s -> task(taskId(s)));
    Future<Got> file = done.compose(d -> get(d.json().getJsonObject("output").getString("video_url")));
    check(ctx, file, video -> {
      assertThat(done.result().json().getJsonObject("usage").getInteger("video_duration")).isEqualTo(10);
      assertThat(FakeMediaFiles.mp4Seconds(video.body().getBytes())).isEqualTo(10);
    });
  }

  @Test
  @DisplayName("FAILED carries code and message; CANCELED; a stalled task stays RUNNING; an unknown one is UNKNOWN")
  void endings(VertxTestContext ctx) {
    fake.script("fails", Behavior.videoJob().endsAfterPolls(1).jobFails("DataInspectionFailed", "Output data may contain inappropriate content."));
    fake.script("cancels", Behavior.videoJob().endsAfterPolls(1).jobCanceled());
    fake.script("stalls", Behavior.videoJob().jobStalls());
    Future<Got> failed = submit("fails", 5).compose(s -> task(taskId(s)));
    Future<Got> canceled = submit("cancels", 5).compose(s -> task(taskId(s)));
    Future<Got> stalled = submit("stalls", 5).compose(s -> task(taskId(s)).compose(p -> task(taskId(s))));
    Future<Got> unknown = task("4d1c1b0e-0000-4000-8000-000000000000");
    check(ctx, Future.all(failed, canceled, stalled, unknown), all -> {
      JsonObject output = failed.result().json().getJsonObject("output");
      assertThat(output.getString("task_status")).isEqualTo("FAILED");
      assertThat(output.getString("code")).isEqualTo("DataInspectionFailed");
      assertThat(output.getString("message")).startsWith("Output data");
      assertThat(failed.result().json().containsKey("usage")).isFalse();
      assertThat(canceled.result().json().getJsonObject("output").getString("task_status")).isEqualTo("CANCELED");
      assertThat(stalled.result().json().getJsonObject("output").getString("task_status")).isEqualTo("RUNNING");
      assertThat(unknown.result().status()).isEqualTo(200);
      assertThat(unknown.result().json().getJsonObject("output").getString("task_status")).isEqualTo("UNKNOWN");
    });
  }

  @Test
  @DisplayName("DashScope's errors: no async header 403 AccessDenied, wrong key 401 InvalidApiKey, scripted 429 and"
      + " 500, missing prompt 400 InvalidParameter")
  void errors(VertxTestContext ctx) {
    fake.script("throttled", Behavior.error(429, "Requests rate limit exceeded, please try again later."));
    fake.script("broken", Behavior.error(500, "An internal error has occured, please try again later."));
    Future<Got> sync = submit(MODEL, 5, "X-Other", "1");
    Future<Got> throttled = submit("throttled", 5);
    Future<Got> broken = submit("broken", 5);
    Future<Got> noPrompt = postJson(SYNTHESIS, new JsonObject().put("model", MODEL).put("input", new JsonObject()),
        "X-DashScope-Async", "enable");
    check(ctx, Future.all(sync, throttled, broken, noPrompt).compose(all -> {
      fake.expectApiKey("sk-dash");
      return submit(MODEL, 5, "X-DashScope-Async", "enable", "Authorization", "Bearer sk-wrong");
    }), wrongKey -> {
      assertThat(sync.result().status()).isEqualTo(403);
      assertThat(sync.result().json().getString("code")).isEqualTo("AccessDenied");
      assertThat(throttled.result().status()).isEqualTo(429);
      assertThat(throttled.result().json().getString("code")).isEqualTo("Throttling.RateQuota");
      assertThat(broken.result().json().getString("code")).isEqualTo("InternalError");
      assertThat(broken.result().json().getString("request_id")).isNotBlank();
      assertThat(noPrompt.result().status()).isEqualTo(400);
      assertThat(noPrompt.result().json().getString("code")).isEqualTo("InvalidParameter");
      assertThat(wrongKey.status()).isEqualTo(401);
      assertThat(wrongKey.json().getString("code")).isEqualTo("InvalidApiKey");
      assertThat(fake.videoJobIds()).isEmpty();
    });
  }

  @Test
  @DisplayName("jobs live as long as the fake: a client that comes back later (a restarted gateway) polls on;"
      + " the video_url expires like a signed link")
  void outlivesClientsAndExpires(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.videoJob().endsAfterPolls(3).urlsExpireAfter(Duration.ZERO));
    Future<Got> submitted = submit(MODEL, 5);
    Future<Got> before = submitted.compose(s -> task(taskId(s)));
    Future<TestClient> fresh = before.compose(b -> client.close()).map(v -> client = new TestClient(vertx, fake));
    Future<Got> after = fresh.compose(c -> task(taskId(submitted.result())).compose(p -> task(taskId(submitted.result()))));
    Future<Got> file = after.compose(a -> get(a.json().getJsonObject("output").getString("video_url")));
    check(ctx, file, expired -> {
      assertThat(before.result().json().getJsonObject("output").getString("task_status")).isEqualTo("RUNNING");
      assertThat(after.result().json().getJsonObject("output").getString("task_status")).isEqualTo("SUCCEEDED");
      assertThat(fake.pollsOf(taskId(submitted.result()))).isEqualTo(3);
      assertThat(expired.status()).isEqualTo(403);
    });
  }
}
