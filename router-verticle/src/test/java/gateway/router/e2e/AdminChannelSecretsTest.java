package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No admin reply shows a channel's secrets: its key, its secret headers, the userinfo or query of its URL. */
@ExtendWith(VertxExtension.class)
class AdminChannelSecretsTest {
  private static final String AZURE_KEY = "azure-secret-value-0123456789";

  private GatewayUnderTest gateway;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
  }

  @Test
  @DisplayName("secret headers, the URL's userinfo and query values are masked in the PUT reply and the listing; "
      + "plain headers and the host stay readable")
  void secretsAreMasked() {
    JsonObject definition = new JsonObject().put("type", "openai")
        .put("base_url", "https://deploy:hunter2-password@azure.example.com/openai/v1?api-version=2024-10-21&sig=qs-secret")
        .put("api_key", "sk-channel-key-never-shown")
        .put("headers", new JsonObject().put("api-key", AZURE_KEY).put("Authorization", "Bearer tok-0123456789abc")
            .put("X-Session-Token", "s3").put("OpenAI-Organization", "org-123"));

    JsonObject reply = gateway.admin.ok("PUT", "/admin/channels/azure", definition);
    JsonObject listed = gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").getJsonObject(0);

    for (JsonObject view : new JsonObject[] {reply, listed}) {
      String text = view.encode();
      assertThat(text).doesNotContain(AZURE_KEY).doesNotContain("tok-0123456789abc").doesNotContain("\"s3\"")
          .doesNotContain("hunter2").doesNotContain("deploy:").doesNotContain("qs-secret")
          .doesNotContain("2024-10-21").doesNotContain("sk-channel-key");
      JsonObject headers = view.getJsonObject("settings").getJsonObject("headers");
      assertThat(headers.getString("api-key")).isEqualTo("****6789");
      assertThat(headers.getString("OpenAI-Organization")).isEqualTo("org-123");
      assertThat(view.getString("base_url")).isEqualTo("https://****@azure.example.com/openai/v1?api-version=****&sig=****");
    }
  }

  @Test
  @DisplayName("a channel read from the admin API and sent back unchanged keeps its real secret header")
  void roundTripKeepsTheSecret() {
    gateway.channel("fake-azure", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY).put("priority", 0)
        .put("headers", new JsonObject().put("api-key", AZURE_KEY)));
    JsonObject shown = gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").getJsonObject(0);
    shown.remove("api_key_set");
    shown.put("priority", 1);
    gateway.admin.ok("PUT", "/admin/channels/fake-azure", shown);

    gateway.routedModel("m", "fake-azure", "m", GatewayUnderTest.price("10", "20", null));
    gateway.fake.script("m", Behavior.reply("ok"));
    Customer customer = gateway.customer("10", "*");
    HttpResponse<String> answer = new RawHttp(gateway.v1()).post("/chat/completions", customer.key(),
        new JsonObject().put("model", "m").put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "hi"))).encode());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(gateway.fake.requestsFor("m").get(0).header("api-key")).isEqualTo(AZURE_KEY);
    assertThat(gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").getJsonObject(0)
        .getInteger("priority")).isEqualTo(1);
  }
}
