package gateway.router.inbound.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.GatewayException;
import gateway.common.bus.ResolvedModel;
import gateway.common.money.MediaPrice;
import gateway.common.money.Price;
import gateway.router.exchange.ImageOrder;
import gateway.router.media.ImageRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImageOptionsTest {
  private static final ResolvedModel BY_SIZE = model(Map.of("1024x1024", 4_000_000L, "1536x1024", 6_000_000L),
      new JsonObject().put("max_n", 3));
  private static final ResolvedModel BY_QUALITY = model(Map.of("1024x1024/low", 1_000_000L,
      "1024x1024/high", 5_000_000L), new JsonObject());

  @Test
  @DisplayName("without allow-lists, the priced sizes are allowed; no size: the first of them is filled in and priced")
  void pricedSizesAndDefault() {
    ImageOrder order = ImageOptions.fit(request(null, null, null), BY_SIZE);
    assertThat(order.request().size()).isEqualTo("1024x1024");
    assertThat(order.unitMicros()).isEqualTo(4_000_000L);
    assertThat(ImageOptions.fit(request("1536x1024", "hd", 2), BY_SIZE).unitMicros()).isEqualTo(6_000_000L);
  }

  @Test
  @DisplayName("a size, a quality or an n outside the lists: a 400 naming the field and listing what is allowed")
  void outsideTheLists() {
    assertThatThrownBy(() -> ImageOptions.fit(request("256x256", null, null), BY_SIZE))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.param()).isEqualTo("size");
          assertThat(e.getMessage()).contains("1024x1024, 1536x1024");
        });
    assertThatThrownBy(() -> ImageOptions.fit(request(null, null, 4), BY_SIZE))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.param()).isEqualTo("n"));
    assertThatThrownBy(() -> ImageOptions.fit(request(null, "medium", null), BY_QUALITY))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.param()).isEqualTo("quality");
          assertThat(e.getMessage()).contains("high, low");
        });
  }

  @Test
  @DisplayName("priced by quality: the quality asked is its price; none asked: the first allowed is sent and priced")
  void byQuality() {
    assertThat(ImageOptions.fit(request(null, "high", null), BY_QUALITY).unitMicros()).isEqualTo(5_000_000L);
    ImageOrder fallback = ImageOptions.fit(request(null, null, null), BY_QUALITY);
    assertThat(fallback.request().quality()).isEqualTo("high");
    assertThat(fallback.unitMicros()).isEqualTo(5_000_000L);
  }

  @Test
  @DisplayName("response_format is the gateway's: never sent upstream")
  void responseFormatStaysHere() {
    ImageRequest asked = new ImageRequest("m", "p", null, null, null, "b64_json", "webp", null, List.of(), null);
    ImageOrder order = ImageOptions.fit(asked, BY_SIZE);
    assertThat(order.request().responseFormat()).isNull();
    assertThat(order.request().outputFormat()).isEqualTo("webp");
  }

  private static ImageRequest request(String size, String quality, Integer n) {
    return new ImageRequest("m", "a prompt", n, size, quality, null, null, null, List.of(), null);
  }

  private static ResolvedModel model(Map<String, Long> perImage, JsonObject options) {
    return new ResolvedModel("painter", "text2image", null, null, Price.fromJson(null), List.of(),
        new MediaPrice(perImage, Map.of()), options);
  }
}
