package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin calls the operator console added: the account search, and a channel edited without its key. */
@ExtendWith(VertxExtension.class)
class ConsoleAdminCallsTest {
  private GatewayUnderTest gateway;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
  }

  @Test
  @DisplayName("GET /admin/accounts searches by name (any case, anywhere, LIKE marks taken literally) or id, newest "
      + "first, a page at a time")
  void accountSearch() {
    long acme = create("Acme Corp");
    long widgets = create("widgets_acme");
    long other = create("Other 100%");
    assertThat(ids("/admin/accounts?q=ACME")).containsExactly(widgets, acme);
    assertThat(ids("/admin/accounts?q=" + other)).containsExactly(other);
    assertThat(ids("/admin/accounts?q=s_a")).containsExactly(widgets);
    assertThat(ids("/admin/accounts?q=%25")).containsExactly(other);
    JsonObject first = gateway.admin.ok("GET", "/admin/accounts?limit=2", null);
    assertThat(ids(first)).containsExactly(other, widgets);
    assertThat(ids("/admin/accounts?limit=2&before_id=" + first.getLong("next_before_id"))).containsExactly(acme);
    AdminClient.Reply bad = gateway.admin.send("GET", "/admin/accounts?limit=lots", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonObject("error").getString("param")).isEqualTo("limit");
    AdminClient.Reply long_ = gateway.admin.send("GET", "/admin/accounts?q=" + "x".repeat(201), null);
    assertThat(long_.status()).isEqualTo(400);
    assertThat(long_.body().getJsonObject("error").getString("param")).isEqualTo("q");
    assertThat(gateway.admin.ok("GET", "/admin/audit?action=accounts.search", null).getJsonArray("data")).isNotEmpty();
  }

  @Test
  @DisplayName("a channel PUT without api_key (the console's edit form) keeps the stored key; an empty one removes it")
  void channelKeyIsWriteOnly() {
    gateway.openAiModel("m", "m", GatewayUnderTest.price("1", "1", null));
    gateway.fake.script("m", Behavior.reply("ok"));
    GatewayUnderTest.Customer customer = gateway.customer("10", "*");
    JsonObject shown = gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").getJsonObject(0);
    shown.remove("api_key_set");
    gateway.admin.ok("PUT", "/admin/channels/fake-openai", shown.put("priority", 3));
    JsonObject after = gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").getJsonObject(0);
    assertThat(after.getBoolean("api_key_set")).isTrue();
    assertThat(after.getInteger("priority")).isEqualTo(3);
    assertThat(after.encode()).doesNotContain(GatewayUnderTest.CHANNEL_KEY);
    assertThat(new RawHttp(gateway.v1()).post("/chat/completions", customer.key(), new JsonObject().put("model", "m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode())
        .statusCode()).isEqualTo(200);
    assertThat(gateway.admin.ok("GET", "/admin/channel-breakers", null).getJsonArray("data"))
        .containsExactly(new JsonObject().put("name", "fake-openai").put("state", "closed"));
    gateway.admin.ok("PUT", "/admin/channels/fake-openai", shown.put("api_key", ""));
    assertThat(gateway.admin.ok("GET", "/admin/channels", null).getJsonArray("data").getJsonObject(0)
        .getBoolean("api_key_set")).isFalse();
  }

  private long create(String name) {
    return gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", name)).getLong("id");
  }

  private List<Long> ids(String path) {
    return ids(gateway.admin.ok("GET", path, null));
  }

  private static List<Long> ids(JsonObject page) {
    return page.getJsonArray("data").stream().map(a -> ((JsonObject) a).getLong("id")).toList();
  }
}
