package gateway.router.e2e;

import static gateway.router.e2e.ImagesTest.PAINTER;
import static gateway.router.e2e.ImagesTest.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.media.MediaInput;
import gateway.router.media.MultipartBody;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What image requests may ask: the model's allow-lists (a 400 naming the field and listing what is allowed, nothing
 * held or sent), hostile JSON and forms (4xx naming the field, never a 500 or a hang), the edit endpoint's multipart
 * form reaching the upstream whole, and {@code /v1/models} showing the prices and lists.
 */
@ExtendWith(VertxExtension.class)
class ImageRequestsTest {
  private static final long START_MICROS = 100_000_000;
  private static final long SQUARE = 4_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    ImagesTest.imageModels(gateway);
    customer = gateway.customer("100", PAINTER, ImagesTest.GEMINI_PAINTER, "tiered");
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("allow-lists: a size, quality or n outside the model's lists is a 400 naming the field and listing what is allowed")
  void allowLists() {
    JsonObject size = refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("size", "512x512"));
    assertThat(size.getString("param")).isEqualTo("size");
    assertThat(size.getString("message")).contains("1024x1024, 1536x1024");
    JsonObject quality = refused(new JsonObject().put("model", "tiered").put("prompt", "x").put("quality", "hd"));
    assertThat(quality.getString("param")).isEqualTo("quality");
    assertThat(quality.getString("message")).contains("low, high");
    JsonObject n = refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("n", 5));
    assertThat(n.getString("param")).isEqualTo("n");
    assertThat(n.getString("message")).contains("1 to 4");
    assertThat(gateway.fake.requests()).isEmpty();
    assertThat(gateway.usageRowCount(customer.accountId())).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS);
  }

  @Test
  @DisplayName("hostile input: wrong JSON types, a huge n, a missing prompt, bad JSON: each a 400 naming the field")
  void hostileInput() {
    assertThat(refused(new JsonObject().put("model", PAINTER)).getString("param")).isEqualTo("prompt");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", 42)).getString("param")).isEqualTo("prompt");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("n", 1_000_000_000_000L))
        .getString("param")).isEqualTo("n");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("n", "two"))
        .getString("param")).isEqualTo("n");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("n", 1.5))
        .getString("param")).isEqualTo("n");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("size", 1024))
        .getString("param")).isEqualTo("size");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("response_format", "gif"))
        .getString("param")).isEqualTo("response_format");
    assertThat(refused(new JsonObject().put("model", List.of("a")).put("prompt", "x")).getString("param"))
        .isEqualTo("model");
    assertThat(refused(new JsonObject().put("model", PAINTER).put("prompt", "x").put("stream", true))
        .getString("param")).isEqualTo("stream");
    HttpResponse<String> badJson = http.post("/images/generations", customer.key(), "{\"model\": \"painter\",");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(badJson).getString("code")).isEqualTo("invalid_json");
    HttpResponse<String> chatModelAsImage = http.post("/images/generations", gateway.customer("1",
        "nobody").key(), new JsonObject().put("model", PAINTER).put("prompt", "x").encode());
    assertThat(chatModelAsImage.statusCode()).isEqualTo(403);
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("edits: a raw multipart form with image and mask (a 3,000-character file name) reaches the upstream's "
      + "edits endpoint; stored and charged")
  void editMultipart() throws Exception {
    // Longer than the form decoder's default 1 KiB of buffered part headers, which refused such a part when its
    // headers arrived split across reads (not reproducible at will on loopback; RouterVerticle raises the bound).
    String longName = "m".repeat(2_996) + ".png";
    gateway.fake.script(UPSTREAM, Behavior.images());
    byte[] png = ImagesTest.fetchablePng();
    MultipartBody form = new MultipartBody().field("model", PAINTER).field("prompt", "add a hat").field("n", "1")
        .field("size", "1024x1024").field("response_format", "url").field("background", "transparent")
        .file("image", new MediaInput("cat.png", "image/png", Buffer.buffer(png)))
        .file("mask", new MediaInput(longName, "image/png", Buffer.buffer(png)));

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.v1() + "/images/edits")).header("Authorization", "Bearer " + customer.key())
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.build().getBytes())).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    RecordedRequest sent = gateway.fake.requestsFor(UPSTREAM).get(0);
    assertThat(sent.path()).isEqualTo("/v1/images/edits");
    assertThat(sent.body().getJsonObject("image").getInteger("size")).isEqualTo(png.length);
    assertThat(sent.body().getJsonObject("mask").getString("filename")).isEqualTo(longName);
    assertThat(sent.body().getString("background")).isEqualTo("transparent");
    String url = new JsonObject(response.body()).getJsonArray("data").getJsonObject(0).getString("url");
    assertThat(ImagesTest.fetch(url).statusCode()).isEqualTo(200);
    assertThat(awaitRow("completed").getLong("cost_micros")).isEqualTo(SQUARE);
  }

  @Test
  @DisplayName("edits without an image, or not a form: a 400 naming 'image', a 415")
  void editRefusals() throws Exception {
    MultipartBody form = new MultipartBody().field("model", PAINTER).field("prompt", "add a hat");
    HttpResponse<String> noImage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.v1() + "/images/edits")).header("Authorization", "Bearer " + customer.key())
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.build().getBytes())).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> json = http.post("/images/edits", customer.key(),
        new JsonObject().put("model", PAINTER).put("prompt", "x").encode());

    assertThat(noImage.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(noImage).getString("param")).isEqualTo("image");
    assertThat(json.statusCode()).isEqualTo(415);
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("hostile forms: a broken multipart body and a form larger than the body limit are 4xx, never a hang or a 500")
  void hostileForms() throws Exception {
    HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> broken = raw.send(HttpRequest.newBuilder(URI.create(gateway.v1() + "/images/edits"))
        .header("Authorization", "Bearer " + customer.key()).header("Content-Type", "multipart/form-data; boundary=abc")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString("--abc\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx"
            + "\r\n--abc\r\nContent-Disposition: garbage\r\n\r\n\u0000\u0001--ab")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(broken.statusCode()).as(broken.body()).isBetween(400, 499);
    assertThat(broken.body()).doesNotContain("java.", "Exception");

    byte[] big = new byte[21 * 1024 * 1024];
    MultipartBody form = new MultipartBody().field("model", PAINTER).field("prompt", "x")
        .file("image", new MediaInput("big.png", "image/png", Buffer.buffer(big)));
    HttpResponse<String> tooLarge = raw.send(HttpRequest.newBuilder(URI.create(gateway.v1() + "/images/edits"))
        .header("Authorization", "Bearer " + customer.key()).header("Content-Type", form.contentType())
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.build().getBytes())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(gateway.fake.requests()).isEmpty();
    assertThat(gateway.usageRowCount(customer.accountId())).isZero();
  }

  @Test
  @DisplayName("/v1/models (public) shows the image model's type, per-image prices and allow-lists")
  void listedWithPricesAndAllowLists() {
    HttpResponse<String> models = http.get("/models", null);

    JsonObject painter = new JsonObject(models.body()).getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(m -> PAINTER.equals(m.getString("id"))).findFirst().orElseThrow();
    assertThat(painter.getString("model_type")).isEqualTo("text2image");
    assertThat(painter.getJsonObject("pricing").getJsonObject("per_image").getValue("1536x1024").toString())
        .isEqualTo("6");
    assertThat(painter.getJsonArray("available_sizes")).containsExactly("1024x1024", "1536x1024");
    assertThat(painter.getInteger("max_n")).isEqualTo(4);
  }

  private JsonObject refused(JsonObject body) {
    HttpResponse<String> response = http.post("/images/generations", customer.key(), body.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonObject error = RawHttp.error(response);
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    return error;
  }

  private JsonObject awaitRow(String outcome) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1);
      assertThat(gateway.heldMicros(customer.accountId())).isZero();
    });
    JsonObject row = gateway.usageRows(customer.accountId()).getJsonObject(0);
    assertThat(row.getString("outcome")).isEqualTo(outcome);
    return row;
  }

}
