package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: OpenAI Images wire format")
class OpenAiImagesWireTest extends MediaWireTestBase {

  private static final String MODEL = "gpt-image-1";
  private static final String PATH = "/v1/images/generations";

  private static JsonObject request(int n, String size, String format) {
    JsonObject body = new JsonObject().put("model", MODEL).put("prompt", "a red fox in snow").put("n", n)
        .put("size", size).put("quality", "high").put("moderation", "low");
    return format == null ? body : body.put("response_format", format);
  }

  @Test
  @DisplayName("a generation without response_format gives n base64 PNGs of the asked size, and gpt-image usage")
  void base64ByDefault(VertxTestContext ctx) {
    check(ctx, postJson(PATH, request(2, "1536x1024", null)), got -> {
      assertThat(got.status()).isEqualTo(200);
      JsonObject body = got.json();
      assertThat(body.getLong("created")).isPositive();
      JsonArray data = body.getJsonArray("data");
      assertThat(data).hasSize(2);
      byte[] first = Base64.getDecoder().decode(data.getJsonObject(0).getString("b64_json"));
      assertThat(first).isEqualTo(FakeMediaFiles.png(1536, 1024, 0));
      assertThat(FakeMediaFiles.pngSize(first)).containsExactly(1536, 1024);
      assertThat(data.getJsonObject(0).containsKey("url")).isFalse();
      assertThat(body.getString("output_format")).isEqualTo("png");
      assertThat(body.getString("quality")).isEqualTo("high");
      assertThat(body.getString("size")).isEqualTo("1536x1024");
      JsonObject usage = body.getJsonObject("usage");
      assertThat(usage.getLong("output_tokens")).isEqualTo(2 * 1056);
      assertThat(usage.getLong("total_tokens")).isEqualTo(usage.getLong("input_tokens") + usage.getLong("output_tokens"));
      assertThat(usage.getJsonObject("input_tokens_details").getLong("text_tokens")).isEqualTo(4);
      RecordedRequest recorded = fake.requests().get(0);
      assertThat(recorded.protocol()).isEqualTo("openai-images");
      assertThat(recorded.model()).isEqualTo(MODEL);
      assertThat(recorded.body().getString("moderation")).isEqualTo("low");
    });
  }

