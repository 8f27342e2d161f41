package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.catalog.CatalogVerticle;
import gateway.common.bus.AuthBus;
import gateway.common.bus.CatalogBus;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Answers that arrive late must not undo a change. The timing is real: Vert.x's own bus
 * interceptors hold an answer (or a replica's change event) until the change was delivered.
 */
@ExtendWith(VertxExtension.class)
class StaleCacheTest {
  private static final JsonObject PRICE = GatewayUnderTest.price("10", "20", null);

  @Test
  @DisplayName("a verify answer arriving after auth.keys.changed disabled the key is not cached: the next request is 401")
  void lateVerifyAnswerIsNotCached(Vertx vertx) throws Exception {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config, 1, 1);
    gateway.openAiModel("m", "m", PRICE);
    gateway.fake.script("m", Behavior.reply("answered"));
    Customer customer = gateway.customer("10", "*");
    String digest = sha256(customer.key());

    AtomicReference<String> verifyReplyAddress = new AtomicReference<>();
    AtomicReference<DeliveryContext<?>> heldReply = new AtomicReference<>();
    AtomicReference<Context> replyContext = new AtomicReference<>();
    Promise<Void> replyHeld = Promise.promise();
    vertx.eventBus().addInboundInterceptor(delivery -> {
      String address = delivery.message().address();
      if (AuthBus.VERIFY.equals(address) && delivery.body() instanceof JsonObject body
          && digest.equals(body.getString("key_sha256"))) {
        verifyReplyAddress.compareAndSet(null, delivery.message().replyAddress());
      } else if (address.equals(verifyReplyAddress.get()) && heldReply.compareAndSet(null, delivery)) {
        replyContext.set(Vertx.currentContext());
        replyHeld.tryComplete();
        return;
      } else if (AuthBus.KEYS_CHANGED.equals(address) && heldReply.get() != null) {
        delivery.next();
        // the router's own event loop: the answer reaches it only after it handled the change
        replyContext.get().runOnContext(v -> heldReply.get().next());
        return;
      }
      delivery.next();
    });

    RawHttp http = new RawHttp(gateway.v1());
    CompletableFuture<HttpResponse<String>> inFlight = http.postAsync("/chat/completions", customer.key(), body());
    result(replyHeld.future());
    gateway.admin.ok("PATCH", "/admin/keys/" + customer.keyId(), new JsonObject().put("disabled", true));
    inFlight.get(30, TimeUnit.SECONDS);

    HttpResponse<String> next = http.post("/chat/completions", customer.key(), body());
    assertThat(next.statusCode()).as(next.body()).isEqualTo(401);
  }

  @Test
  @DisplayName("a catalog replica that has not reloaded yet cannot serve or plant the old route: both replicas "
      + "answer with the new one")
  void laggingCatalogReplicaIsNotBelieved(Vertx vertx) {
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config, 1, 1);
    gateway.openAiModel("m", "m-old", PRICE);
    gateway.fake.script("m-old", Behavior.reply("the old route"));
    gateway.fake.script("m-new", Behavior.reply("the new route"));
    // one key per request: each is a lookup of its own, and the bus takes turns between the replicas
    Customer first = gateway.customer("10", "*");
    Customer second = gateway.customer("10", "*");
    String lagging = result(vertx.deployVerticle(new CatalogVerticle(gateway.config.catalog())));
    Set<String> replicas = Set.of(gateway.catalogDeployments.get(0), lagging);

    AtomicReference<String> writer = new AtomicReference<>();
    List<DeliveryContext<?>> heldReloads = new CopyOnWriteArrayList<>();
    vertx.eventBus().addInboundInterceptor(delivery -> {
      String address = delivery.message().address();
      String deployment = Vertx.currentContext() == null ? null : Vertx.currentContext().deploymentID();
      if (CatalogBus.MODELS_PUT.equals(address)) {
        writer.set(deployment);
      } else if (CatalogBus.CHANGED.equals(address) && replicas.contains(deployment)
          && !deployment.equals(writer.get())) {
        heldReloads.add(delivery);
        return;
      }
      delivery.next();
    });

    gateway.admin.ok("PUT", "/admin/models/m", new JsonObject().put("type", "llm").put("price", PRICE)
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "fake-openai").put("model", "m-new"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> heldReloads.size() == 1);

    RawHttp http = new RawHttp(gateway.v1());
    for (Customer customer : List.of(first, second, first, second)) {
      HttpResponse<String> answer = http.post("/chat/completions", customer.key(), body());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content")).isEqualTo("the new route");
    }
    assertThat(gateway.fake.requestsFor("m-old")).isEmpty();
  }

  private static String body() {
    return new JsonObject().put("model", "m").put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static String sha256(String secret) throws Exception {
    return Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
  }
}
