package gateway.router.provider.gemini.videos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.bus.Route;
import gateway.router.media.MediaCall;
import gateway.router.media.MediaInput;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobRequest;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeminiVideoMapperTest {

  private static final String BASE = "https://generativelanguage.googleapis.com/v1beta";
  private static final Route ROUTE = WireSamples.route("gemini", BASE, "AIza-channel", new JsonObject(),
      "veo-3.1-generate-preview");

  private static VideoJobRequest request(int seconds, String size, String resolution, String ratio, JsonObject extra) {
    return new VideoJobRequest("alias", "a lighthouse in a storm", seconds, size, resolution, ratio, null, null, extra);
  }

  @Test
  @DisplayName("create posts predictLongRunning with the key in x-goog-api-key, the prompt as the instance, and our"
      + " seconds, tier and ratio as durationSeconds, resolution and aspectRatio; client extras renamed or merged")
  void create() {
    JsonObject extra = new JsonObject().put("negative_prompt", "cartoon")
        .put("parameters", new JsonObject().put("personGeneration", "allow_all").put("durationSeconds", 99)
            .put("numberOfVideos", 4));
    MediaCall call = GeminiVideoRequest.create(request(8, "1920x1080", "1080P", "16:9", extra), ROUTE);
    assertThat(call.method()).isEqualTo(HttpMethod.POST);
    assertThat(call.url()).isEqualTo(BASE + "/models/veo-3.1-generate-preview:predictLongRunning");
    assertThat(call.headers().get("x-goog-api-key")).isEqualTo("AIza-channel");
    assertThat(call.headers().get("authorization")).isNull();
    assertThat(call.url()).doesNotContain("AIza");
    assertThat(call.body().toJsonObject()).isEqualTo(new JsonObject()
        .put("instances", new JsonArray().add(new JsonObject().put("prompt", "a lighthouse in a storm")))
        .put("parameters", new JsonObject().put("personGeneration", "allow_all").put("negativePrompt", "cartoon")
            .put("durationSeconds", 8).put("resolution", "1080p").put("aspectRatio", "16:9")));
  }

  @Test
  @DisplayName("an OpenAI size gives the tier by its short side and the ratio by its orientation; an upload goes"
      + " inline as bytesBase64Encoded")
  void sizeAndImage() {
    JsonObject portrait = GeminiVideoRequest.create(request(4, "720x1280", "720x1280", null, null), ROUTE).body()
        .toJsonObject().getJsonObject("parameters");
    assertThat(portrait).isEqualTo(new JsonObject().put("durationSeconds", 4).put("resolution", "720p")
        .put("aspectRatio", "9:16"));
    MediaInput frame = new MediaInput("first.png", "image/png", Buffer.buffer(new byte[] {1, 2, 3}));
    JsonObject instance = GeminiVideoRequest.create(new VideoJobRequest("m", "go", 6, null, "720P", "16:9", null,
        frame, null), ROUTE).body().toJsonObject().getJsonArray("instances").getJsonObject(0);
    assertThat(instance.getJsonObject("image")).isEqualTo(new JsonObject().put("bytesBase64Encoded", "AQID")
        .put("mimeType", "image/png"));
  }

  @Test
  @DisplayName("a poll is GET {base}/{operation name}; a name that is no operation's never reaches the path")
  void poll() {
    MediaCall poll = GeminiVideoRequest.poll(ROUTE, "models/veo-3.1-generate-preview/operations/ld6i6vp968tt");
    assertThat(poll.method()).isEqualTo(HttpMethod.GET);
    assertThat(poll.url()).isEqualTo(BASE + "/models/veo-3.1-generate-preview/operations/ld6i6vp968tt");
    assertThat(poll.headers().get("x-goog-api-key")).isEqualTo("AIza-channel");
    assertThat(poll.body()).isNull();
    assertThat(GeminiVideoRequest.poll(ROUTE, "../../admin/keys").url())
        .isEqualTo(BASE + "/operations/..%2F..%2Fadmin%2Fkeys");
  }

  @Test
  @DisplayName("the create answer is QUEUED and a poll not done RUNNING, with the operation's name as the job id")
  void createdAndRunning() {
    VideoJobState created = GeminiVideoResponse.created(WireSamples.bytes("gemini-veo/create-operation.json"));
    assertThat(created.upstreamJobId()).isEqualTo("models/veo-3.1-generate-preview/operations/ld6i6vp968tt");
    assertThat(created.status()).isEqualTo(VideoJobStatus.QUEUED);
    VideoJobState running = GeminiVideoResponse.parse(WireSamples.bytes("gemini-veo/operation-running.json"));
    assertThat(running.status()).isEqualTo(VideoJobStatus.RUNNING);
    assertThat(running.progress()).isNull();
    assertThat(running.videoUrl()).isNull();
    assertThat(GeminiVideoResponse.parse(WireSamples.bytes("gemini-veo/create-operation.json")).status())
        .isEqualTo(VideoJobStatus.RUNNING);
  }

  @Test
  @DisplayName("done is SUCCEEDED with the sample's uri and no reported length, so the seconds sent are charged;"
      + " the download carries the key to Google's host only")
  void done() {
    VideoJobState done = GeminiVideoResponse.parse(WireSamples.bytes("gemini-veo/operation-done.json"));
    assertThat(done.status()).isEqualTo(VideoJobStatus.SUCCEEDED);
    assertThat(done.videoUrl()).isEqualTo(BASE + "/files/zsmxt6ue9jk1:download?alt=media");
    assertThat(done.seconds()).isNull();
    assertThat(done.billableSeconds(8)).isEqualTo(8);
    MediaCall download = GeminiVideoRequest.download(ROUTE, done.videoUrl());
    assertThat(download.url()).isEqualTo(done.videoUrl());
    assertThat(download.headers().get("x-goog-api-key")).isEqualTo("AIza-channel");
    assertThat(GeminiVideoRequest.download(ROUTE, "https://elsewhere.example/v.mp4").headers()
        .get("x-goog-api-key")).isNull();
  }

  @Test
  @DisplayName("an error is FAILED with the gRPC code's name, CANCELLED is CANCELED, a filtered or empty answer"
      + " FAILED; none retryable nor the channel's fault")
  void failures() {
    VideoJobState failed = GeminiVideoResponse.parse(WireSamples.bytes("gemini-veo/operation-failed.json"));
    assertThat(failed.status()).isEqualTo(VideoJobStatus.FAILED);
    UpstreamError error = failed.error();
    assertThat(error.code()).isEqualTo("INTERNAL");
    assertThat(error.message()).startsWith("Video generation failed");
    assertThat(error.retryable()).isFalse();
    assertThat(error.countsAgainstChannel()).isFalse();
    VideoJobState filtered = GeminiVideoResponse.parse(WireSamples.bytes("gemini-veo/operation-filtered.json"));
    assertThat(filtered.status()).isEqualTo(VideoJobStatus.FAILED);
    assertThat(filtered.error().code()).isEqualTo("raiMediaFiltered");
    assertThat(filtered.error().message()).contains("person generation");
    VideoJobState canceled = GeminiVideoResponse.parse(Buffer.buffer(
        "{\"name\":\"operations/x\",\"done\":true,\"error\":{\"code\":1,\"message\":\"cancelled\"}}"));
    assertThat(canceled.status()).isEqualTo(VideoJobStatus.CANCELED);
    VideoJobState empty = GeminiVideoResponse.parse(Buffer.buffer(
        "{\"name\":\"operations/x\",\"done\":true,\"response\":{\"generateVideoResponse\":{}}}"));
    assertThat(empty.status()).isEqualTo(VideoJobStatus.FAILED);
    assertThat(empty.error().code()).isEqualTo("NoGeneratedSamples");
  }

  @Test
  @DisplayName("an answer without a usable name is unreadable; a wrong key is the channel's, a bad argument the"
      + " request's, 429 retryable")
  void edgesAndErrors() {
    assertThatThrownBy(() -> GeminiVideoResponse.parse(Buffer.buffer("{\"done\":false}")))
        .isInstanceOf(UnreadableAnswerException.class);
    assertThatThrownBy(() -> GeminiVideoResponse.parse(Buffer.buffer("{\"name\":\"../../secrets\"}")))
        .isInstanceOf(UnreadableAnswerException.class);
    UpstreamError key = GeminiVideoResponse.error(400, WireSamples.bytes("gemini/error-api-key-invalid.json"));
    assertThat(key.countsAgainstChannel()).isTrue();
    assertThat(key.isClientError()).isFalse();
    UpstreamError argument = GeminiVideoResponse.error(400, Buffer.buffer(
        "{\"error\":{\"code\":400,\"message\":\"bad resolution\",\"status\":\"INVALID_ARGUMENT\"}}"));
    assertThat(argument.isClientError()).isTrue();
    assertThat(argument.countsAgainstChannel()).isFalse();
    assertThat(GeminiVideoResponse.error(429, Buffer.buffer(
        "{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}")).retryable()).isTrue();
  }
}
