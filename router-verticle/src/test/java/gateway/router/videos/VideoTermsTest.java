package gateway.router.videos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.GatewayException;
import gateway.common.PgSettings;
import gateway.common.bus.ResolvedModel;
import gateway.common.money.MediaPrice;
import gateway.common.money.Price;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VideoTermsTest {
  private static final ResolvedModel WAN = new ResolvedModel("wan", "text2video", null, null, Price.FREE, List.of(),
      new MediaPrice(Map.of(), Map.of("480P", 3_000_000L, "720P", 6_000_000L, "1080P", 15_000_000L)),
      new JsonObject().put("available_resolutions", new JsonArray().add("720P").add("1080P"))
          .put("available_durations", new JsonArray().add(10).add(5))
          .put("available_ratios", new JsonArray().add("16:9").add("9:16")));

  private static VideoAsk reference(Integer duration, String resolution, String ratio) {
    return new VideoAsk("p", duration, "duration", resolution, ratio, null, null);
  }

  private static VideoAsk openAi(Integer seconds, String size) {
    return new VideoAsk("p", seconds, "seconds", null, null, size, null);
  }

  @Test
  @DisplayName("the hold is the resolution's price per second times the seconds sent; the charge never exceeds it")
  void holdAndCost() {
    VideoTerms terms = VideoTerms.of(WAN, reference(10, "1080P", "9:16"));
    assertThat(terms.holdMicros()).isEqualTo(150_000_000L);
    assertThat(terms.costMicros(7)).isEqualTo(105_000_000L);
    assertThat(terms.costMicros(12)).isEqualTo(150_000_000L);
    assertThat(terms.size()).isEqualTo("1080x1920");
  }

  @Test
  @DisplayName("an OpenAI size is priced by its tier; without size or seconds the cheapest resolution and shortest duration are sent")
  void openAiDefaults() {
    VideoTerms sized = VideoTerms.of(WAN, openAi(5, "1280x720"));
    assertThat(sized.resolution()).isEqualTo("720P");
    assertThat(sized.size()).isEqualTo("1280x720");
    VideoTerms bare = VideoTerms.of(WAN, openAi(null, null));
    assertThat(bare.resolution()).isEqualTo("720P");
    assertThat(bare.seconds()).isEqualTo(5);
  }

  @Test
  @DisplayName("each value outside an allow-list is refused naming its field and listing what is allowed; a priced but unlisted resolution too")
  void refusals() {
    assertRefused(reference(5, "480P", null), "resolution", "720P, 1080P");
    assertRefused(reference(6, "720P", null), "duration", "5, 10");
    assertRefused(reference(5, "720P", "1:1"), "ratio", "16:9, 9:16");
    assertRefused(reference(null, "720P", null), "duration", "5, 10");
    assertRefused(openAi(5, "huge"), "size", "WIDTHxHEIGHT");
    assertRefused(openAi(5, "832x480"), "size", "720P, 1080P");
  }

  private static void assertRefused(VideoAsk ask, String param, String listed) {
    assertThatThrownBy(() -> VideoTerms.of(WAN, ask)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.param()).isEqualTo(param);
      assertThat(e.getMessage()).contains(listed);
      assertThat(e.error().status).isEqualTo(400);
    });
  }

  @Test
  @DisplayName("polls back off by doubling up to the maximum interval")
  void backoff() {
    VideoJobsConfig config = new VideoJobsConfig(new PgSettings("postgresql://x/y", 1), 100, 1_000, 50, 10, 60, 5);
    assertThat(List.of(config.backoffMs(0), config.backoffMs(1), config.backoffMs(3), config.backoffMs(10)))
        .containsExactly(100L, 200L, 800L, 1_000L);
    assertThat(config.holdLifeSeconds()).isGreaterThan(config.jobTimeoutSeconds());
  }
}
