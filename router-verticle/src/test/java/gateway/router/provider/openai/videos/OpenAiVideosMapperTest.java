package gateway.router.provider.openai.videos;

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
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenAiVideosMapperTest {

  private static final Route ROUTE = WireSamples.route("openai", "https://api.openai.com/v1", "sk-channel",
      new JsonObject(), "sora-2");

  @Test
  @DisplayName("create posts JSON to /videos with the route's model and seconds as OpenAI's string, always sent")
  void createJson() {
    VideoJobRequest request = new VideoJobRequest("alias", "a paper boat", 8, "1280x720", null, null, null, null,
        new JsonObject().put("user", "u-1"));
    MediaCall call = OpenAiVideosRequest.create(request, ROUTE);
    assertThat(call.method()).isEqualTo(HttpMethod.POST);
    assertThat(call.url()).isEqualTo("https://api.openai.com/v1/videos");
    assertThat(call.headers().get("authorization")).isEqualTo("Bearer sk-channel");
    assertThat(call.body().toJsonObject()).isEqualTo(new JsonObject().put("user", "u-1").put("model", "sora-2")
        .put("prompt", "a paper boat").put("seconds", "8").put("size", "1280x720"));
  }

  @Test
  @DisplayName("with a reference image create is multipart with input_reference; retrieve and content are GETs")
  void multipartAndGets() {
    MediaInput frame = new MediaInput("first.png", "image/png", Buffer.buffer(new byte[] {1}));
    MediaCall create = OpenAiVideosRequest.create(
        new VideoJobRequest("m", "go", 4, null, null, null, null, frame, null), ROUTE);
    assertThat(create.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
    assertThat(create.body().toString(StandardCharsets.ISO_8859_1)).contains("name=\"seconds\"\r\n\r\n4\r\n",
        "name=\"input_reference\"; filename=\"first.png\"");
    MediaCall poll = OpenAiVideosRequest.retrieve(ROUTE, "video_123");
    assertThat(poll.method()).isEqualTo(HttpMethod.GET);
    assertThat(poll.url()).isEqualTo("https://api.openai.com/v1/videos/video_123");
    assertThat(poll.body()).isNull();
    MediaCall content = OpenAiVideosRequest.content(ROUTE, "video_123");
    assertThat(content.url()).isEqualTo("https://api.openai.com/v1/videos/video_123/content");
    assertThat(content.headers().get("authorization")).isEqualTo("Bearer sk-channel");
    assertThat(OpenAiVideosRequest.retrieve(ROUTE, "../../admin").url()).endsWith("/videos/..%2F..%2Fadmin");
  }

  @Test
  @DisplayName("the documented queued object is QUEUED at 0 % with no seconds billed yet")
  void queued() {
    VideoJobState state = OpenAiVideosResponse.parse(WireSamples.bytes("openai-videos/video-queued.json"), ROUTE);
    assertThat(state.upstreamJobId()).isEqualTo("video_123");
    assertThat(state.status()).isEqualTo(VideoJobStatus.QUEUED);
    assertThat(state.progress()).isZero();
    assertThat(state.seconds()).isNull();
    assertThat(state.videoUrl()).isNull();
    assertThat(state.error()).isNull();
  }

  @Test
  @DisplayName("completed is SUCCEEDED with the reported seconds and the content endpoint as its video URL")
  void completed() {
    VideoJobState state = OpenAiVideosResponse.parse(WireSamples.bytes("openai-videos/video-completed.json"), ROUTE);
    assertThat(state.status()).isEqualTo(VideoJobStatus.SUCCEEDED);
    assertThat(state.seconds()).isEqualTo(8);
    assertThat(state.progress()).isEqualTo(100);
    assertThat(state.videoUrl()).isEqualTo(
        "https://api.openai.com/v1/videos/video_68d7512d07848190b3e45da0ecbebcde004da08e1e0678d5/content");
  }

  @Test
  @DisplayName("failed is FAILED with the job's code and message, not retryable and no fault of the channel")
  void failed() {
    VideoJobState state = OpenAiVideosResponse.parse(WireSamples.bytes("openai-videos/video-failed.json"), ROUTE);
    assertThat(state.status()).isEqualTo(VideoJobStatus.FAILED);
    UpstreamError error = state.error();
    assertThat(error.code()).isEqualTo("moderation_blocked");
    assertThat(error.message()).isEqualTo("Your request was blocked by our moderation system.");
    assertThat(error.retryable()).isFalse();
    assertThat(error.countsAgainstChannel()).isFalse();
    assertThat(state.seconds()).isNull();
  }

  @Test
  @DisplayName("an unknown status is UNKNOWN, numeric seconds are read, and an answer without an id is unreadable")
  void edges() {
    VideoJobState odd = OpenAiVideosResponse.parse(Buffer.buffer("{\"id\":\"v\",\"status\":\"processing\"}"), ROUTE);
    assertThat(odd.status()).isEqualTo(VideoJobStatus.UNKNOWN);
    VideoJobState numeric = OpenAiVideosResponse.parse(
        Buffer.buffer("{\"id\":\"v\",\"status\":\"completed\",\"seconds\":10}"), ROUTE);
    assertThat(numeric.seconds()).isEqualTo(10);
    assertThat(OpenAiVideosResponse.seconds("4.2")).isEqualTo(5);
    assertThatThrownBy(() -> OpenAiVideosResponse.parse(Buffer.buffer("{\"status\":\"queued\"}"), ROUTE))
        .isInstanceOf(UnreadableAnswerException.class);
    assertThat(OpenAiVideosResponse.error(429, Buffer.buffer(
        "{\"error\":{\"message\":\"slow\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")).retryable()).isTrue();
  }
}
