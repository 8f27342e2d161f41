package gateway.router.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MediaRecordsTest {

  @Test
  @DisplayName("billable seconds: what the upstream reports delivering, never more than held; held when it reports none")
  void billableSeconds() {
    VideoJobState tenDelivered = new VideoJobState("t", VideoJobStatus.SUCCEEDED, 100, 10, "u", null);
    VideoJobState threeDelivered = new VideoJobState("t", VideoJobStatus.SUCCEEDED, 100, 3, "u", null);
    VideoJobState silent = new VideoJobState("t", VideoJobStatus.SUCCEEDED, 100, null, "u", null);
    assertThat(tenDelivered.billableSeconds(4)).isEqualTo(4);
    assertThat(threeDelivered.billableSeconds(5)).isEqualTo(3);
    assertThat(silent.billableSeconds(5)).isEqualTo(5);
  }

  @Test
  @DisplayName("terminal statuses are success, failure and cancel; UNKNOWN is not an end the job is known to have")
  void terminal() {
    assertThat(VideoJobStatus.SUCCEEDED.isTerminal()).isTrue();
    assertThat(VideoJobStatus.FAILED.isTerminal()).isTrue();
    assertThat(VideoJobStatus.CANCELED.isTerminal()).isTrue();
    assertThat(VideoJobStatus.QUEUED.isTerminal()).isFalse();
    assertThat(VideoJobStatus.RUNNING.isTerminal()).isFalse();
    assertThat(VideoJobStatus.UNKNOWN.isTerminal()).isFalse();
  }

  @Test
  @DisplayName("an image is a URL or bytes, never both or neither; a video job needs a prompt or an image and seconds")
  void invariants() {
    assertThatThrownBy(() -> new GeneratedImage(null, null, "image/png", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GeneratedImage("u", "b", "image/png", null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(GeneratedImage.ofBase64("aGk=", "image/png", null).bytes().toString()).isEqualTo("hi");
    assertThatThrownBy(() -> new VideoJobRequest("m", null, 5, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VideoJobRequest("m", "p", 0, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a multipart body has each field and file as its own part, and a hostile file name cannot add a part")
  void multipart() {
    MultipartBody form = new MultipartBody().field("prompt", "a cat 🐱")
        .file("image", new MediaInput("x\"\r\nContent-Disposition: form-data; name=\"evil", "image/png",
            Buffer.buffer(new byte[] {1, 2, 3})));
    String body = form.build().toString(StandardCharsets.UTF_8);
    String boundary = form.contentType().substring(form.contentType().indexOf("boundary=") + 9);
    assertThat(body.split("--" + boundary, -1)).hasSize(4);
    assertThat(body).contains("name=\"prompt\"\r\n\r\na cat 🐱\r\n");
    assertThat(body).contains("filename=\"x%22%0D%0AContent-Disposition: form-data; name=%22evil\"");
    assertThat(body).endsWith("--" + boundary + "--\r\n");
  }
}
