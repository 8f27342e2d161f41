package gateway.testsupport.fake;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: the media files it hands out")
class FakeMediaFilesTest {

  @Test
  @DisplayName("the PNG is one a real decoder reads, of the size asked, one colour per index, and deterministic")
  void png() throws Exception {
    byte[] png = FakeMediaFiles.png(1536, 1024, 2);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(1536);
    assertThat(image.getHeight()).isEqualTo(1024);
    assertThat(image.getRGB(0, 0)).isEqualTo(image.getRGB(1535, 1023));
    assertThat(FakeMediaFiles.pngSize(png)).containsExactly(1536, 1024);
    assertThat(FakeMediaFiles.png(1536, 1024, 2)).isEqualTo(png);
    assertThat(FakeMediaFiles.png(16, 16, 0)).isNotEqualTo(FakeMediaFiles.png(16, 16, 1));
    assertThat(FakeMediaFiles.pngSize(new byte[30])).isNull();
  }

  @Test
  @DisplayName("the MP4 starts with an ftyp box and its moov/mvhd declares the seconds it lasts")
  void mp4() {
    byte[] mp4 = FakeMediaFiles.mp4(10);
    assertThat(new String(mp4, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    assertThat(FakeMediaFiles.mp4Seconds(mp4)).isEqualTo(10);
    assertThat(FakeMediaFiles.mp4Seconds(FakeMediaFiles.mp4(4))).isEqualTo(4);
    assertThat(FakeMediaFiles.mp4Seconds(new byte[] {0, 0, 0, 1})).isEqualTo(-1);
  }
}
