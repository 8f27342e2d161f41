package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.models.Model;
import gateway.router.e2e.GatewayUnderTest.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model list, public and per key, and the admin API's contract. */
@ExtendWith(VertxExtension.class)
class ModelsAndAdminTest {
  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel("model-a", "a", GatewayUnderTest.price("15", "60", "7.5"));
    gateway.openAiModel("model-b", "b", GatewayUnderTest.price("1", "2", null));
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("without a key, /v1/models is the public catalog with prices, type and context length")
  void publicCatalog() {
    HttpResponse<String> response = http.get("/models", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonArray data = new JsonObject(response.body()).getJsonArray("data");
    assertThat(data).hasSize(2);
    JsonObject a = data.getJsonObject(0);
    assertThat(a.getString("id")).isEqualTo("model-a");
    assertThat(a.getString("object")).isEqualTo("model");
    assertThat(a.getString("model_type")).isEqualTo("llm");
    assertThat(a.getInteger("context_length")).isEqualTo(128000);
    assertThat(a.getJsonObject("pricing").getValue("input_per_mtok").toString()).isEqualTo("15");
    assertThat(a.getJsonObject("pricing").getValue("cache_read_per_mtok").toString()).isEqualTo("7.5");
  }

  @Test
  @DisplayName("with a key, /v1/models lists only the models that key may call, as the SDK reads them")
  void scopedCatalog() {
    Customer customer = gateway.customer("1", "model-b");
    List<Model> models = gateway.sdk(customer.key()).models().list().data();
    assertThat(models).extracting(Model::id).containsExactly("model-b");
    assertThat(http.get("/models", "sk-wrong").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("GET /admin/models/{alias} answers one model as the list shows it, and 404 naming alias for none")
  void oneModel() {
    JsonObject listed = gateway.admin.ok("GET", "/admin/models", null).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("alias").equals("model-b")).findFirst().orElseThrow();
    assertThat(gateway.admin.ok("GET", "/admin/models/model-b", null)).isEqualTo(listed);
    AdminClient.Reply missing = gateway.admin.send("GET", "/admin/models/model-z", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().getJsonObject("error").getString("code")).isEqualTo("model_not_found");
    assertThat(missing.body().getJsonObject("error").getString("param")).isEqualTo("alias");
  }

  @Test
  @DisplayName("the full key is shown only when created; lists show its prefix")
  void keyShownOnce() {
    Customer customer = gateway.customer("1", "model-a");
    JsonArray keys = gateway.admin.ok("GET", "/admin/accounts/" + customer.accountId() + "/keys", null)
        .getJsonArray("data");
    assertThat(keys).hasSize(1);
    JsonObject listed = keys.getJsonObject(0);
    assertThat(listed.containsKey("key")).isFalse();
    assertThat(customer.key()).startsWith(listed.getString("prefix").replace("…", ""));
    assertThat(keys.encode()).doesNotContain(customer.key());
  }

  @Test
  @DisplayName("top-ups are exact to the micro-credit and idempotent on their key")
  void topUpsAreExactAndIdempotent() {
    long id = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
    JsonObject first = gateway.admin.ok("POST", "/admin/accounts/" + id + "/credits",
        new JsonObject().put("amount_credits", 12.345678).put("idempotency_key", "invoice-7"));
    JsonObject again = gateway.admin.ok("POST", "/admin/accounts/" + id + "/credits",
        new JsonObject().put("amount_credits", 12.345678).put("idempotency_key", "invoice-7"));
    assertThat(first.getValue("balance_credits").toString()).isEqualTo("12.345678");
    assertThat(again.getBoolean("replayed")).isTrue();
    assertThat(gateway.account(id).getValue("balance_credits").toString()).isEqualTo("12.345678");
    assertThat(gateway.balanceMicros(id)).isEqualTo(12_345_678);

    AdminClient.Reply tooPrecise = gateway.admin.send("POST", "/admin/accounts/" + id + "/credits",
        new JsonObject().put("amount_credits", "0.0000001"));
    assertThat(tooPrecise.status()).isEqualTo(400);
    assertThat(tooPrecise.body().getJsonObject("error").getString("param")).isEqualTo("amount_credits");
    assertThat(gateway.admin.send("POST", "/admin/accounts/99999/credits",
        new JsonObject().put("amount_credits", 1)).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a PUT that leaves out a billable model's price is a 400 on 'price' and changes nothing; free: true is free")
  void billableModelsNeedAPrice() {
    JsonObject routes = new JsonObject().put("routes", new JsonArray()
        .add(new JsonObject().put("channel", "fake-openai").put("model", "a")));
    AdminClient.Reply noPrice = gateway.admin.send("PUT", "/admin/models/model-a", routes.copy());
    assertThat(noPrice.status()).isEqualTo(400);
    assertThat(noPrice.body().getJsonObject("error").getString("param")).isEqualTo("price");
    AdminClient.Reply inputOnly = gateway.admin.send("PUT", "/admin/models/model-a", routes.copy()
        .put("price", new JsonObject().put("input_per_mtok", 1)));
    assertThat(inputOnly.status()).isEqualTo(400);
    assertThat(inputOnly.body().getJsonObject("error").getString("param")).isEqualTo("price");

    Customer customer = gateway.customer("1", "model-a", "house");
    String hello = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> priced = http.post("/chat/completions", customer.key(), hello.formatted("model-a"));
    assertThat(priced.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(priced.body()).getJsonObject("usage").getValue("cost").toString()).isNotEqualTo("0");

    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(1));
    long before = gateway.usageCostMicros(customer.accountId());
    assertThat(before).isPositive();

    gateway.admin.ok("PUT", "/admin/models/house", routes.copy().put("free", true));
    HttpResponse<String> free = http.post("/chat/completions", customer.key(), hello.formatted("house"));
    assertThat(free.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(free.body()).getJsonObject("usage").getValue("cost").toString()).isEqualTo("0");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(gateway.usageRowCount(customer.accountId())).isEqualTo(2));
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(before);
  }

  @Test
  @DisplayName("a channel's api key is stored but never shown back")
  void channelKeyNeverShown() {
    JsonObject view = gateway.admin.ok("PUT", "/admin/channels/secret-channel", new JsonObject()
        .put("type", "openai").put("base_url", "https://api.example.com/v1").put("api_key", "sk-very-secret"));
    assertThat(view.getBoolean("api_key_set")).isTrue();
    assertThat(view.encode()).doesNotContain("sk-very-secret");
    assertThat(gateway.admin.ok("GET", "/admin/channels", null).encode()).doesNotContain("sk-very-secret");
  }

  @Test
  @DisplayName("bad admin input gets a 400 naming the field; a wrong admin token a 401")
  void adminInputIsChecked() {
    AdminClient.Reply unknownChannel = gateway.admin.send("PUT", "/admin/models/x", new JsonObject()
        .put("price", GatewayUnderTest.price("1", "2", null))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "nope"))));
    assertThat(unknownChannel.status()).isEqualTo(400);
    assertThat(unknownChannel.body().getJsonObject("error").getString("param")).isEqualTo("routes");

    AdminClient.Reply badUrl = gateway.admin.send("PUT", "/admin/channels/c", new JsonObject()
        .put("type", "openai").put("base_url", "not a url"));
    assertThat(badUrl.status()).isEqualTo(400);
    assertThat(badUrl.body().getJsonObject("error").getString("param")).isEqualTo("base_url");

    AdminClient.Reply noModels = gateway.admin.send("POST", "/admin/accounts/1/keys", new JsonObject());
    assertThat(noModels.status()).isIn(400, 404);

    AdminClient intruder = new AdminClient(gateway.baseUrl(), "wrong-token");
    assertThat(intruder.send("GET", "/admin/models", null).status()).isEqualTo(401);
  }
}