  @Test
  @DisplayName("response_format url gives URLs on the fake that serve the PNG and count downloads; an expired one is a 403")
  void expiringUrls(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.images(), Behavior.images().urlsExpireAfter(Duration.ZERO));
    Future<Got> live = postJson(PATH, request(1, "1024x1024", "url"));
    Future<Got> fetched = live.compose(g -> get(url(g)));
    Future<Got> again = fetched.compose(f -> get(url(live.result())));
    Future<Got> expiring = again.compose(a -> postJson(PATH, request(1, "1024x1024", "url")));
    Future<Got> expired = expiring.compose(e -> get(url(e)));
    check(ctx, expired, gone -> {
      String url = url(live.result());
      assertThat(url).startsWith("http://127.0.0.1:" + fake.port() + "/files/").contains("Expires=", "Signature=");
      Got ok = fetched.result();
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("Content-Type")).isEqualTo("image/png");
      assertThat(ok.body().getBytes()).isEqualTo(FakeMediaFiles.png(1024, 1024, 0));
      assertThat(again.result().status()).isEqualTo(200);
      assertThat(fake.downloadsOf(url)).isEqualTo(2);
      assertThat(gone.status()).isEqualTo(403);
      assertThat(gone.body().toString()).contains("<Code>AccessDenied</Code>");
      assertThat(fake.downloadsOf(url(expiring.result()))).isEqualTo(1);
    });
  }

  private static String url(Got generation) {
    return generation.json().getJsonArray("data").getJsonObject(0).getString("url");
  }

  @Test
  @DisplayName("an unknown file is a 404 and a tampered signature a 403")
  void unknownAndTampered(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.images().asUrls());
    Future<Got> generated = postJson(PATH, request(1, "auto", "b64_json"));
    Future<Got> tampered = generated.compose(g -> get(g.json().getJsonArray("data").getJsonObject(0).getString("url")
        .replaceAll("Signature=[0-9a-f]+", "Signature=00")));
    Future<Got> unknown = tampered.compose(t -> get("/files/nothing-here.png"));
    check(ctx, unknown, missing -> {
      assertThat(generated.result().json().getString("size")).isEqualTo("1024x1024");
      assertThat(tampered.result().status()).isEqualTo(403);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body().toString()).contains("<Code>NoSuchKey</Code>");
    });
  }

  @Test
  @DisplayName("empty answers, fewer images than asked, omitted usage and errors in OpenAI's shape")
  void emptyFewerErrors(VertxTestContext ctx) {
    fake.script("empty", Behavior.noImages());
    fake.script("fewer", Behavior.images().imageCount(1).omitUsage());
    fake.script("broken", Behavior.error(500, "image backend down"), Behavior.error(429, "slow down"));
    Future<Got> empty = postJson(PATH, request(2, "1024x1024", null).put("model", "empty"));
    Future<Got> fewer = postJson(PATH, request(3, "1024x1024", null).put("model", "fewer"));
    Future<Got> failed = postJson(PATH, request(1, "1024x1024", null).put("model", "broken"))
        .compose(first -> postJson(PATH, request(1, "1024x1024", null).put("model", "broken"))
            .map(second -> new Got[] {first, second}).map(pair -> pair[0]));
    check(ctx, Future.all(empty, fewer, failed), all -> {
      assertThat(empty.result().status()).isEqualTo(200);
      assertThat(empty.result().json().getJsonArray("data")).isEmpty();
      assertThat(fewer.result().json().getJsonArray("data")).hasSize(1);
      assertThat(fewer.result().json().containsKey("usage")).isFalse();
      assertThat(failed.result().status()).isEqualTo(500);
      assertThat(failed.result().json().getJsonObject("error").getString("type")).isEqualTo("server_error");
      assertThat(failed.result().json().getJsonObject("error").getString("message")).isEqualTo("image backend down");
    });
  }

  @Test
  @DisplayName("OpenAI's refusals: no prompt, n above 10, an unknown response_format, a wrong key")
  void refusals(VertxTestContext ctx) {
    Future<Got> noPrompt = postJson(PATH, new JsonObject().put("model", MODEL));
    Future<Got> tooMany = postJson(PATH, request(11, "1024x1024", null));
    Future<Got> badFormat = postJson(PATH, request(1, "1024x1024", "gif"));
    check(ctx, Future.all(noPrompt, tooMany, badFormat).compose(all -> {
      fake.expectApiKey("sk-right");
      return postJson(PATH, request(1, "1024x1024", null), "Authorization", "Bearer sk-wrong");
    }), wrongKey -> {
      assertThat(noPrompt.result().status()).isEqualTo(400);
      assertThat(noPrompt.result().json().getJsonObject("error").getString("param")).isEqualTo("prompt");
      assertThat(tooMany.result().json().getJsonObject("error").getString("param")).isEqualTo("n");
      assertThat(badFormat.result().json().getJsonObject("error").getString("param")).isEqualTo("response_format");
      assertThat(wrongKey.status()).isEqualTo(401);
      assertThat(wrongKey.json().getJsonObject("error").getString("code")).isEqualTo("invalid_api_key");
    });
  }

  @Test
  @DisplayName("an edit is multipart: image file(s), optional mask, prompt; the recorded body describes the files")
  void edits(VertxTestContext ctx) {
    byte[] source = FakeMediaFiles.png(32, 32, 5);
    Multipart form = new Multipart().field("model", MODEL).field("prompt", "add a hat").field("n", "2")
        .field("size", "1024x1536").file("image[]", "cat.png", "image/png", source)
        .file("mask", "mask.png", "image/png", FakeMediaFiles.png(32, 32, 6));
    Future<Got> edited = postForm("/v1/images/edits", form);
    Future<Got> noImage = edited.compose(e -> postForm("/v1/images/edits",
        new Multipart().field("model", MODEL).field("prompt", "add a hat")));
    check(ctx, noImage, missing -> {
      Got got = edited.result();
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.json().getJsonArray("data")).hasSize(2);
      assertThat(FakeMediaFiles.pngSize(Base64.getDecoder().decode(
          got.json().getJsonArray("data").getJsonObject(1).getString("b64_json")))).containsExactly(1024, 1536);
      assertThat(got.json().getJsonObject("usage").getJsonObject("input_tokens_details").getLong("image_tokens"))
          .isPositive();
      JsonObject recorded = fake.requests().get(0).body();
      assertThat(recorded.getString("prompt")).isEqualTo("add a hat");
      assertThat(recorded.getJsonObject("image[]").getInteger("size")).isEqualTo(source.length);
      assertThat(recorded.getJsonObject("mask").getString("filename")).isEqualTo("mask.png");
      assertThat(missing.status()).isEqualTo(400);
      assertThat(missing.json().getJsonObject("error").getString("param")).isEqualTo("image");
    });
  }
}
