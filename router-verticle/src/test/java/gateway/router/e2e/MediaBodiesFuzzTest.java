package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.FuzzClient.Answer;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.HostileBodies.Mutation;
import gateway.router.e2e.HostileBodies.Shape;
import gateway.router.e2e.HostileForms.Change;
import gateway.router.e2e.HostileForms.Framing;
import gateway.router.e2e.HostileForms.Part;
import gateway.router.e2e.MediaBodies.FormEndpoint;
import gateway.router.e2e.MediaBodies.JsonEndpoint;
import gateway.testsupport.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.awaitility.Awaitility;

/**
 * Hostile bodies at the media endpoints of one real gateway (the fake upstream speaking OpenAI's
 * Videos and Images APIs and DashScope's video synthesis): {@code POST /v1/videos} as JSON and as a
 * form, {@code POST /v1/videos/generations}, and the multipart {@code POST /v1/images/edits}. Each
 * answer is a 4xx in the OpenAI error shape — naming the field, when a lone change hit one field of a
 * JSON body — or a 200 (always for the unchanged body), never a 5xx, a hang or a Java class name. After
 * each property the money reconciles: every job ended and no hold is left, the balance dropped by
 * exactly what the usage rows cost and the ledger charged, no refused request cost anything, and a
 * video job exists for each accepted submit only.
 */
class MediaBodiesFuzzTest {
  private static final String START_CREDITS = "1000000";
  private static final long START_MICROS = 1_000_000_000_000L;
  private static final String SORA = MediaBodies.SORA;
  private static final String WAN = MediaBodies.WAN;

  private static Vertx vertx;
  private static GatewayUnderTest gateway;
  private static Customer customer;
  private static FuzzClient client;
  private static final Set<String> refused = ConcurrentHashMap.newKeySet();
  private static final Set<String> acceptedJobs = ConcurrentHashMap.newKeySet();

  record JsonCase(JsonEndpoint endpoint, List<Mutation> mutations, Shape shape, int cut) {
    byte[] body() {
      return HostileBodies.build(FuzzJson.of(endpoint.base), mutations, shape, cut);
    }

    @Override
    public String toString() {
      return endpoint.path + ", " + mutations + ", " + shape + "\n  body: " + FuzzJson.show(body(), 3_000);
    }
  }

  record FormCase(FormEndpoint endpoint, List<Change> changes, Framing framing, int cut) {
    byte[] body() {
      return HostileForms.body(HostileForms.changed(endpoint.base, changes), framing, cut);
    }

    boolean untouched() {
      return changes.isEmpty() && framing == Framing.INTACT;
    }

    /** The part whose value a lone change replaced in an otherwise intact form, or null. */
    /** A value carrying the boundary adds parts of its own: the field it replaced is then not the only change. */
    private static boolean forgesAPart(HostileForms.Value value) {
      return new String(value.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(HostileForms.BOUNDARY);
    }

    String onlyFieldHit() {
      if (framing != Framing.INTACT || changes.size() != 1
          || !(changes.get(0) instanceof HostileForms.NewValue value) || forgesAPart(value.value())) {
        return null;
      }
      return endpoint.base.get(Math.floorMod(value.where(), endpoint.base.size())).name();
    }

    @Override
    public String toString() {
      return endpoint.path + " (form), " + changes + ", " + framing + "\n  body: " + FuzzJson.show(body(), 3_000);
    }
  }

  @BeforeContainer
  static void startGateway() throws Exception {
    vertx = Vertx.vertx();
    Path media = Files.createTempDirectory("gw-media-fuzz");
    gateway = GatewayUnderTest.start(vertx, env -> env.with("GATEWAY_MEDIA_DIR", media.toString())
        .with("GATEWAY_VIDEO_POLL_INTERVAL_MS", 50).with("GATEWAY_VIDEO_POLL_MAX_INTERVAL_MS", 200)
        .with("GATEWAY_VIDEO_POLLER_TICK_MS", 50).with("GATEWAY_VIDEO_LEASE_SECONDS", 30));
    ImagesTest.imageModels(gateway);
    gateway.channel("fake-dashscope", new JsonObject().put("type", "dashscope")
        .put("base_url", gateway.fake.dashScopeBaseUrl()).put("api_key", GatewayUnderTest.CHANNEL_KEY));
    videoModel(SORA, "fake-openai", "sora-2", new JsonArray().add(4).add(8).add(12));
    videoModel(WAN, "fake-dashscope", "wan2.2-t2v-plus", new JsonArray().add(5).add(10));
    customer = gateway.customer(START_CREDITS, "*");
    client = new FuzzClient(gateway.baseUrl());
  }

