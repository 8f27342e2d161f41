package gateway.router.provider.openai.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.bus.Route;
import gateway.router.media.GeneratedImage;
import gateway.router.media.ImageRequest;
import gateway.router.media.ImageResult;
import gateway.router.media.MediaCall;
import gateway.router.media.MediaInput;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.WireSamples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OpenAiImagesMapperTest {

  private static final Route ROUTE = WireSamples.route("openai", "https://api.openai.com/v1/", "sk-channel",
      new JsonObject(), "gpt-image-1");

  private static ImageRequest request() {
    return ImageRequest.generation("client-alias", "a red fox", 2, "1536x1024", "high", "b64_json", "webp",
        new JsonObject().put("moderation", "low").put("background", "transparent").put("n", 99));
  }

  @Test
  @DisplayName("a generation posts JSON to /images/generations: the route's model, the named fields, unknown fields"
      + " passed on, the channel key as Bearer")
  void generation() {
    MediaCall call = OpenAiImagesRequest.generation(request(), ROUTE);
    assertThat(call.method()).isEqualTo(HttpMethod.POST);
    assertThat(call.url()).isEqualTo("https://api.openai.com/v1/images/generations");
    assertThat(call.headers().get("authorization")).isEqualTo("Bearer sk-channel");
    JsonObject body = call.body().toJsonObject();
    assertThat(body).isEqualTo(new JsonObject().put("moderation", "low").put("background", "transparent")
        .put("n", 2).put("model", "gpt-image-1").put("prompt", "a red fox").put("size", "1536x1024")
        .put("quality", "high").put("response_format", "b64_json").put("output_format", "webp"));
  }

  @Test
  @DisplayName("unset options are not sent, so the upstream's own defaults apply")
  void unsetOmitted() {
    ImageRequest bare = ImageRequest.generation("m", "a fox", null, null, null, null, null, null);
    assertThat(OpenAiImagesRequest.generation(bare, ROUTE).body().toJsonObject().fieldNames())
        .containsExactlyInAnyOrder("model", "prompt");
  }

  @Test
  @DisplayName("an edit is multipart: image[] for several images, the mask, every field as a form field")
  void edit() {
    MediaInput cat = new MediaInput("cat.png", "image/png", Buffer.buffer(new byte[] {1, 2}));
    MediaInput dog = new MediaInput("dog.png", "image/png", Buffer.buffer(new byte[] {3}));
    MediaInput mask = new MediaInput("mask.png", "image/png", Buffer.buffer(new byte[] {4}));
    ImageRequest edit = new ImageRequest("m", "add hats", 1, "1024x1024", null, null, null,
        new JsonObject().put("input_fidelity", "high"), List.of(cat, dog), mask);
    MediaCall call = OpenAiImagesRequest.edit(edit, ROUTE);
    assertThat(call.url()).isEqualTo("https://api.openai.com/v1/images/edits");
    assertThat(call.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
    String body = call.body().toString(StandardCharsets.ISO_8859_1);
    assertThat(body).contains("name=\"prompt\"\r\n\r\nadd hats\r\n", "name=\"model\"\r\n\r\ngpt-image-1\r\n",
        "name=\"input_fidelity\"\r\n\r\nhigh\r\n", "name=\"n\"\r\n\r\n1\r\n",
        "name=\"image[]\"; filename=\"cat.png\"", "name=\"image[]\"; filename=\"dog.png\"",
        "name=\"mask\"; filename=\"mask.png\"");
    ImageRequest single = new ImageRequest("m", "add a hat", null, null, null, null, null, null, List.of(cat), null);
    assertThat(OpenAiImagesRequest.edit(single, ROUTE).body().toString(StandardCharsets.ISO_8859_1))
        .contains("name=\"image\"; filename=\"cat.png\"").doesNotContain("image[]");
    assertThatThrownBy(() -> OpenAiImagesRequest.edit(request(), ROUTE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the documented gpt-image-1 answer: one base64 PNG and its token usage")
  void gptImageAnswer() {
    ImageResult result = OpenAiImagesResponse.parse(WireSamples.bytes("openai-images/generation-gpt-image-1.json"));
    assertThat(result.images()).hasSize(1);
    GeneratedImage image = result.images().get(0);
    assertThat(image.hasBytes()).isTrue();
    assertThat(image.mimeType()).isEqualTo("image/png");
    assertThat(image.bytes().getBytes(1, 4)).isEqualTo("PNG".getBytes(StandardCharsets.US_ASCII));
    assertThat(result.usage().inputTokens()).isEqualTo(50);
    assertThat(result.usage().outputTokens()).isEqualTo(50);
    assertThat(result.refusal()).isNull();
  }

  @Test
  @DisplayName("a URL answer keeps the URL and revised prompt and leaves the type to the download; output_format names it")
  void urlAndFormats() {
    ImageResult urls = OpenAiImagesResponse.parse(WireSamples.bytes("openai-images/generation-dall-e-3-url.json"));
    assertThat(urls.images()).extracting(GeneratedImage::url).singleElement().asString()
        .startsWith("https://oaidalleapiprodscus.blob.core.windows.net/");
    assertThat(urls.images().get(0).mimeType()).isNull();
    assertThat(urls.images().get(0).revisedPrompt()).startsWith("A cute baby sea otter");
    assertThat(urls.usage()).isNull();
    ImageResult webp = OpenAiImagesResponse.parse(WireSamples.bytes("openai-images/generation-webp-two.json"));
    assertThat(webp.images()).hasSize(2).allSatisfy(i -> assertThat(i.mimeType()).isEqualTo("image/webp"));
    assertThat(webp.usage().outputTokens()).isEqualTo(12480);
  }

  @Test
  @DisplayName("an empty data array is an empty result; a body without data is unreadable, never an empty success")
  void emptyAndUnreadable() {
    assertThat(OpenAiImagesResponse.parse(Buffer.buffer("{\"created\":1,\"data\":[]}")).isEmpty()).isTrue();
    assertThatThrownBy(() -> OpenAiImagesResponse.parse(Buffer.buffer("<html>oops</html>")))
        .isInstanceOf(UnreadableAnswerException.class)
        .satisfies(e -> assertThat(((UnreadableAnswerException) e).error().retryable()).isTrue());
  }

  @Test
  @DisplayName("errors: moderation is the client's 400; 429 and 5xx are the channel's and retryable")
  void errors() {
    UpstreamError blocked = OpenAiImagesResponse.error(400, WireSamples.bytes("openai-images/error-moderation-blocked.json"));
    assertThat(blocked.code()).isEqualTo("moderation_blocked");
    assertThat(blocked.isClientError()).isTrue();
    UpstreamError down = OpenAiImagesResponse.error(503, Buffer.buffer("upstream connect error"));
    assertThat(down.retryable()).isTrue();
    assertThat(down.countsAgainstChannel()).isTrue();
  }
}
