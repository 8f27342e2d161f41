package gateway.router.videos;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.testsupport.fake.FakeMediaFiles;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Mp4CheckTest {

  /** Emits its chunks synchronously once a handler and an end handler are set and it is resumed. */
  private static final class Chunks implements ReadStream<Buffer> {
    private final List<Buffer> chunks;
    private Handler<Buffer> handler;
    private Handler<Void> end;

    Chunks(byte[] bytes, int... cuts) {
      chunks = new ArrayList<>();
      int from = 0;
      for (int cut : cuts) {
        chunks.add(Buffer.buffer(Arrays.copyOfRange(bytes, from, cut)));
        from = cut;
      }
      chunks.add(Buffer.buffer(Arrays.copyOfRange(bytes, from, bytes.length)));
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      this.end = endHandler;
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      chunks.stream().filter(c -> c.length() > 0).forEach(handler::handle);
      end.handle(null);
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }
  }

  private static String check(byte[] bytes, int... cuts) {
    Buffer passed = Buffer.buffer();
    Mp4Check check = new Mp4Check(new Chunks(bytes, cuts));
    boolean[] ended = new boolean[1];
    check.handler(passed::appendBuffer).endHandler(v -> ended[0] = true);
    check.resume();
    assertThat(ended[0]).isTrue();
    assertThat(passed.getBytes()).isEqualTo(bytes);
    return check.problem();
  }

  @Test
  @DisplayName("an MP4 passes unchanged and is taken for one, even when its ftyp arrives split over chunks")
  void mp4() {
    byte[] mp4 = FakeMediaFiles.mp4(5);
    assertThat(check(mp4)).isNull();
    assertThat(check(mp4, 1, 3, 6)).isNull();
  }

  @Test
  @DisplayName("an empty body, an HTML page, a few bytes and ftyp in the wrong place are no MP4")
  void notMp4() {
    assertThat(check(new byte[0])).contains("empty");
    assertThat(check("<html><body>Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8)))
        .contains("not an MP4");
    assertThat(check(new byte[] {0, 0, 0, 8, 'f', 't'})).contains("6 bytes").contains("not an MP4");
    assertThat(check("ftypisom-and-more".getBytes(StandardCharsets.US_ASCII))).contains("not an MP4");
  }
}
