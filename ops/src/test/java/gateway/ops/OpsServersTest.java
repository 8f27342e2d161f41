package gateway.ops;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.Role;
import gateway.common.bus.BillingBus;
import gateway.testsupport.TestServices;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.EnumSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The listeners of a process without the router, on a real Vert.x. */
@ExtendWith(VertxExtension.class)
class OpsServersTest {

  private record Answer(int status, String body) {
  }

  @Test
  @DisplayName("/health/ready checks only the roles of the process: 503 naming the one that is down, 200 once it answers")
  void readinessOfTheProcessRoles(Vertx vertx) {
    ProcessConfig billingOnly = new ProcessConfig(EnumSet.of(Role.BILLING), "127.0.0.1", TestServices.freePort(), 0,
        null);
    result(OpsServers.health(vertx, billingOnly));
    HttpClientAgent client = vertx.createHttpClient();

    assertThat(get(vertx, client, billingOnly.httpPort(), "/health/live").status()).isEqualTo(200);
    Answer down = get(vertx, client, billingOnly.httpPort(), "/health/ready");
    assertThat(down.status()).isEqualTo(503);
    assertThat(new JsonObject(down.body()).getJsonObject("checks").getMap()).containsExactly(
        java.util.Map.entry("billing", "DOWN"));

    result(vertx.eventBus().<JsonObject>localConsumer(BillingBus.HEALTH, m -> m.reply(new JsonObject())).completion());
    Answer up = get(vertx, client, billingOnly.httpPort(), "/health/ready");
    assertThat(up.status()).isEqualTo(200);
    assertThat(new JsonObject(up.body()).getString("status")).isEqualTo("UP");
    assertThat(get(vertx, client, billingOnly.httpPort(), "/metrics").status()).as("no metrics on the health port")
        .isEqualTo(404);
  }

  @Test
  @DisplayName("/metrics on its own port asks for the configured token")
  void metricsAskForTheToken(Vertx vertx) {
    ProcessConfig process = new ProcessConfig(EnumSet.of(Role.AUTH), "127.0.0.1", TestServices.freePort(),
        TestServices.freePort(), "scrape-token");
    assertThat(process.metricsOnOwnPort()).isTrue();
    result(OpsServers.metrics(vertx, process));
    HttpClientAgent client = vertx.createHttpClient();
    assertThat(get(vertx, client, process.metricsPort(), "/metrics").status()).isEqualTo(401);
  }

  /**
   * One GET, sent and read on an event loop: from the test thread a pooled connection can complete the request
   * before the next step is attached, and a body read later than its head may be missed (the test hung 30 s then).
   */
  private static Answer get(Vertx vertx, HttpClientAgent client, int port, String path) {
    Promise<Answer> answer = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())))
        .onComplete(answer));
    return result(answer.future());
  }
}
