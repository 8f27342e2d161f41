package gateway.launcher;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.common.GatewayConfig;
import gateway.common.Role;
import gateway.common.bus.BillingBus;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three Vert.x instances joined by Hazelcast over TCP on loopback: the router alone in one,
 * auth, catalog and billing in another, and a third standing in for an internal service.
 */
class ClusterTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private Gateway services;
  private Gateway router;
  private Vertx internalService;
  private Vertx fakeVertx;

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
    if (fakeVertx != null) {
      result(fakeVertx.close());
    }
  }

  @Test
  @DisplayName("a request served by a router in one process, auth/catalog/billing in another, and the balance read "
      + "by a third member over the clustered event bus")
  void requestAcrossTheBus() throws Exception {
    int basePort = 20000 + (int) (Math.random() * 10000); // below the ephemeral range
    List<String> members = List.of("127.0.0.1:" + basePort, "127.0.0.1:" + (basePort + 1),
        "127.0.0.1:" + (basePort + 2));
    GatewayConfig shared = TestServices.config()
        .with("cluster", true)
        .with("cluster_name", "test-" + UUID.randomUUID())
        .with("cluster_members", new JsonArray(members))
        .with("cluster_host", "127.0.0.1");
    services = Gateway.start(shared.withRoles(EnumSet.of(Role.AUTH, Role.CATALOG, Role.BILLING))
        .with("cluster_port", basePort).withHttpPort(TestServices.freePort()));
    router = Gateway.start(shared.withRoles(EnumSet.of(Role.ROUTER)).with("cluster_port", basePort + 1));
    GatewayConfig internal = shared.with("cluster_port", basePort + 2);
    internalService = result(Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new io.vertx.core.eventbus.EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(ClusterSetup.clusterManager(internal)).buildClustered());

    fakeVertx = Vertx.vertx();
    FakeUpstream fake = result(FakeUpstream.start(fakeVertx));
    fake.script("gpt-4o-mini", Behavior.reply("hello across the cluster").usage(100, 10));
    String base = "http://127.0.0.1:" + router.config().httpPort();
    await().atMost(Duration.ofSeconds(30)).until(() -> admin(base, "GET", "/admin/models", null).statusCode() == 200);
    admin(base, "PUT", "/admin/channels/fake", new JsonObject().put("type", "openai")
        .put("base_url", fake.openAiBaseUrl()));
    admin(base, "PUT", "/admin/models/gpt-4o-mini", new JsonObject()
        .put("price", new JsonObject().put("input_per_mtok", 10).put("output_per_mtok", 20))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "fake"))));
    long account = new JsonObject(admin(base, "POST", "/admin/accounts", new JsonObject().put("name", "c")).body())
        .getLong("id");
    admin(base, "POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 1));
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
