package gateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import gateway.common.GatewayException;
import gateway.common.bus.ResolvedModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Image and video models: every allowed option has a price, and what the router and /v1/models get of them. */
class MediaOptionsTest {

  @Test
  @DisplayName("an image model prices each image by size (and quality where given); the resolved model carries the "
      + "prices and the allow-lists, and /v1/models shows them in credits")
  void imageModel() {
    ModelDefinition model = ModelDefinition.parse("gpt-image-1", new JsonObject().put("type", "text2image")
        .put("available_sizes", new JsonArray().add("1024x1024").add("1536x1024"))
        .put("available_qualities", new JsonArray().add("low").add("high")).put("max_n", 4)
        .put("price", new JsonObject().put("per_image", new JsonObject()
            .put("1024x1024", new JsonObject().put("low", 1).put("high", "4.5"))
            .put("1536x1024", 6))));

    assertThat(model.mediaPrice().imageMicros("1024x1024", "high")).isEqualTo(4_500_000);
    assertThat(model.mediaPrice().imageMicros("1536x1024", "low")).isEqualTo(6_000_000);
    assertThat(model.mediaPrice().imageMicros("512x512", null)).isNull();
    CatalogSnapshot catalog = new CatalogSnapshot(Map.of(), Map.of("gpt-image-1", model), Map.of());
    ResolvedModel resolved = catalog.resolve("gpt-image-1", null, List.of("*"));
    assertThat(resolved.mediaPrice()).isEqualTo(model.mediaPrice());
    assertThat(resolved.options().getInteger("max_n")).isEqualTo(4);
    assertThat(resolved.options().getJsonArray("available_sizes")).containsExactly("1024x1024", "1536x1024");
    assertThat(ResolvedModel.fromJson(resolved.toJson())).isEqualTo(resolved);
    JsonObject listed = catalog.publicModels(null).getJsonArray("data").getJsonObject(0);
    assertThat(listed.getString("model_type")).isEqualTo("text2image");
    assertThat(listed.getJsonObject("pricing").getJsonObject("per_image").getJsonObject("1024x1024")
        .getValue("high").toString()).isEqualTo("4.5");
    assertThat(listed.getJsonArray("available_sizes")).hasSize(2);
  }

  @Test
  @DisplayName("a video model prices each second by resolution, and its allow-lists are checked")
  void videoModel() {
    ModelDefinition model = ModelDefinition.parse("wan", new JsonObject().put("type", "text2video")
        .put("available_resolutions", new JsonArray().add("480P").add("720P"))
        .put("available_durations", new JsonArray().add(5).add(10))
        .put("available_ratios", new JsonArray().add("16:9"))
        .put("price", new JsonObject().put("per_second", new JsonObject().put("480P", 3).put("720P", 6))));

    assertThat(model.mediaPrice().secondMicros("720P")).isEqualTo(6_000_000);
    assertThat(model.options().getJsonArray("available_durations")).containsExactly(5, 10);
  }

  @Test
  @DisplayName("an allowed option without a price, a media model without its price, and malformed allow-lists are "
      + "400s naming the field")
  void refusals() {
    assertThat(refusal(new JsonObject().put("type", "text2image")
        .put("available_sizes", new JsonArray().add("1024x1024").add("2048x2048"))
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", 4))))).contains("2048x2048");
    assertThat(refusal(new JsonObject().put("type", "text2video"))).contains("per_second");
    assertThat(refusal(new JsonObject().put("type", "text2video").put("available_durations", new JsonArray().add(0))
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1)))))
        .contains("available_durations");
    assertThat(refusal(new JsonObject().put("type", "text2image").put("max_n", 1000)
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", 4))))).contains("max_n");
    assertThat(refusal(new JsonObject().put("type", "text2image")
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", -1))))).contains("price");
    assertThat(ModelDefinition.parse("free-video", new JsonObject().put("type", "text2video").put("free", true))
        .mediaPrice().isEmpty()).isTrue();
  }

  private static String refusal(JsonObject json) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> ModelDefinition.parse("m", json));
    assertThat(e).isNotNull();
    return e.getMessage() + " " + e.param();
  }
}
