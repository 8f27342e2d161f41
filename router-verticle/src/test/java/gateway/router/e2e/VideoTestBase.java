package gateway.router.e2e;

import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.VideoClient.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import gateway.common.PgUrl;
import gateway.common.config.Env;
import org.junit.jupiter.api.AfterEach;

/** The stack, channels, video models and a customer the video tests share; helpers to call and inspect them. */
abstract class VideoTestBase {
  static final String SORA = "sora";
  static final String WAN = "wan";
  static final String SORA_UPSTREAM = "sora-2";
  static final String WAN_UPSTREAM = "wan2.2-t2v-plus";
  static final long CREDIT = 1_000_000;
  static final long START = 100 * CREDIT;

  GatewayUnderTest gateway;
  VideoClient http;
  Customer customer;
  Vertx other;
  Path mediaDir;

  @AfterEach
  void closeOther() {
    if (other != null) {
      other.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  GatewayUnderTest start(Vertx vertx, UnaryOperator<Env> tune) {
    Path media;
    try {
      media = Files.createTempDirectory("gw-videos");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    mediaDir = media;
    gateway = GatewayUnderTest.start(vertx, env -> tune.apply(env
        .with("GATEWAY_MEDIA_DIR", media.toString())
        .with("GATEWAY_VIDEO_POLL_INTERVAL_MS", 50)
        .with("GATEWAY_VIDEO_POLL_MAX_INTERVAL_MS", 200)
        .with("GATEWAY_VIDEO_POLLER_TICK_MS", 50)
        .with("GATEWAY_VIDEO_LEASE_SECONDS", 30)));
    gateway.channel("fake-openai", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY));
    gateway.channel("fake-dashscope", new JsonObject().put("type", "dashscope")
        .put("base_url", gateway.fake.dashScopeBaseUrl()).put("api_key", GatewayUnderTest.CHANNEL_KEY));
    videoModel(SORA, "fake-openai", SORA_UPSTREAM, new JsonArray().add(4).add(8).add(12));
    videoModel(WAN, "fake-dashscope", WAN_UPSTREAM, new JsonArray().add(5).add(10));
    customer = gateway.customer("100", SORA, WAN);
    http = new VideoClient(gateway.v1());
    return gateway;
  }

  GatewayUnderTest start(Vertx vertx) {
    return start(vertx, env -> env);
  }

  void videoModel(String alias, String channel, String upstream, JsonArray durations) {
    gateway.admin.ok("PUT", "/admin/models/" + alias, new JsonObject()
        .put("type", "text2video")
        .put("available_resolutions", new JsonArray().add("720P").add("1080P"))
        .put("available_ratios", new JsonArray().add("16:9").add("9:16"))
        .put("available_durations", durations)
        .put("price", new JsonObject().put("per_second", new JsonObject().put("720P", 1).put("1080P", 2)))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstream))));
  }

  static JsonObject generation(String model, String resolution, Object duration, String ratio) {
    JsonObject body = new JsonObject().put("model", model).put("prompt", "a cat surfing at dawn")
        .put("resolution", resolution).put("duration", duration);
    return ratio == null ? body : body.put("ratio", ratio);
  }

  Reply awaitEnded(String id) {
    Reply[] last = new Reply[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      last[0] = http.get("/videos/" + id, customer.key());
      String status = last[0].body().getString("status");
      return status.equals("completed") || status.equals("failed");
    });
    return last[0];
  }

  String upstreamVideoUrl(String taskId) {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.fake.dashScopeBaseUrl() + "/tasks/" + taskId))
        .header("authorization", "Bearer " + GatewayUnderTest.CHANNEL_KEY).GET().build();
    try {
      String body = java.net.http.HttpClient.newHttpClient().send(request,
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return new JsonObject(body).getJsonObject("output").getString("video_url");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The files the local media store keeps (its spool of puts in progress left out). */
  long storedFiles() {
    try (java.util.stream.Stream<Path> files = Files.walk(mediaDir)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getParent().getFileName().toString().equals(".tmp"))
          .count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void execute(String statement) {
    PgUrl url = PgUrl.parse(gateway.config.pgUrl());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         java.sql.Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

}
