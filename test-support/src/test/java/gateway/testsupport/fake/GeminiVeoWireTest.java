package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: Gemini API Veo long-running operations")
class GeminiVeoWireTest extends MediaWireTestBase {

  private static final String MODEL = "veo-3.1-generate-preview";
  private static final String KEY = "AIza-test-key";

  @BeforeEach
  void requireKey() {
    fake.expectApiKey(KEY);
  }

  private Future<Got> create(String model, JsonObject parameters) {
    JsonObject body = new JsonObject()
        .put("instances", new JsonArray().add(new JsonObject().put("prompt", "a lighthouse in a storm")))
        .put("parameters", parameters);
    return postJson("/v1beta/models/" + model + ":predictLongRunning", body, "x-goog-api-key", KEY);
  }

  private Future<Got> create(String model) {
    return create(model, new JsonObject().put("aspectRatio", "16:9").put("resolution", "720p")
        .put("durationSeconds", 8).put("negativePrompt", "cartoon"));
  }

  private Future<Got> poll(Got created) {
    return get("/v1beta/" + created.json().getString("name"), "x-goog-api-key", KEY);
  }

  private static String uri(Got done) {
    return done.json().getJsonObject("response").getJsonObject("generateVideoResponse")
        .getJsonArray("generatedSamples").getJsonObject(0).getJsonObject("video").getString("uri");
  }

  private static String id(Got created) {
    String name = created.json().getString("name");
    return name.substring(name.lastIndexOf('/') + 1);
  }

  @Test
  @DisplayName("create answers the operation's name; polls say done false, then done with generatedSamples; the"
      + " sample's uri needs the key and redirects to the MP4, as long as durationSeconds asked")
  void lifecycle(VertxTestContext ctx) {
    Future<Got> created = create(MODEL);
    Future<Got> running = created.compose(this::poll);
    Future<Got> done = running.compose(r -> poll(created.result()));
    Future<Got> keyless = done.compose(d -> get(uri(d)));
    Future<Got> redirect = keyless.compose(k -> get(uri(done.result()), "x-goog-api-key", KEY));
    Future<Got> file = redirect.compose(r -> get(r.header("Location")));
    check(ctx, file, video -> {
      JsonObject operation = created.result().json();
      assertThat(operation.getString("name")).matches("models/" + MODEL + "/operations/[0-9a-f]{12}");
      assertThat(operation.containsKey("done")).isFalse();
      assertThat(running.result().json()).isEqualTo(new JsonObject().put("name", operation.getString("name"))
          .put("done", false));
      JsonObject finished = done.result().json();
      assertThat(finished.getString("name")).isEqualTo(operation.getString("name"));
      assertThat(finished.getBoolean("done")).isTrue();
      assertThat(finished.containsKey("error")).isFalse();
      assertThat(finished.getJsonObject("response").getString("@type"))
          .isEqualTo("type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse");
      assertThat(uri(done.result())).isEqualTo(fake.geminiBaseUrl() + "/files/" + id(created.result())
          + ":download?alt=media");
      assertThat(keyless.result().status()).isEqualTo(403);
      assertThat(keyless.result().json().getJsonObject("error").getString("status")).isEqualTo("PERMISSION_DENIED");
      assertThat(redirect.result().status()).isEqualTo(302);
      assertThat(video.status()).isEqualTo(200);
      assertThat(video.header("Content-Type")).isEqualTo("video/mp4");
      assertThat(FakeMediaFiles.mp4Seconds(video.body().getBytes())).isEqualTo(8);
      assertThat(fake.pollsOf(id(created.result()))).isEqualTo(2);
      assertThat(fake.downloadsOf(uri(done.result()))).isEqualTo(2);
      assertThat(fake.videoJobIds()).containsExactly(id(created.result()));
      RecordedRequest recorded = fake.requests().get(0);
      assertThat(recorded.protocol()).isEqualTo("gemini-veo");
      assertThat(recorded.model()).isEqualTo(MODEL);
      assertThat(recorded.body().getJsonObject("parameters").getString("negativePrompt")).isEqualTo("cartoon");
    });
  }

  @Test
  @DisplayName("a job scripted to deliver other seconds or a broken file still ends done; the file says so")
  void deliveredAndBroken(VertxTestContext ctx) {
    String page = "<html><body>Service Unavailable</body></html>";
    fake.script("six", Behavior.videoJob().endsAfterPolls(1).deliversSeconds(6));
    fake.script("broken", Behavior.videoJob().endsAfterPolls(1)
        .deliversBrokenFile("text/html", page.getBytes(StandardCharsets.UTF_8)));
    Future<Got> six = create("six").compose(this::poll).compose(d -> get(uri(d), "x-goog-api-key", KEY))
        .compose(r -> get(r.header("Location")));
    Future<Got> broken = create("broken").compose(this::poll).compose(d -> get(uri(d), "x-goog-api-key", KEY))
        .compose(r -> get(r.header("Location")));
    check(ctx, Future.all(six, broken), all -> {
      assertThat(FakeMediaFiles.mp4Seconds(six.result().body().getBytes())).isEqualTo(6);
      assertThat(broken.result().status()).isEqualTo(200);
      assertThat(broken.result().header("Content-Type")).isEqualTo("text/html");
      assertThat(broken.result().body().toString()).isEqualTo(page);
    });
  }

