package gateway.router.videos;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.media.MediaCall;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MediaHttpRedirectTest {

  private static final MediaCall DOWNLOAD = MediaCall.get(
      "https://generativelanguage.googleapis.com/v1beta/files/abc:download?alt=media",
      MultiMap.caseInsensitiveMultiMap().add("accept", "video/mp4").add("x-goog-api-key", "AIza-channel")
          .add("authorization", "Bearer sk-channel"));

  @Test
  @DisplayName("a redirect to another host keeps only accept: the channel's key never leaves its own host")
  void otherOriginDropsCredentials() {
    MediaCall next = MediaHttp.redirected(DOWNLOAD, "https://storage.googleapis.com/bucket/v.mp4?X-Goog-Signature=s");
    assertThat(next.url()).isEqualTo("https://storage.googleapis.com/bucket/v.mp4?X-Goog-Signature=s");
    assertThat(next.headers().names()).containsExactly("accept");
    assertThat(next.body()).isNull();
  }

  @Test
  @DisplayName("a relative redirect stays on the same host and keeps the call's headers")
  void sameOriginKeepsHeaders() {
    MediaCall next = MediaHttp.redirected(DOWNLOAD, "/v1beta/files/abc:download?alt=media&hop=2");
    assertThat(next.url()).isEqualTo("https://generativelanguage.googleapis.com/v1beta/files/abc:download?alt=media&hop=2");
    assertThat(next.headers().get("x-goog-api-key")).isEqualTo("AIza-channel");
    MediaCall otherPort = MediaHttp.redirected(DOWNLOAD, "https://generativelanguage.googleapis.com:8443/v.mp4");
    assertThat(otherPort.headers().get("x-goog-api-key")).isNull();
  }
}
