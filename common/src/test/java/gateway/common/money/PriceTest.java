package gateway.common.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PriceTest {
  private static final Price GPT = Price.fromCreditsJson(new JsonObject()
      .put("input_per_mtok", 15).put("output_per_mtok", 60).put("cache_read_per_mtok", 7.5));

  @Test
  @DisplayName("each token kind is priced once at its own price, in micro-credits")
  void tokenKindsArePricedOnce() {
    assertThat(GPT.costMicros(new Usage(60, 40, 0, 20, 5))).isEqualTo(60 * 15 + 40 * 15 / 2 + 20 * 60);
  }

  @Test
  @DisplayName("fractions of a micro-credit are summed exactly and rounded up once per request")
  void fractionsRoundUpOnce() {
    Price cheap = Price.fromCreditsJson(new JsonObject().put("input_per_mtok", "0.15").put("output_per_mtok", "0.6"));
    // 3 × 0.15 + 1 × 0.6 = 1.05 µcr → 2 µcr, not 1 + 1 rounded separately
    assertThat(cheap.costMicros(new Usage(3, 0, 0, 1, 0))).isEqualTo(2);
    assertThat(cheap.costMicros(new Usage(20, 0, 0, 0, 0))).isEqualTo(3);
    assertThat(cheap.costMicros(Usage.ZERO)).isZero();
  }

  @Test
  @DisplayName("cache prices default to the input price when the catalog names none")
  void cachePricesDefaultToInput() {
    Price p = Price.fromCreditsJson(new JsonObject().put("input_per_mtok", 3).put("output_per_mtok", 15));
    assertThat(p.cacheReadPerMtok()).isEqualTo(3_000_000);
    assertThat(p.cacheWritePerMtok()).isEqualTo(3_000_000);
  }

  @Test
  @DisplayName("large token counts at high prices stay exact, and absurd ones fail loudly instead of wrapping")
  void largeValuesAreExactOrFail() {
    Price expensive = Price.fromCreditsJson(new JsonObject().put("input_per_mtok", 1_000_000).put("output_per_mtok", 0));
    assertThat(expensive.costMicros(new Usage(2_000_000_000L, 0, 0, 0, 0))).isEqualTo(2_000_000_000L * 1_000_000);
    assertThatThrownBy(() -> expensive.costMicros(new Usage(Long.MAX_VALUE / 2, 0, 0, 0, 0)))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  @DisplayName("the public form gives back the credits the catalog was written with")
  void creditsRoundTrip() {
    assertThat(GPT.toCreditsJson().getValue("cache_read_per_mtok").toString()).isEqualTo("7.5");
    assertThat(Price.fromJson(GPT.toJson())).isEqualTo(GPT);
  }
}