  @Test
  @DisplayName("a failed operation is done with a google.rpc.Status; the safety filter's answer has no samples;"
      + " a canceled one is CANCELLED (1); a stalled one stays undone; an unknown one is 404 NOT_FOUND")
  void endings(VertxTestContext ctx) {
    fake.script("fails", Behavior.videoJob().endsAfterPolls(1).jobFails("INTERNAL", "Video generation failed."));
    fake.script("filtered", Behavior.videoJob().endsAfterPolls(1).jobFails("raiMediaFiltered",
        "The prompt could not be submitted."));
    fake.script("cancels", Behavior.videoJob().endsAfterPolls(1).jobCanceled());
    fake.script("stalls", Behavior.videoJob().jobStalls());
    Future<Got> failed = create("fails").compose(this::poll);
    Future<Got> filtered = create("filtered").compose(this::poll);
    Future<Got> canceled = create("cancels").compose(this::poll);
    Future<Got> stalled = create("stalls").compose(s -> poll(s).compose(p -> poll(s)));
    Future<Got> unknown = get("/v1beta/models/" + MODEL + "/operations/000000000000", "x-goog-api-key", KEY);
    check(ctx, Future.all(failed, filtered, canceled, stalled, unknown), all -> {
      JsonObject failure = failed.result().json();
      assertThat(failure.getBoolean("done")).isTrue();
      assertThat(failure.containsKey("response")).isFalse();
      assertThat(failure.getJsonObject("error")).isEqualTo(new JsonObject().put("code", 13)
          .put("message", "Video generation failed."));
      JsonObject answer = filtered.result().json().getJsonObject("response").getJsonObject("generateVideoResponse");
      assertThat(answer.getInteger("raiMediaFilteredCount")).isEqualTo(1);
      assertThat(answer.getJsonArray("raiMediaFilteredReasons").getString(0)).startsWith("The prompt");
      assertThat(answer.containsKey("generatedSamples")).isFalse();
      assertThat(canceled.result().json().getJsonObject("error").getInteger("code")).isEqualTo(1);
      assertThat(stalled.result().json().getBoolean("done")).isFalse();
      assertThat(unknown.result().status()).isEqualTo(404);
      assertThat(unknown.result().json().getJsonObject("error").getString("status")).isEqualTo("NOT_FOUND");
    });
  }

  @Test
  @DisplayName("Google's errors: wrong key 400 API_KEY_INVALID, scripted 429 and 500, a resolution, duration or"
      + " ratio Veo does not take 400 INVALID_ARGUMENT, no instances 400; none creates a job")
  void errors(VertxTestContext ctx) {
    fake.script("throttled", Behavior.error(429, "Resource has been exhausted (e.g. check quota)."));
    fake.script("broken", Behavior.error(500, "An internal error has occurred."));
    Future<Got> wrongKey = postJson("/v1beta/models/" + MODEL + ":predictLongRunning", new JsonObject(),
        "x-goog-api-key", "AIza-wrong");
    Future<Got> throttled = create("throttled");
    Future<Got> broken = create("broken");
    Future<Got> upperCase = create(MODEL, new JsonObject().put("resolution", "720P"));
    Future<Got> text = create(MODEL, new JsonObject().put("durationSeconds", "8"));
    Future<Got> tooLong = create(MODEL, new JsonObject().put("durationSeconds", 12));
    Future<Got> square = create(MODEL, new JsonObject().put("aspectRatio", "1:1"));
    Future<Got> empty = postJson("/v1beta/models/" + MODEL + ":predictLongRunning",
        new JsonObject().put("instances", new JsonArray()), "x-goog-api-key", KEY);
    check(ctx, Future.all(java.util.List.of(wrongKey, throttled, broken, upperCase, text, tooLong, square, empty)),
        all -> {
          assertThat(wrongKey.result().status()).isEqualTo(400);
          assertThat(wrongKey.result().json().getJsonObject("error").getJsonArray("details").getJsonObject(0)
              .getString("reason")).isEqualTo("API_KEY_INVALID");
          assertThat(throttled.result().status()).isEqualTo(429);
          assertThat(throttled.result().json().getJsonObject("error").getString("status"))
              .isEqualTo("RESOURCE_EXHAUSTED");
          assertThat(broken.result().json().getJsonObject("error").getString("status")).isEqualTo("INTERNAL");
          for (Got refused : java.util.List.of(upperCase.result(), text.result(), tooLong.result(), square.result(),
              empty.result())) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().getJsonObject("error").getString("status")).isEqualTo("INVALID_ARGUMENT");
          }
          assertThat(fake.videoJobIds()).isEmpty();
        });
  }

  @Test
  @DisplayName("operations live as long as the fake: a client that comes back later (a restarted gateway) polls"
      + " on; the download expires like Google's stored videos")
  void outlivesClientsAndExpires(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.videoJob().endsAfterPolls(3).urlsExpireAfter(Duration.ZERO));
    Future<Got> created = create(MODEL);
    Future<Got> before = created.compose(this::poll);
    Future<TestClient> fresh = before.compose(b -> client.close()).map(v -> client = new TestClient(vertx, fake));
    Future<Got> after = fresh.compose(c -> poll(created.result()).compose(p -> poll(created.result())));
    Future<Got> file = after.compose(a -> get(uri(a), "x-goog-api-key", KEY));
    check(ctx, file, expired -> {
      assertThat(before.result().json().getBoolean("done")).isFalse();
      assertThat(after.result().json().getBoolean("done")).isTrue();
      assertThat(fake.pollsOf(id(created.result()))).isEqualTo(3);
      assertThat(expired.status()).isEqualTo(404);
    });
  }
}
