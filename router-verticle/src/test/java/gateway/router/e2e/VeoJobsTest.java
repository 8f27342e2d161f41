package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.VideoClient.Reply;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeMediaFiles;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Video jobs on a Gemini channel, over raw HTTP against the fake upstream's Veo long-running operations: a job
 * completes on our storage and is charged once for the seconds sent (Veo reports no length); a failed or filtered
 * operation, or a request Veo cannot take, costs nothing.
 */
@ExtendWith(VertxExtension.class)
class VeoJobsTest extends VideoTestBase {
  static final String VEO = "veo";
  static final String VEO_UPSTREAM = "veo-3.1-generate-preview";

  private void startWithVeo(Vertx vertx) {
    start(vertx);
    gateway.channel("fake-gemini", new JsonObject().put("type", "gemini").put("base_url", gateway.fake.geminiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    videoModel(VEO, "fake-gemini", VEO_UPSTREAM, new JsonArray().add(4).add(6).add(8));
    customer = gateway.customer("100", VEO);
  }

  @Test
  @DisplayName("Veo: POST /v1/videos runs a predictLongRunning operation to done; the MP4 is copied to our storage"
      + " through the key-guarded download and charged once for the durationSeconds sent at the tier's price")
  void veoJobCompletedStoredChargedOnce(Vertx vertx) {
    startWithVeo(vertx);
    gateway.fake.script(VEO_UPSTREAM, Behavior.videoJob().endsAfterPolls(2));

    Reply created = http.post("/videos", customer.key(), new JsonObject().put("model", VEO)
        .put("prompt", "a lighthouse in a storm").put("seconds", "8").put("size", "1920x1080"));

    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(200);
    assertThat(created.body().getString("status")).isEqualTo("queued");
    assertThat(gateway.heldMicros(customer.accountId())).isEqualTo(8 * 2 * CREDIT);
    Reply done = awaitEnded(created.body().getString("id"));
    assertThat(done.body().getString("status")).as(String.valueOf(done.body())).isEqualTo("completed");
    assertThat(done.body().getInteger("progress")).isEqualTo(100);
    String url = done.body().getString("url");
    assertThat(url).startsWith(gateway.baseUrl() + "/media/").endsWith(".mp4");
    HttpResponse<byte[]> file = http.fetch(url);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("content-type")).hasValue("video/mp4");
    assertThat(FakeMediaFiles.mp4Seconds(file.body())).isEqualTo(8);
    assertThat(storedFiles()).as("the MP4 and its .meta.json").isEqualTo(2);

    long cost = 8 * 2 * CREDIT;
    gateway.awaitBalance(customer.accountId(), START - cost);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.heldMicros(customer.accountId()) == 0);
    assertThat(gateway.sql("SELECT count(*) FROM billing.ledger WHERE kind = 'charge' AND account_id = ?",
        customer.accountId())).isEqualTo(1);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(cost);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(cost);

    RecordedRequest sent = gateway.fake.requestsFor(VEO_UPSTREAM).get(0);
    assertThat(sent.path()).isEqualTo("/v1beta/models/" + VEO_UPSTREAM + ":predictLongRunning");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(GatewayUnderTest.CHANNEL_KEY);
    assertThat(sent.body().getJsonArray("instances").getJsonObject(0).getString("prompt"))
        .isEqualTo("a lighthouse in a storm");
    assertThat(sent.body().getJsonObject("parameters")).isEqualTo(new JsonObject().put("durationSeconds", 8)
        .put("resolution", "1080p").put("aspectRatio", "16:9"));
    String operation = gateway.fake.videoJobIds().get(0);
    assertThat(gateway.fake.pollsOf(operation)).isEqualTo(2);
    assertThat(gateway.fake.downloadsOf("/v1beta/files/" + operation + ":download")).isEqualTo(1);
  }

  @Test
  @DisplayName("Veo: a failed operation and one the safety filter emptied cost nothing: holds released, no charge,"
      + " free usage rows; the job's error names Google's code")
  void failedVeoOperationIsFree(Vertx vertx) {
    startWithVeo(vertx);
    gateway.fake.script(VEO_UPSTREAM,
        Behavior.videoJob().endsAfterPolls(1).jobFails("INTERNAL", "Video generation failed."),
        Behavior.videoJob().endsAfterPolls(1).jobFails("raiMediaFiltered", "The video was blocked by safety filters."));

    Reply created = http.post("/videos", customer.key(), new JsonObject().put("model", VEO).put("prompt", "x")
        .put("seconds", 6).put("size", "1280x720"));
    Reply done = awaitEnded(created.body().getString("id"));
    Reply filtered = http.post("/videos/generations", customer.key(), generation(VEO, "720P", 4, "9:16"));

    assertThat(done.body().getString("status")).isEqualTo("failed");
    assertThat(done.body().getJsonObject("error").getString("code")).isEqualTo("INTERNAL");
    assertThat(done.body().getString("url")).isNull();
    assertThat(filtered.status()).as(String.valueOf(filtered.body())).isEqualTo(502);
    assertThat(filtered.body().getJsonObject("error").getString("message")).contains("safety filters");
    gateway.awaitBalance(customer.accountId(), START);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.usageRowCount(customer.accountId()) == 2
        && gateway.heldMicros(customer.accountId()) == 0);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isZero();
    assertThat(gateway.usageCostMicros(customer.accountId())).isZero();
    assertThat(storedFiles()).isZero();
  }

  @Test
  @DisplayName("Veo: an image_url is refused with a 400 naming it, before anything is sent upstream, and free")
  void imageUrlRefused(Vertx vertx) {
    startWithVeo(vertx);

    Reply refused = http.post("/videos/generations", customer.key(),
        generation(VEO, "720P", 4, null).put("image_url", "https://example.com/first.png"));

    assertThat(refused.status()).as(String.valueOf(refused.body())).isEqualTo(400);
    assertThat(refused.body().getJsonObject("error").getString("param")).isEqualTo("image_url");
    assertThat(gateway.fake.requestsFor(VEO_UPSTREAM)).isEmpty();
    gateway.awaitBalance(customer.accountId(), START);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.heldMicros(customer.accountId()) == 0);
  }
}
