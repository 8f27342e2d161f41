package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.RecordedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/images/generations} through the official OpenAI SDK and {@code POST /v1/images/edits} as a raw
 * multipart form: the model's allow-lists (400 naming the field), the hold of n × the image's price, the charge of
 * the images returned, free failures, every image stored and served at the gateway's own URL after the upstream's
 * expired, the Gemini path.
 */
@ExtendWith(VertxExtension.class)
class ImagesTest {
  static final String PAINTER = "painter";
  static final String UPSTREAM = "gpt-image-1";
  static final String GEMINI_PAINTER = "gemini-painter";
  static final String GEMINI_UPSTREAM = "gemini-2.5-flash-image";
  private static final long START_MICROS = 100_000_000;
  private static final long SQUARE = 4_000_000;
  private static final long WIDE = 6_000_000;

  private GatewayUnderTest gateway;
  private Customer customer;
  private OpenAIClient client;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    imageModels(gateway);
    customer = gateway.customer("100", PAINTER, GEMINI_PAINTER, "tiered");
    client = gateway.sdk(customer.key());
    http = new RawHttp(gateway.v1());
  }

  /** The image models of these tests: an OpenAI one by size, a tiered one by size and quality, a Gemini one. */
  static void imageModels(GatewayUnderTest gateway) {
    gateway.channel("fake-openai", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.channel("fake-gemini", new JsonObject().put("type", "gemini").put("base_url", gateway.fake.geminiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    imageModel(gateway, PAINTER, "fake-openai", UPSTREAM, new JsonObject().put("1024x1024", 4).put("1536x1024", 6),
        new JsonObject().put("available_sizes", new JsonArray().add("1024x1024").add("1536x1024")).put("max_n", 4));
    imageModel(gateway, "tiered", "fake-openai", "gpt-image-1-tiered",
        new JsonObject().put("1024x1024", new JsonObject().put("low", 1).put("high", 5)),
        new JsonObject().put("available_qualities", new JsonArray().add("low").add("high")));
    imageModel(gateway, GEMINI_PAINTER, "fake-gemini", GEMINI_UPSTREAM, new JsonObject().put("1024x1024", 3),
        new JsonObject());
  }

  static void imageModel(GatewayUnderTest gateway, String alias, String channel, String upstream, JsonObject perImage,
                         JsonObject options) {
    gateway.admin.ok("PUT", "/admin/models/" + alias, new JsonObject().put("type", "text2image")
        .put("price", new JsonObject().put("per_image", perImage)).mergeIn(options)
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstream))));
  }

  @Test
  @DisplayName("SDK, url: n images held at n × the size's price, charged per image; our URLs outlive the upstream's")
  void generateUrls() throws Exception {
    gateway.fake.script(UPSTREAM, Behavior.images().asUrls().urlsExpireAfter(Duration.ofSeconds(3))
        .firstByteDelay(Duration.ofMillis(1500)));

    CompletableFuture<ImagesResponse> pending = CompletableFuture.supplyAsync(() -> client.images().generate(
        ImageGenerateParams.builder().model(PAINTER).prompt("a lighthouse at dusk").n(2).size("1536x1024")
            .responseFormat(ImageGenerateParams.ResponseFormat.URL).build()));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.heldMicros(customer.accountId()) == 2 * WIDE);
    ImagesResponse response = pending.get();

    List<Image> data = response.data().orElseThrow();
    assertThat(data).hasSize(2);
    RecordedRequest sent = gateway.fake.requestsFor(UPSTREAM).get(0);
    assertThat(sent.path()).isEqualTo("/v1/images/generations");
    assertThat(sent.body().getString("model")).isEqualTo(UPSTREAM);
    assertThat(sent.body().getInteger("n")).isEqualTo(2);
    assertThat(sent.body().getString("size")).isEqualTo("1536x1024");
    List<String> upstreamUrls = gateway.fake.requests().stream().filter(r -> r.path().startsWith("/files/"))
        .map(r -> "http://127.0.0.1:" + gateway.fake.port() + r.path() + "?" + r.query()).toList();
    assertThat(upstreamUrls).hasSize(2);
    for (Image image : data) {
      String url = image.url().orElseThrow();
      assertThat(url).startsWith(gateway.baseUrl() + "/media/");
      assertThat(upstreamUrls).noneMatch(url::equals);
    }
    byte[] first = fetch(data.get(0).url().orElseThrow()).body();
    assertThat(Arrays.copyOf(first, 4)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

    // the upstream's own link expires; ours still serves the same bytes, as a long-cached PNG with ranges
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> fetch(upstreamUrls.get(0)).statusCode() == 403);
    HttpResponse<byte[]> later = fetch(data.get(0).url().orElseThrow());
    assertThat(later.statusCode()).isEqualTo(200);
    assertThat(later.body()).isEqualTo(first);
    assertThat(later.headers().firstValue("content-type")).hasValue("image/png");
    assertThat(later.headers().firstValue("cache-control").orElseThrow()).contains("immutable");
    HttpResponse<byte[]> part = FETCH.send(HttpRequest.newBuilder(
        URI.create(data.get(0).url().orElseThrow())).header("Range", "bytes=0-3").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).hasSize(4);

    JsonObject row = awaitRow("completed");
    assertThat(row.getLong("cost_micros")).isEqualTo(2 * WIDE);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - 2 * WIDE);
    assertThat(gateway.ledgerChargesMicros(customer.accountId())).isEqualTo(2 * WIDE);
  }

  @Test
  @DisplayName("SDK, b64_json: the bytes inline and the stored copy at our URL; no size: the first allowed, sent and charged")
  void generateBase64() throws Exception {
    gateway.fake.script(UPSTREAM, Behavior.images().asBase64());

    ImagesResponse response = client.images().generate(ImageGenerateParams.builder().model(PAINTER)
        .prompt("a red square").responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());

    Image image = response.data().orElseThrow().get(0);
    byte[] inline = Base64.getDecoder().decode(image.b64Json().orElseThrow());
    assertThat(fetch(image.url().orElseThrow()).body()).isEqualTo(inline);
    assertThat(gateway.fake.requestsFor(UPSTREAM).get(0).body().getString("size")).isEqualTo("1024x1024");
    assertThat(gateway.fake.requestsFor(UPSTREAM).get(0).body().containsKey("response_format")).isFalse();
    assertThat(awaitRow("completed").getLong("cost_micros")).isEqualTo(SQUARE);
  }

  @Test
  @DisplayName("fewer images than asked: the hold of n is released down to the images returned")
  void chargedForTheImagesReturned() {
    gateway.fake.script(UPSTREAM, Behavior.images().imageCount(1));

    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", PAINTER).put("prompt", "three cats").put("n", 3).put("size", "1024x1024").encode());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(response.body());
    assertThat(answer.getJsonArray("data")).hasSize(1);
    assertThat(new java.math.BigDecimal(answer.getJsonObject("usage").getValue("cost").toString()))
        .isEqualByComparingTo("4");
    assertThat(awaitRow("completed").getLong("cost_micros")).isEqualTo(SQUARE);
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS - SQUARE);
  }

  @Test
  @DisplayName("an upstream failure is free: the client gets the error in OpenAI's shape, the hold is released")
  void failedImageIsFree() {
    gateway.fake.script(UPSTREAM, Behavior.error(500, "the image service broke"));

    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", PAINTER).put("prompt", "a storm").put("n", 2).encode());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(RawHttp.error(response).getString("type")).isEqualTo("upstream_error");
    JsonObject row = awaitRow("failed");
    assertThat(row.getLong("cost_micros")).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS);
  }

  @Test
  @DisplayName("the upstream refusing the request (400) is the client's 400, free, and no other route is tried")
  void upstreamRefusalIsFree() {
    gateway.fake.script(UPSTREAM, Behavior.error(400, "Your prompt was rejected by the safety system."));

    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", PAINTER).put("prompt", "something").encode());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RawHttp.error(response).getString("message")).contains("safety");
    assertThat(awaitRow("failed").getLong("cost_micros")).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS);
  }

  @Test
  @DisplayName("quality priced apart: the quality asked is held and charged at its own price")
  void qualityPriced() {
    gateway.fake.script("gpt-image-1-tiered", Behavior.images());

    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", "tiered").put("prompt", "x").put("quality", "high").encode());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("gpt-image-1-tiered").get(0).body().getString("quality")).isEqualTo("high");
    assertThat(awaitRow("completed").getLong("cost_micros")).isEqualTo(5_000_000);
  }

  @Test
  @DisplayName("Gemini: one generateContent call per image, inlineData stored and charged per image")
  void gemini() {
    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", GEMINI_PAINTER).put("prompt", "a fox").put("n", 2).encode());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonArray data = new JsonObject(response.body()).getJsonArray("data");
    assertThat(data).hasSize(2);
    assertThat(data.getJsonObject(0).getString("url")).isNotEqualTo(data.getJsonObject(1).getString("url"));
    List<RecordedRequest> sent = gateway.fake.requestsFor(GEMINI_UPSTREAM);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).path()).endsWith(":generateContent");
    assertThat(sent.get(0).body().getJsonObject("generationConfig").getJsonArray("responseModalities"))
        .containsExactly("IMAGE");
    assertThat(awaitRow("completed").getLong("cost_micros")).isEqualTo(2 * 3_000_000);
  }

  @Test
  @DisplayName("Gemini drawing nothing (text only) is free")
  void geminiNoImageIsFree() {
    gateway.fake.script(GEMINI_UPSTREAM, Behavior.reply("I cannot draw that."));

    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", GEMINI_PAINTER).put("prompt", "a fox").encode());

    assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(awaitRow("failed").getLong("cost_micros")).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS);
  }

  @Test
  @DisplayName("fallback before anything was drawn: the first channel fails, the second draws; charged once; ?channel= pins")
  void fallbackAndPin() {
    gateway.channel("fake-openai-2", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.admin.ok("PUT", "/admin/models/" + PAINTER, new JsonObject().put("type", "text2image")
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", 4)))
        .put("routes", new JsonArray()
            .add(new JsonObject().put("channel", "fake-openai").put("model", "first-painter").put("priority", 0))
            .add(new JsonObject().put("channel", "fake-openai-2").put("model", "second-painter").put("priority", 1))));
    gateway.fake.script("first-painter", Behavior.error(503, "overloaded"));

    HttpResponse<String> response = http.post("/images/generations", customer.key(), new JsonObject()
        .put("model", PAINTER).put("prompt", "a boat").encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject row = awaitRow("completed");
    assertThat(row.getString("channel")).isEqualTo("fake-openai-2");
    assertThat(row.getLong("cost_micros")).isEqualTo(SQUARE);

    HttpResponse<String> pinned = http.post("/images/generations?channel=fake-openai", customer.key(), new JsonObject()
        .put("model", PAINTER).put("prompt", "a boat").encode());
    assertThat(pinned.statusCode()).isEqualTo(502);
    assertThat(gateway.fake.requestsFor("second-painter")).hasSize(1);
  }

  @Test
  @DisplayName("a client gone before its images were answered is charged nothing: the hold is released")
  void clientGoneIsFree() {
    gateway.fake.script(UPSTREAM, Behavior.images().firstByteDelay(Duration.ofSeconds(2)));
    String body = new JsonObject().put("model", PAINTER).put("prompt", "a slow picture").encode();
    RawSocket socket = RawSocket.open(gateway.config.httpPort()).send(RawSocket.head("POST", "/v1/images/generations",
        "Authorization: Bearer " + customer.key() + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length() + "\r\n") + body);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.fake.requestsFor(UPSTREAM).size() == 1);
    socket.close();

    JsonObject row = awaitRow("failed");
    assertThat(row.getLong("cost_micros")).isZero();
    assertThat(gateway.balanceMicros(customer.accountId())).isEqualTo(START_MICROS);
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

  private static final HttpClient FETCH = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  static HttpResponse<byte[]> fetch(String url) throws Exception {
    return FETCH.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A small real PNG (1x1, from its published bytes). */
  static byte[] fetchablePng() {
    return Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
  }
}
