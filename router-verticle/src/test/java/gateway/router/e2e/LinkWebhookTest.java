package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Invitation and reset links go to GATEWAY_LINK_WEBHOOK_URL when one is set (no mail server is assumed). */
@ExtendWith(VertxExtension.class)
class LinkWebhookTest {
  @Test
  @DisplayName("invitation and reset links are POSTed to the webhook, with the public URL in front; a webhook that "
      + "is down does not stop the invitation")
  void linksGoToTheWebhook(Vertx vertx) {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    int port = TestServices.freePort();
    HttpServer hook = result(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(body.toJsonObject());
      request.response().setStatusCode(204).end();
    })).listen(port, "127.0.0.1"));
    GatewayUnderTest gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_LINK_WEBHOOK_URL", "http://127.0.0.1:" + port + "/links")
        .with("GATEWAY_PUBLIC_URL", "https://gateway.example.com/"));
    long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");

    JsonObject invited = SelfServiceUsers.invite(gateway, account, "ann@example.com", "owner");
    JsonObject invitation = invited.getJsonObject("invitation");
    assertThat(invitation.getBoolean("delivered")).isTrue();
    assertThat(invitation.getString("url")).isEqualTo("https://gateway.example.com/console/invitation#token="
        + invitation.getString("token"));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertThat(received.get(0).getString("kind")).isEqualTo("invitation");
    assertThat(received.get(0).getString("email")).isEqualTo("ann@example.com");
    assertThat(received.get(0).getString("url")).isEqualTo(invitation.getString("url"));

    long user = invited.getJsonObject("user").getLong("id");
    JsonObject reset = gateway.admin.ok("POST", "/admin/users/" + user + "/reset", null).getJsonObject("reset");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    assertThat(received.get(1).getString("kind")).isEqualTo("password_reset");
    assertThat(received.get(1).getString("url")).isEqualTo(reset.getString("url")).contains("/console/reset-password#");

    result(hook.close());
    JsonObject undelivered = SelfServiceUsers.invite(gateway, account, "bob@example.com", "member")
        .getJsonObject("invitation");
    assertThat(undelivered.getBoolean("delivered")).isFalse();
    assertThat(undelivered.getString("token")).isNotBlank();
  }
}
