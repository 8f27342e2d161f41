package gateway.router.provider.dashscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.bus.Route;
import gateway.router.media.MediaCall;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobRequest;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DashScopeMapperTest {

  private static final Route ROUTE = WireSamples.route("dashscope", "https://dashscope.aliyuncs.com/api/v1",
      "sk-dash", new JsonObject(), "wan2.5-t2v-preview");

  @Test
  @DisplayName("create posts to video-synthesis with the async header, Bearer key, input and parameters; the held"
      + " duration is always sent and the client's extra input and parameters are merged in")
  void create() {
    JsonObject extra = new JsonObject()
        .put("input", new JsonObject().put("negative_prompt", "blurry").put("prompt", "ignored"))
        .put("parameters", new JsonObject().put("prompt_extend", true).put("duration", 99));
    VideoJobRequest request = new VideoJobRequest("alias", "a kitten in moonlight", 5, null, "720P", "16:9",
        "https://example.com/first.png", null, extra);
    MediaCall call = DashScopeVideoRequest.create(request, ROUTE);
    assertThat(call.method()).isEqualTo(HttpMethod.POST);
    assertThat(call.url()).isEqualTo(
        "https://dashscope.aliyuncs.com/api/v1/services/aigc/video-generation/video-synthesis");
    assertThat(call.headers().get("X-DashScope-Async")).isEqualTo("enable");
    assertThat(call.headers().get("authorization")).isEqualTo("Bearer sk-dash");
    assertThat(call.body().toJsonObject()).isEqualTo(new JsonObject()
        .put("model", "wan2.5-t2v-preview")
        .put("input", new JsonObject().put("negative_prompt", "blurry").put("prompt", "a kitten in moonlight")
            .put("img_url", "https://example.com/first.png"))
        .put("parameters", new JsonObject().put("prompt_extend", true).put("duration", 5).put("resolution", "720P")
            .put("ratio", "16:9")));
  }

  @Test
  @DisplayName("an OpenAI-style size becomes DashScope's W*H size; a poll is GET /tasks/{id}")
  void sizeAndPoll() {
    JsonObject parameters = DashScopeVideoRequest.create(
        new VideoJobRequest("m", "p", 5, "1280x720", null, null, null, null, null), ROUTE).body().toJsonObject()
        .getJsonObject("parameters");
    assertThat(parameters.getString("size")).isEqualTo("1280*720");
    assertThat(parameters.containsKey("resolution")).isFalse();
    MediaCall poll = DashScopeVideoRequest.poll(ROUTE, "86ecf553-d340-4e21-af6e-a0c6a421c010");
    assertThat(poll.method()).isEqualTo(HttpMethod.GET);
    assertThat(poll.url()).isEqualTo("https://dashscope.aliyuncs.com/api/v1/tasks/86ecf553-d340-4e21-af6e-a0c6a421c010");
    assertThat(poll.headers().get("authorization")).isEqualTo("Bearer sk-dash");
  }

  @Test
  @DisplayName("the create answer and a running poll: QUEUED then RUNNING, nothing to bill")
  void pendingAndRunning() {
    VideoJobState created = DashScopeVideoResponse.parse(WireSamples.bytes("dashscope/create-task.json"));
    assertThat(created.upstreamJobId()).isEqualTo("0385dc79-5ff8-4d82-bcb6-xxxxxx");
    assertThat(created.status()).isEqualTo(VideoJobStatus.QUEUED);
    VideoJobState running = DashScopeVideoResponse.parse(WireSamples.bytes("dashscope/task-running.json"));
    assertThat(running.status()).isEqualTo(VideoJobStatus.RUNNING);
    assertThat(running.seconds()).isNull();
    assertThat(running.videoUrl()).isNull();
  }

  @Test
  @DisplayName("SUCCEEDED gives the video_url and the delivered seconds, from video_duration or the newer fields")
  void succeeded() {
    VideoJobState done = DashScopeVideoResponse.parse(WireSamples.bytes("dashscope/task-succeeded.json"));
    assertThat(done.status()).isEqualTo(VideoJobStatus.SUCCEEDED);
    assertThat(done.videoUrl()).startsWith("https://dashscope-result-sh.oss-cn-shanghai.aliyuncs.com/");
    assertThat(done.seconds()).isEqualTo(10);
    assertThat(done.billableSeconds(5)).isEqualTo(5);
    VideoJobState newer = DashScopeVideoResponse.parse(WireSamples.bytes("dashscope/task-succeeded-new-usage.json"));
    assertThat(newer.seconds()).isEqualTo(5);
  }

  @Test
  @DisplayName("FAILED carries output.code and message; UNKNOWN stays unknown; SUCCEEDED without a video_url is FAILED")
  void failedUnknownAndHollow() {
    VideoJobState failed = DashScopeVideoResponse.parse(WireSamples.bytes("dashscope/task-failed.json"));
    assertThat(failed.status()).isEqualTo(VideoJobStatus.FAILED);
    assertThat(failed.error().code()).isEqualTo("InvalidParameter");
    assertThat(failed.error().message()).isEqualTo("The size is not match xxxxxx");
    assertThat(failed.error().retryable()).isFalse();
    assertThat(DashScopeVideoResponse.parse(WireSamples.bytes("dashscope/task-unknown.json")).status())
        .isEqualTo(VideoJobStatus.UNKNOWN);
    VideoJobState hollow = DashScopeVideoResponse.parse(Buffer.buffer(
        "{\"output\":{\"task_id\":\"t\",\"task_status\":\"SUCCEEDED\"},\"usage\":{\"video_duration\":5}}"));
    assertThat(hollow.status()).isEqualTo(VideoJobStatus.FAILED);
    assertThat(hollow.videoUrl()).isNull();
    assertThat(DashScopeVideoResponse.parse(Buffer.buffer(
        "{\"output\":{\"task_id\":\"t\",\"task_status\":\"CANCELED\"}}")).status()).isEqualTo(VideoJobStatus.CANCELED);
    assertThatThrownBy(() -> DashScopeVideoResponse.parse(Buffer.buffer("{\"code\":\"x\"}")))
        .isInstanceOf(UnreadableAnswerException.class);
  }

  @Test
  @DisplayName("errors: a wrong key and a refused async call are the channel's; throttling and 5xx retry; bad"
      + " parameters and content inspection are the client's")
  void errors() {
    UpstreamError key = DashScopeVideoResponse.error(401, WireSamples.bytes("dashscope/error-invalid-api-key.json"));
    assertThat(key.status()).isEqualTo(401);
    assertThat(key.code()).isEqualTo("InvalidApiKey");
    assertThat(key.countsAgainstChannel()).isTrue();
    UpstreamError sync = DashScopeVideoResponse.error(403, WireSamples.bytes("dashscope/error-async-required.json"));
    assertThat(sync.countsAgainstChannel()).isTrue();
    assertThat(sync.isClientError()).isFalse();
    UpstreamError throttled = DashScopeErrors.read(429, Buffer.buffer(
        "{\"code\":\"Throttling.RateQuota\",\"message\":\"Requests rate limit exceeded\",\"request_id\":\"r\"}"));
    assertThat(throttled.retryable()).isTrue();
    assertThat(DashScopeErrors.read(500, Buffer.buffer("{\"code\":\"InternalError\",\"message\":\"x\"}")).retryable())
        .isTrue();
    UpstreamError invalid = DashScopeErrors.read(400, Buffer.buffer(
        "{\"code\":\"InvalidParameter\",\"message\":\"duration must be 5 or 10\"}"));
    assertThat(invalid.isClientError()).isTrue();
    assertThat(invalid.message()).isEqualTo("duration must be 5 or 10");
    assertThat(DashScopeErrors.read(400, Buffer.buffer(
        "{\"code\":\"DataInspectionFailed\",\"message\":\"Input data may contain inappropriate content.\"}"))
        .isClientError()).isTrue();
    assertThat(DashScopeErrors.read(502, Buffer.buffer("<html>bad gateway</html>")).retryable()).isTrue();
  }
}