  private static void videoModel(String alias, String channel, String upstream, JsonArray durations) {
    gateway.admin.ok("PUT", "/admin/models/" + alias, new JsonObject().put("type", "text2video")
        .put("available_resolutions", new JsonArray().add("720P").add("1080P"))
        .put("available_ratios", new JsonArray().add("16:9").add("9:16"))
        .put("available_durations", durations)
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1).put("1080P", 2)))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstream))));
  }

  @AfterContainer
  static void stopGateway() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
  void videosJson(@ForAll("videosJson") JsonCase request) {
    sendJson(request);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
  void videoGenerations(@ForAll("videoGenerations") JsonCase request) {
    sendJson(request);
  }

  @Property(tries = 400, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
  void videosForm(@ForAll("videosForm") FormCase request) {
    sendForm(request);
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.OFF)
  void imageEdits(@ForAll("imageEdits") FormCase request) {
    sendForm(request);
  }

  /** Found by the properties above, kept as examples: each was a 5xx, or a job sent upstream and then lost. */
  @Example
  void formsTheDecoderCannotReadAreTheClientsError() {
    int sent = gateway.fake.requestsFor("sora-2").size();
    byte[] nameless = HostileForms.body(List.of(Part.field("", "sora"), Part.field("prompt", "a boat")),
        Framing.INTACT, 0);
    for (String path : List.of("/v1/videos", "/v1/chat/completions", "/v1/images/generations")) {
      Answer answer = client.send("POST", path, nameless, HostileForms.contentType(Framing.INTACT), auth(),
          path + " with a nameless part");
      checked(answer, path + " with a nameless part", false, null);
      assertThat(answer.status()).as(path).isEqualTo(400);
    }
    Answer badEscape = client.send("POST", "/v1/videos", "model=sora&prompt=%ZZ%".getBytes(StandardCharsets.US_ASCII),
        "application/x-www-form-urlencoded", auth(), "a broken escape");
    checked(badEscape, "a broken escape", false, null);
    assertThat(gateway.fake.requestsFor("sora-2")).hasSize(sent + (badEscape.status() == 200 ? 1 : 0));
  }

  @Example
  void aPromptPostgresCannotStoreIsRefusedBeforeTheUpstreamIsCalled() {
    int sora = gateway.fake.requestsFor("sora-2").size();
    int wan = gateway.fake.requestsFor("wan2.2-t2v-plus").size();
    for (String path : List.of("/v1/videos", "/v1/videos/generations")) {
      for (String prompt : List.of("a\\u0000b", "x\\udfff", "\\udfff\\ud800")) {
        String base = (path.endsWith("generations") ? JsonEndpoint.VIDEO_GENERATIONS : JsonEndpoint.VIDEOS).base
            .copy().put("prompt", "PROMPT").encode();
        byte[] body = base.replace("PROMPT", prompt).getBytes(StandardCharsets.UTF_8);
        Answer answer = client.send("POST", path, body, auth(), path + " with the prompt " + prompt);
        checked(answer, path + " with the prompt " + prompt, false, "prompt");
        assertThat(answer.status()).as(path + " " + prompt).isEqualTo(400);
        assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("param")).isEqualTo("prompt");
      }
    }
    assertThat(gateway.fake.requestsFor("sora-2")).hasSize(sora);
    assertThat(gateway.fake.requestsFor("wan2.2-t2v-plus")).hasSize(wan);
  }

  /** Found by the properties: a form field over Vert.x's 8 KiB default was refused; a prompt may be 32,000 chars. */
  @Example
  void aFormPromptAsLongAsAllowedIsRead() {
    for (FormEndpoint endpoint : FormEndpoint.values()) {
      for (int length : List.of(31_000, 32_001)) {
        List<Part> parts = new java.util.ArrayList<>(endpoint.base);
        parts.set(1, Part.field("prompt", "p".repeat(length)));
        Answer answer = client.send("POST", endpoint.path, HostileForms.body(parts, Framing.INTACT, 0),
            HostileForms.contentType(Framing.INTACT), auth(), endpoint + " with a prompt of " + length);
        checked(answer, endpoint + " with a prompt of " + length, false, "prompt");
        assertThat(answer.status()).as(endpoint + " " + length + ": " + answer.body())
            .isEqualTo(length <= 32_000 ? 200 : 400);
      }
    }
  }

  /** After every property: every job ended, and the money of every request so far reconciles exactly. */
  @AfterProperty
  void moneyReconciles() {
    long account = customer.accountId();
    Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(gateway.heldMicros(account)).as("held for requests and jobs").isZero());
    long drop = START_MICROS - gateway.balanceMicros(account);
    assertThat(gateway.usageCostMicros(account)).isEqualTo(drop);
    assertThat(gateway.ledgerChargesMicros(account)).isEqualTo(drop);
    List<String> jobs = gateway.texts("SELECT id || ' ' || status || ' ' || COALESCE(error_message, '') "
        + "FROM videos.jobs WHERE account_id = ?", account);
    assertThat(jobs).as("a job for each accepted submit, none for a refused one")
        .filteredOn(job -> !acceptedJobs.contains(job.split(" ")[0])).isEmpty();
    assertThat(jobs).hasSize(acceptedJobs.size());
    assertThat(gateway.costOfRequests(refused)).as("what the refused requests cost").isZero();
    assertThat(gateway.sql("SELECT count(*) FROM videos.jobs WHERE account_id = ? AND status NOT IN "
        + "('completed', 'failed')", account)).isZero();
  }

  @Provide
  Arbitrary<JsonCase> videosJson() {
    return jsonCases(JsonEndpoint.VIDEOS);
  }

  @Provide
  Arbitrary<JsonCase> videoGenerations() {
    return jsonCases(JsonEndpoint.VIDEO_GENERATIONS);
  }

  @Provide
  Arbitrary<FormCase> videosForm() {
    return formCases(FormEndpoint.VIDEOS);
  }

  @Provide
  Arbitrary<FormCase> imageEdits() {
    return formCases(FormEndpoint.IMAGE_EDITS);
  }

  private static Arbitrary<JsonCase> jsonCases(JsonEndpoint endpoint) {
    return Combinators.combine(HostileBodies.mutations(), HostileBodies.shapes(),
        Arbitraries.integers().between(0, 5_000)).as((mutations, shape, cut) -> new JsonCase(endpoint, mutations,
        shape, cut));
  }

  private static Arbitrary<FormCase> formCases(FormEndpoint endpoint) {
    return Combinators.combine(HostileForms.changes(), HostileForms.framings(),
        Arbitraries.integers().between(0, 5_000)).as((changes, framing, cut) -> new FormCase(endpoint, changes,
        framing, cut));
  }

  private static void sendJson(JsonCase request) {
    Answer answer = client.send("POST", request.endpoint().path, request.body(), auth(), request.toString());
    String hit = HostileBodies.onlyFieldHit(FuzzJson.of(request.endpoint().base), request.mutations(),
        request.shape());
    checked(answer, request.toString(), request.mutations().isEmpty() && request.shape() == Shape.INTACT, hit);
  }

  private static void sendForm(FormCase request) {
    Answer answer = client.send("POST", request.endpoint().path, request.body(),
        HostileForms.contentType(request.framing()), auth(), request.toString());
    checked(answer, request.toString(), request.untouched(), request.onlyFieldHit());
  }

  /** What every answer must be; {@code field} the one a 400 must name, when the body's only change hit it. */
  private static void checked(Answer answer, String what, boolean untouched, String field) {
    String shown = what + "\n→ " + answer.status() + " " + answer.body();
    Statistics.label("status").collect(answer.status());
    FuzzClient.assertWellFormed(answer, false, what);
    if (untouched) {
      assertThat(answer.status()).as("an unchanged valid body is served: %s", shown).isEqualTo(200);
    }
    if (answer.status() == 400 && field != null) {
      JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
      if (!"invalid_json".equals(error.getString("code"))) {
        assertThat(error.getString("param")).as("the field named: %s", shown).isEqualTo(field);
      }
    }
    if (answer.status() == 200) {
      acceptedJobs.addAll(jobIds(new JsonObject(answer.body())));
    } else if (answer.requestId() != null) {
      refused.add(answer.requestId());
    }
  }

  /** The job ids of an accepted video submit: a video object, or the generation's list. */
  private static List<String> jobIds(JsonObject answer) {
    if ("video".equals(answer.getString("object"))) {
      return List.of(answer.getString("id"));
    }
    if (answer.getValue("data") instanceof JsonArray data) {
      return data.stream().map(JsonObject.class::cast).map(item -> item.getString("id"))
          .filter(id -> id != null && id.startsWith("video_")).toList();
    }
    return List.of();
  }

  private static Map<String, String> auth() {
    return Map.of("authorization", "Bearer " + customer.key());
  }
}
