package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: Gemini image output")
class GeminiImageWireTest extends MediaWireTestBase {

  private static final String MODEL = "gemini-2.5-flash-image";

  private Future<Got> generate(String model, String aspectRatio) {
    JsonObject config = new JsonObject().put("responseModalities", new JsonArray().add("IMAGE"));
    if (aspectRatio != null) {
      config.put("imageConfig", new JsonObject().put("aspectRatio", aspectRatio));
    }
    JsonObject body = new JsonObject()
        .put("contents", new JsonArray().add(new JsonObject().put("role", "user")
            .put("parts", new JsonArray().add(new JsonObject().put("text", "a nano banana dish in a fancy restaurant")))))
        .put("generationConfig", config);
    return postJson("/v1beta/models/" + model + ":generateContent", body);
  }

  private static JsonArray parts(Got got) {
    return got.json().getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts");
  }

  @Test
  @DisplayName("responseModalities IMAGE gives an inlineData image/png part in the asked aspect ratio, and IMAGE token usage")
  void image(VertxTestContext ctx) {
    check(ctx, generate(MODEL, "16:9"), got -> {
      assertThat(got.status()).isEqualTo(200);
      JsonObject inline = parts(got).getJsonObject(0).getJsonObject("inlineData");
      assertThat(inline.getString("mimeType")).isEqualTo("image/png");
      byte[] png = Base64.getDecoder().decode(inline.getString("data"));
      assertThat(FakeMediaFiles.pngSize(png)).containsExactly(1024, 576);
      JsonObject usage = got.json().getJsonObject("usageMetadata");
      assertThat(usage.getLong("candidatesTokenCount")).isEqualTo(1290);
      assertThat(usage.getJsonArray("candidatesTokensDetails").getJsonObject(0).getString("modality")).isEqualTo("IMAGE");
      assertThat(got.json().getJsonArray("candidates").getJsonObject(0).getString("finishReason")).isEqualTo("STOP");
      assertThat(fake.requests().get(0).protocol()).isEqualTo("gemini");
      assertThat(fake.requests().get(0).model()).isEqualTo(MODEL);
    });
  }

  @Test
  @DisplayName("several images, text beside them, a text-only answer (nothing drawn) and Google's error shape")
  void variants(VertxTestContext ctx) {
    fake.script("two", Behavior.images().imageCount(2));
    fake.script("text-only", Behavior.reply("I cannot draw that."));
    fake.script("busy", Behavior.error(503, "The model is overloaded. Please try again later."));
    Future<Got> two = generate("two", null);
    Future<Got> textOnly = generate("text-only", null);
    Future<Got> busy = generate("busy", null);
    check(ctx, Future.all(two, textOnly, busy), all -> {
      assertThat(parts(two.result())).hasSize(2);
      assertThat(FakeMediaFiles.pngSize(Base64.getDecoder().decode(
          parts(two.result()).getJsonObject(1).getJsonObject("inlineData").getString("data")))).containsExactly(1024, 1024);
      assertThat(parts(textOnly.result())).containsExactly(new JsonObject().put("text", "I cannot draw that."));
      assertThat(busy.result().status()).isEqualTo(503);
      assertThat(busy.result().json().getJsonObject("error").getString("status")).isEqualTo("UNAVAILABLE");
    });
  }

  @Test
  @DisplayName("a generateContent without IMAGE in responseModalities is still a text answer")
  void textStillText(VertxTestContext ctx) {
    check(ctx, client.post(Proto.GEMINI.uri("gemini-2.5-flash", false), Proto.GEMINI.body("gemini-2.5-flash", false),
        null), exchange -> assertThat(exchange.json().getJsonArray("candidates").getJsonObject(0)
        .getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text"))
        .isEqualTo("Hello from gemini-2.5-flash"));
  }
}
