package gateway.launcher;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.common.config.Env;
import gateway.common.Role;
import gateway.common.bus.BillingBus;
import gateway.testsupport.Await;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Vert.x instances joined by Hazelcast over TCP on loopback, their event bus over mutual
 * TLS with one shared certificate: the router alone in one, auth, catalog and billing in another,
 * and a third standing in for an internal service. A fourth member with a certificate of its own
 * may join Hazelcast (the open-source edition cannot refuse it) but gets nothing over the bus.
 */
class ClusterTest {
  private static final String ROGUE_ADDRESS = "auth.verify.rogue";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Gateway services;
  private Gateway router;
  private Vertx internalService;
  private Vertx rogue;
  private Vertx fakeVertx;
  private Env shared;
  private int basePort;
  private String base;

  @TempDir
  Path tlsDir;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    if (services != null) {
      services.close();
    }
    if (internalService != null) {
      result(internalService.close());
    }
    if (rogue != null) {
      result(rogue.close());
    }
    if (fakeVertx != null) {
      result(fakeVertx.close());
    }
  }

  /** Services, router and the internal member, all with the cluster's certificate; the catalog set up. */
  private FakeUpstream startCluster() throws Exception {
    ClusterTls tls = ClusterTls.generate(tlsDir, "cluster");
    basePort = 20000 + (int) (Math.random() * 10000); // below the ephemeral range
    List<String> members = List.of("127.0.0.1:" + basePort, "127.0.0.1:" + (basePort + 1),
        "127.0.0.1:" + (basePort + 2), "127.0.0.1:" + (basePort + 3));
    shared = TestServices.env()
        .with("GATEWAY_CLUSTER", true)
        .with("GATEWAY_CLUSTER_NAME", "test-" + UUID.randomUUID())
        .with("GATEWAY_CLUSTER_MEMBERS", String.join(",", members))
        .with("GATEWAY_CLUSTER_HOST", "127.0.0.1")
        .with("GATEWAY_CLUSTER_TLS_KEYSTORE", tls.keystore().toString())
        .with("GATEWAY_CLUSTER_TLS_PASSWORD", tls.password());
    services = Gateway.start(shared.with("GATEWAY_ROLES", roles(Role.AUTH, Role.CATALOG, Role.BILLING))
        .with("GATEWAY_CLUSTER_PORT", basePort).with("GATEWAY_HTTP_PORT", TestServices.freePort())
        .with("GATEWAY_METRICS_PORT", 0));
    router = Gateway.start(shared.with("GATEWAY_ROLES", roles(Role.ROUTER)).with("GATEWAY_CLUSTER_PORT", basePort + 1)
        .with("GATEWAY_METRICS_PORT", 0));
    internalService = member(shared.with("GATEWAY_CLUSTER_PORT", basePort + 2));

    fakeVertx = Vertx.vertx();
    FakeUpstream fake = result(FakeUpstream.start(fakeVertx));
    base = "http://127.0.0.1:" + router.config().process().httpPort();
    await().atMost(Duration.ofSeconds(30)).until(() -> admin(base, "GET", "/admin/models", null).statusCode() == 200);
    admin(base, "PUT", "/admin/channels/fake", new JsonObject().put("type", "openai")
        .put("base_url", fake.openAiBaseUrl()));
    admin(base, "PUT", "/admin/models/gpt-4o-mini", new JsonObject()
        .put("price", new JsonObject().put("input_per_mtok", 10).put("output_per_mtok", 20))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "fake"))));
    return fake;
  }

  private static String roles(Role... roles) {
    return String.join(",", EnumSet.copyOf(List.of(roles)).stream().map(Role::wire).toList());
  }

  private static Vertx member(Env env) {
    ClusterConfig config = ClusterConfig.fromEnv(env);
    return result(Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(ClusterSetup.eventBusOptions(config)))
        .withClusterManager(ClusterSetup.clusterManager(config)).buildClustered());
  }

  private long account(long credits) throws Exception {
    long account = new JsonObject(admin(base, "POST", "/admin/accounts", new JsonObject().put("name", "c")).body())
        .getLong("id");
    admin(base, "POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", credits));
    return account;
  }

  private long balanceMicros(long account) {
    return result(internalService.eventBus().<JsonObject>request(BillingBus.BALANCE,
        new JsonObject().put("account_id", account))).body().getLong("balance_micros");
  }

  @Test
  @DisplayName("a request served by a router in one process, auth/catalog/billing in another, and the balance read "
      + "by a third member over the clustered event bus")
  void requestAcrossTheBus() throws Exception {
    FakeUpstream fake = startCluster();
    fake.script("gpt-4o-mini", Behavior.reply("hello across the cluster").usage(100, 10));
    long account = account(1);
    String key = new JsonObject(admin(base, "POST", "/admin/accounts/" + account + "/keys",
        new JsonObject().put("models", new JsonArray().add("*"))).body()).getString("key");

    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey(key).maxRetries(0).build();
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("hi").build());

    assertThat(completion.choices().get(0).message().content()).contains("hello across the cluster");
    long expected = 1_000_000 - (100 * 10 + 10 * 20);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonObject balance = result(internalService.eventBus().<JsonObject>request(BillingBus.BALANCE,
          new JsonObject().put("account_id", account))).body();
      assertThat(balance.getLong("balance_micros")).isEqualTo(expected);
      assertThat(balance.getLong("held_micros")).isZero();
    });
  }

  @Test
  @DisplayName("a member reachable from other machines refuses to start without the cluster's TLS keystore")
  void plaintextBusOnlyOnLoopback() {
    Env exposed = TestServices.env().with("GATEWAY_CLUSTER", true).with("GATEWAY_CLUSTER_HOST", "10.20.30.40");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterSetup.eventBusOptions(ClusterConfig.fromEnv(exposed)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GATEWAY_CLUSTER_TLS_KEYSTORE");
    assertThat(ClusterSetup.eventBusOptions(ClusterConfig.fromEnv(exposed.with("GATEWAY_CLUSTER_TLS_KEYSTORE", "/k.p12")
        .with("GATEWAY_CLUSTER_TLS_PASSWORD", "pw"))).isSsl()).isTrue();
  }

  @Test
  @DisplayName("a member with a certificate the cluster does not trust gets nothing over the bus: its top-up never "
      + "lands, and what members send to its consumer never reaches it")
  void memberWithoutTheCertificateGetsNothing() throws Exception {
    startCluster();
    long account = account(1);
    ClusterTls own = ClusterTls.generate(tlsDir, "rogue");
    rogue = member(shared.with("GATEWAY_CLUSTER_PORT", basePort + 3)
        .with("GATEWAY_CLUSTER_TLS_KEYSTORE", own.keystore().toString())
        .with("GATEWAY_CLUSTER_TLS_PASSWORD", own.password()));

    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(3_000);
    Throwable topup = Await.failure(rogue.eventBus().request(BillingBus.TOPUP, new JsonObject()
        .put("account_id", account).put("amount_micros", 1_000_000_000_000L).put("note", "free credits"), quick));
    assertThat(topup).isInstanceOf(ReplyException.class);

    // a consumer only the rogue has: whatever a member sends there can go nowhere else
    AtomicInteger stolen = new AtomicInteger();
    result(rogue.eventBus().<JsonObject>consumer(ROGUE_ADDRESS, m -> stolen.incrementAndGet()).completion());
    AtomicReference<ReplyFailure> outcome = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      Throwable failure = Await.failure(internalService.eventBus().request(ROGUE_ADDRESS,
          new JsonObject().put("key_id", 1), quick));
      outcome.set(failure instanceof ReplyException e ? e.failureType() : null);
      // NO_HANDLERS: the member has not heard of the rogue's consumer yet
      return outcome.get() != ReplyFailure.NO_HANDLERS;
    });

    assertThat(stolen).as("messages the rogue received (the send ended with %s)", outcome.get()).hasValue(0);
    assertThat(balanceMicros(account)).isEqualTo(1_000_000);
  }

  private HttpResponse<String> admin(String base, String method, String path, JsonObject body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + TestServices.ADMIN_TOKEN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (!path.equals("/admin/models") && response.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + path + " → " + response.statusCode() + " " + response.body());
    }
    return response;
  }
}
