package gateway.router.provider.gemini.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.bus.Route;
import gateway.router.media.ImageRequest;
import gateway.router.media.ImageResult;
import gateway.router.media.MediaCall;
import gateway.router.media.MediaInput;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GeminiImageMapperTest {

  private static final Route ROUTE = WireSamples.route("gemini", "https://generativelanguage.googleapis.com/v1beta",
      "AIza-channel", new JsonObject(), "gemini-2.5-flash-image");

  @Test
  @DisplayName("a request is generateContent on the route's model with responseModalities IMAGE, the key as"
      + " x-goog-api-key, and the size as the nearest supported aspect ratio")
  void request() {
    ImageRequest request = ImageRequest.generation("alias", "a nano banana dish", 1, "1536x1024", "high", "url",
        null, new JsonObject().put("imageConfig", new JsonObject().put("imageSize", "2K")).put("moderation", "low"));
    MediaCall call = GeminiImageRequest.generateContent(request, ROUTE);
    assertThat(call.url()).isEqualTo(
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-image:generateContent");
    assertThat(call.headers().get("x-goog-api-key")).isEqualTo("AIza-channel");
    JsonObject body = call.body().toJsonObject();
    assertThat(body.getJsonArray("contents")).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user")
        .put("parts", new JsonArray().add(new JsonObject().put("text", "a nano banana dish")))));
    JsonObject config = body.getJsonObject("generationConfig");
    assertThat(config.getJsonArray("responseModalities")).containsExactly("IMAGE");
    assertThat(config.getJsonObject("imageConfig"))
        .isEqualTo(new JsonObject().put("imageSize", "2K").put("aspectRatio", "3:2"));
    assertThat(body.containsKey("moderation")).isFalse();
    assertThat(GeminiImageRequest.callsFor(request)).isEqualTo(1);
  }

  @Test
  @DisplayName("sizes map to Gemini's ratios; auto or none sends no ratio; images to edit go as inlineData parts")
  void ratiosAndEdits() {
    assertThat(GeminiImageRequest.aspectRatio("1024x1024")).isEqualTo("1:1");
    assertThat(GeminiImageRequest.aspectRatio("1024x1536")).isEqualTo("2:3");
    assertThat(GeminiImageRequest.aspectRatio("1792x1024")).isEqualTo("16:9");
    assertThat(GeminiImageRequest.aspectRatio("2560x1080")).isEqualTo("21:9");
    assertThat(GeminiImageRequest.aspectRatio("auto")).isNull();
    assertThat(GeminiImageRequest.aspectRatio(null)).isNull();
    MediaInput cat = new MediaInput("cat.png", "image/png", Buffer.buffer(new byte[] {9, 8, 7}));
    ImageRequest edit = new ImageRequest("m", "add a hat", 3, null, null, null, null, null, List.of(cat), null);
    JsonObject body = GeminiImageRequest.generateContent(edit, ROUTE).body().toJsonObject();
    JsonObject inline = body.getJsonArray("contents").getJsonObject(0).getJsonArray("parts").getJsonObject(1)
        .getJsonObject("inlineData");
    assertThat(inline.getString("mimeType")).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(inline.getString("data"))).containsExactly(9, 8, 7);
    assertThat(body.getJsonObject("generationConfig").containsKey("imageConfig")).isFalse();
    assertThat(GeminiImageRequest.callsFor(edit)).isEqualTo(3);
  }

  @Test
  @DisplayName("the documented answer: the inlineData part is the image with its mimeType, text dropped, usage read")
  void answer() {
    ImageResult result = GeminiImageResponse.parse(WireSamples.bytes("gemini-images/generate-image.json"));
    assertThat(result.images()).hasSize(1);
    assertThat(result.images().get(0).mimeType()).isEqualTo("image/png");
    assertThat(result.images().get(0).bytes().getBytes(1, 4)).isEqualTo("PNG".getBytes());
    assertThat(result.usage().inputTokens()).isEqualTo(13);
    assertThat(result.usage().outputTokens()).isEqualTo(1290);
    assertThat(result.refusal()).isNull();
  }

  @Test
  @DisplayName("a safety stop or a blocked prompt is an empty result naming the reason; snake_case inline_data is read")
  void refusalsAndSnakeCase() {
    ImageResult safety = GeminiImageResponse.parse(WireSamples.bytes("gemini-images/generate-image-safety.json"));
    assertThat(safety.isEmpty()).isTrue();
    assertThat(safety.refusal()).isEqualTo("IMAGE_SAFETY");
    ImageResult blocked = GeminiImageResponse.parse(Buffer.buffer(
        "{\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"}}"));
    assertThat(blocked.isEmpty()).isTrue();
    assertThat(blocked.refusal()).isEqualTo("PROHIBITED_CONTENT");
    ImageResult snake = GeminiImageResponse.parse(Buffer.buffer("{\"candidates\":[{\"content\":{\"parts\":"
        + "[{\"inline_data\":{\"mime_type\":\"image/jpeg\",\"data\":\"aGk=\"}}]},\"finishReason\":\"STOP\"}]}"));
    assertThat(snake.images()).singleElement().satisfies(i -> assertThat(i.mimeType()).isEqualTo("image/jpeg"));
    assertThatThrownBy(() -> GeminiImageResponse.parse(Buffer.buffer("not json")))
        .isInstanceOf(UnreadableAnswerException.class);
  }

  @Test
  @DisplayName("errors read as the chat adapter reads them: a wrong key is the channel's 401, a 400 the client's")
  void errors() {
    UpstreamError wrongKey = GeminiImageResponse.error(400, WireSamples.bytes("gemini/error-api-key-invalid.json"));
    assertThat(wrongKey.status()).isEqualTo(401);
    assertThat(wrongKey.countsAgainstChannel()).isTrue();
    UpstreamError invalid = GeminiImageResponse.error(400, Buffer.buffer(
        "{\"error\":{\"code\":400,\"message\":\"bad\",\"status\":\"INVALID_ARGUMENT\"}}"));
    assertThat(invalid.isClientError()).isTrue();
  }
}
