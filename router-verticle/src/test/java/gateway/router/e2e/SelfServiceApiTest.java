package gateway.router.e2e;

import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The self-service API's contract and calls: its document, validation, keys, usage, money. */
@ExtendWith(VertxExtension.class)
class SelfServiceApiTest {
  private Vertx vertx;
  private GatewayUnderTest gateway;
  private long account;
  private SelfServiceClient owner;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_REDEEM_MAX_FAILURES", 3));
    gateway.openAiModel("model-a", "a", GatewayUnderTest.price("1", "2", null));
    gateway.openAiModel("model-b", "b", GatewayUnderTest.price("1", "2", null));
    account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
    owner = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
  }

  @Test
  @DisplayName("a query value with a broken percent-escape is a 400 naming the parameter, not a complaint about a body")
  void brokenEscapeInQuery() {
    try (PeerClient peer = new PeerClient(vertx, "127.0.0.1", gateway.config.httpPort()).begin()) {
      assertThat(peer.login("ann@example.com", SelfServiceUsers.PASSWORD).status()).isEqualTo(200);
      for (String query : List.of("model=50%", "model=a%zz", "key_id=%", "from=2026-01-01%2")) {
        PeerClient.Reply reply = peer.send(io.vertx.core.http.HttpMethod.GET, "/api/usage?" + query, null);
        assertThat(reply.status()).as(query + ": " + reply.body()).isEqualTo(400);
        String parameter = query.substring(0, query.indexOf('='));
        assertThat(reply.error().getString("param")).as(query).isEqualTo(parameter);
        assertThat(reply.error().getString("message")).as(query).contains(parameter).doesNotContain("JSON");
      }
      for (String path : List.of("/api/keys/%zz", "/api/keys/5%", "/api/videos/%")) {
        PeerClient.Reply reply = peer.send(io.vertx.core.http.HttpMethod.GET, path, null);
        assertThat(reply.status()).as(path + ": " + reply.body()).isBetween(400, 499);
      }
      // The same on the OpenAI and Anthropic endpoints, each in its own error shape, before the key is asked for.
      PeerClient.Reply openAi = peer.send(io.vertx.core.http.HttpMethod.GET, "/v1/models?after=%", null);
      assertThat(openAi.status()).isEqualTo(400);
      assertThat(openAi.error().getString("param")).isEqualTo("after");
      PeerClient.Reply anthropic = peer.send(io.vertx.core.http.HttpMethod.POST, "/v1/messages?beta=%zz",
          new JsonObject());
      assertThat(anthropic.status()).isEqualTo(400);
      assertThat(anthropic.body().getString("type")).isEqualTo("error");
      assertThat(anthropic.error().getString("type")).isEqualTo("invalid_request_error");
      assertThat(anthropic.error().getString("message")).contains("beta");
    }
  }

  @Test
  @DisplayName("the OpenAPI document is served at /api/openapi.json and is a valid OpenAPI 3.1 contract naming every call")
  void documentParsesAndValidates() {
    SelfServiceClient anonymous = new SelfServiceClient(gateway.baseUrl());
    SelfServiceClient.Reply served = anonymous.get("/api/openapi.json");
    assertThat(served.status()).isEqualTo(200);
    JsonObject document = served.body();
    assertThat(document.getString("openapi")).startsWith("3.1");
    assertThat(document.getJsonArray("servers").getJsonObject(0).getString("url")).isEqualTo("/api");
    // vertx-openapi validates the document against the OpenAPI 3.1 meta-schema while parsing it.
    JsonObject parseable = document.copy().put("servers", new JsonArray().add(new JsonObject()
        .put("url", "http://localhost/api")));
    parseable.getJsonObject("paths").getJsonObject("/usage/export.csv").getJsonObject("get")
        .getJsonObject("responses").getJsonObject("200").remove("content");
    OpenAPIContract contract = result(OpenAPIContract.from(vertx, parseable));
    List<String> operations = new ArrayList<>();
    contract.operations().forEach(op -> operations.add(op.getOperationId()));
    assertThat(operations).contains("login", "logout", "me", "accountOverview", "listKeys", "createKey", "updateKey",
        "deleteKey", "regenerateKey", "listUsage", "usageTotals", "exportUsage", "redeemCode", "listVouchers",
        "listRedemptions", "listModels", "acceptInvitation", "resetPassword", "signUp", "changePassword",
        "listVideos");
    assertThat(document.getJsonObject("paths").fieldNames()).allMatch(path -> !path.startsWith("/api"));
    SelfServiceClient.Reply unknown = owner.get("/api/no-such-call");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error().getString("code")).isEqualTo("not_found");
  }

  @Test
  @DisplayName("a malformed request is a 400 in the error shape naming the field, before any work is done")
  void malformedRequestsNameTheField() {
    assertField(owner.post("/api/keys", new JsonObject().put("models", new JsonArray().add("*"))), "name",
        "missing_field");
    assertField(owner.post("/api/keys", new JsonObject().put("name", "x").put("models", new JsonArray().add("*"))
        .put("rpm", "sixty")), "rpm", "invalid_value");
    assertField(owner.post("/api/keys", new JsonObject().put("name", "x").put("models", new JsonArray())),
        "models", "invalid_value");
    assertField(owner.post("/api/keys", new JsonObject().put("name", "x").put("models", new JsonArray().add(7))),
        "models", "invalid_value");
    assertField(owner.get("/api/usage?limit=lots"), "limit", "invalid_value");
    assertField(owner.get("/api/usage?limit=5000"), "limit", "invalid_value");
    assertField(owner.get("/api/usage/totals?group_by=week"), "group_by", "invalid_value");
    assertField(owner.get("/api/usage/totals"), "group_by", "missing_field");
    assertField(owner.get("/api/keys/abc"), "id", "invalid_value");
    assertField(owner.get("/api/usage?from=yesterday"), "from", "invalid_value");
    SelfServiceClient.Reply empty = owner.patch("/api/keys/1", new JsonObject());
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.error().getString("code")).isEqualTo("invalid_value");
    assertThat(empty.error().getString("message")).startsWith("The request body is invalid");
    SelfServiceClient.Reply notJson = owner.send("POST", "/api/keys", "{not json", "application/json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.error().getString("code")).isEqualTo("invalid_json");
    assertThat(notJson.raw().body()).doesNotContain("Exception");
    assertThat(owner.ok("GET", "/api/keys", null).getJsonArray("data")).isEmpty();
  }

  @Test
  @DisplayName("keys: create (secret once), rename, disable and enable, expiry, limits within the account's, regenerate, delete")
  void keyLifecycle() {
    gateway.admin.ok("PATCH", "/admin/accounts/" + account, new JsonObject().put("rpm", 100)
        .put("models", new JsonArray().add("model-a").add("model-b")));
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
    SelfServiceClient.Reply created = owner.post("/api/keys", new JsonObject().put("name", "laptop")
        .put("models", new JsonArray().add("model-a")).put("rpm", 60));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.body().getString("key");
    long id = created.body().getLong("id");
    assertThat(secret).startsWith("sk-");
    assertThat(owner.ok("GET", "/api/keys/" + id, null).containsKey("key")).isFalse();
    assertThat(owner.get("/api/keys").raw().body()).doesNotContain(secret);
    assertThat(chat(secret, "model-a")).isTrue();
    assertThat(chat(secret, "model-b")).isFalse();

    assertField(owner.post("/api/keys", new JsonObject().put("name", "x").put("models", new JsonArray().add("other"))),
        "models", "invalid_value");
    assertField(owner.post("/api/keys", new JsonObject().put("name", "x").put("models", new JsonArray().add("*"))),
        "models", "invalid_value");
    assertField(owner.patch("/api/keys/" + id, new JsonObject().put("rpm", 101)), "rpm", "invalid_value");

    JsonObject renamed = owner.ok("PATCH", "/api/keys/" + id, new JsonObject().put("name", "desktop")
        .put("models", new JsonArray().add("model-a").add("model-b")).put("expires_at", "2099-01-01T00:00:00Z"));
    assertThat(renamed.getString("name")).isEqualTo("desktop");
    assertThat(renamed.getString("expires_at")).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(renamed.getInteger("rpm")).isEqualTo(60);
    assertThat(chat(secret, "model-b")).isTrue();

    owner.ok("PATCH", "/api/keys/" + id, new JsonObject().put("disabled", true));
    assertThat(chat(secret, "model-a")).isFalse();
    owner.ok("PATCH", "/api/keys/" + id, new JsonObject().put("disabled", false));
    assertThat(chat(secret, "model-a")).isTrue();

    String fresh = owner.ok("POST", "/api/keys/" + id + "/regenerate", null).getString("key");
    assertThat(fresh).isNotEqualTo(secret);
    assertThat(chat(secret, "model-a")).isFalse();
    assertThat(chat(fresh, "model-a")).isTrue();

    assertThat(owner.delete("/api/keys/" + id).status()).isEqualTo(204);
    assertThat(chat(fresh, "model-a")).isFalse();
    assertThat(owner.ok("GET", "/api/keys", null).getJsonArray("data")).isEmpty();
    assertThat(owner.delete("/api/keys/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("keys: q searches names and prefixes (case-insensitive), paged like the whole list; a q past 100 characters is a 400")
  void keySearch() {
    gateway.admin.ok("PATCH", "/admin/accounts/" + account, new JsonObject()
        .put("models", new JsonArray().add("model-a")));
    java.util.List<Long> ids = new java.util.ArrayList<>();
    for (String name : java.util.List.of("CI runner", "laptop", "ci-nightly", "100%_done")) {
      ids.add(owner.post("/api/keys", new JsonObject().put("name", name).put("models", new JsonArray().add("model-a")))
          .body().getLong("id"));
    }
    JsonObject found = owner.ok("GET", "/api/keys?q=ci", null);
    assertThat(found.getJsonArray("data").stream().map(k -> ((JsonObject) k).getString("name")))
        .containsExactly("ci-nightly", "CI runner");
    JsonObject firstPage = owner.ok("GET", "/api/keys?q=ci&limit=1", null);
    assertThat(firstPage.getJsonArray("data")).hasSize(1);
    JsonObject secondPage = owner.ok("GET", "/api/keys?q=ci&limit=1&before_id=" + firstPage.getLong("next_before_id"), null);
    assertThat(secondPage.getJsonArray("data").getJsonObject(0).getString("name")).isEqualTo("CI runner");
    assertThat(owner.ok("GET", "/api/keys?q=_do", null).getJsonArray("data").stream()
        .map(k -> ((JsonObject) k).getString("name"))).as("_ matches itself").containsExactly("100%_done");
    String prefix = owner.ok("GET", "/api/keys/" + ids.get(1), null).getString("prefix").replace("…", "");
    assertThat(owner.ok("GET", "/api/keys?q=" + prefix, null).getJsonArray("data").stream()
        .map(k -> ((JsonObject) k).getLong("id"))).contains(ids.get(1));
    assertField(owner.get("/api/keys?q=" + "x".repeat(101)), "q", "invalid_value");
  }

  @Test
  @DisplayName("usage is keyset-paged by cursor, filtered by key, model and time, and totalled per day, model and key")
  void usagePagesAndTotals() {
    long key = owner.ok("POST", "/api/keys", new JsonObject().put("name", "k").put("models", new JsonArray().add("*")))
        .getLong("id");
    gateway.sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome,"
        + " created_at) SELECT 'r' || lpad(g::text, 3, '0'), " + account + ", ?, CASE WHEN g % 2 = 0 THEN 'model-a' "
        + "ELSE 'model-b' END, 1000, 1000, 'completed', timestamptz '2026-03-01T00:00:00Z' + g * interval '1 hour' "
        + "FROM generate_series(1, 45) g RETURNING 1", key);

    List<String> seen = new ArrayList<>();
    String path = "/api/usage?limit=10";
    for (int page = 0; page < 10 && path != null; page++) {
      JsonObject body = owner.ok("GET", path, null);
      body.getJsonArray("data").forEach(row -> seen.add(((JsonObject) row).getString("request_id")));
      String cursor = body.getString("next_cursor");
      path = cursor == null ? null : "/api/usage?limit=10&cursor=" + cursor;
    }
    assertThat(seen).hasSize(45).doesNotHaveDuplicates().startsWith("r045", "r044");
    assertThat(new HashSet<>(seen)).hasSize(45);

    JsonObject filtered = owner.ok("GET", "/api/usage?model=model-a&key_id=" + key
        + "&from=2026-03-01T10:00:00Z&until=2026-03-01T20:00:00Z", null);
    assertThat(filtered.getJsonArray("data").stream().map(r -> ((JsonObject) r).getString("request_id")))
        .containsExactly("r018", "r016", "r014", "r012", "r010");

    JsonObject byModel = owner.ok("GET", "/api/usage/totals?group_by=model", null);
    assertThat(byModel.getJsonArray("data")).hasSize(2);
    assertThat(byModel.getJsonObject("total").getValue("cost_credits").toString()).isEqualTo("0.045");
    JsonObject byDay = owner.ok("GET", "/api/usage/totals?group_by=day", null);
    assertThat(byDay.getJsonArray("data").getJsonObject(0).getString("day")).isEqualTo("2026-03-01");
    assertThat(byDay.getJsonArray("data").getJsonObject(0).getLong("requests")).isEqualTo(23);
    JsonObject byKey = owner.ok("GET", "/api/usage/totals?group_by=key", null);
    assertThat(byKey.getJsonArray("data").getJsonObject(0).getLong("key_id")).isEqualTo(key);
  }

  @Test
  @DisplayName("redeeming through the API credits the account once; the overview, vouchers and redemptions show it")
  void redeemEndToEnd() {
    JsonObject batch = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "launch")
        .put("count", 2).put("amount_credits", 3).put("voucher", new JsonObject()
            .put("models", new JsonArray().add("model-*")).put("valid_days", 30)));
    String code = batch.getJsonArray("codes").getString(0);
    JsonObject cash = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "cash")
        .put("count", 1).put("amount_credits", "1.5"));

    JsonObject redeemed = owner.ok("POST", "/api/redeem", new JsonObject().put("code", code.toLowerCase()));
    assertThat(redeemed.getString("kind")).isEqualTo("voucher");
    SelfServiceClient.Reply again = owner.post("/api/redeem", new JsonObject().put("code", code));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.error().getString("param")).isEqualTo("code");
    owner.ok("POST", "/api/redeem", new JsonObject().put("code", cash.getJsonArray("codes").getString(0)));

    JsonObject overview = owner.ok("GET", "/api/account", null);
    assertThat(overview.getValue("balance_credits").toString()).isEqualTo("1.5");
    assertThat(overview.getValue("voucher_available_credits").toString()).isEqualTo("3");
    assertThat(overview.getJsonArray("vouchers")).hasSize(1);
    assertThat(overview.getValue("spend_month_credits").toString()).isEqualTo("0");
    JsonArray vouchers = owner.ok("GET", "/api/vouchers", null).getJsonArray("data");
    assertThat(vouchers.getJsonObject(0).getString("source")).isEqualTo("redemption");
    assertThat(vouchers.getJsonObject(0).getString("expires_at")).isNotNull();
    assertThat(owner.ok("GET", "/api/redemptions", null).getJsonArray("data")).hasSize(2);
    assertThat(gateway.sql("SELECT count(*) FROM billing.ledger WHERE account_id = ? AND kind IN "
        + "('redemption', 'voucher_grant')", account)).isEqualTo(2);
  }

  @Test
  @DisplayName("guessing codes is locked after 3 failures per account (429), even for a good code")
  void redeemGuessesAreLimited() {
    String good = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "launch")
        .put("count", 1).put("amount_credits", 1)).getJsonArray("codes").getString(0);
    for (int i = 0; i < 3; i++) {
      assertThat(owner.post("/api/redeem", new JsonObject().put("code", "AAAAA-BBBBB-CCCCC-DDDD" + i)).status())
          .isEqualTo(400);
    }
    SelfServiceClient.Reply locked = owner.post("/api/redeem", new JsonObject().put("code", good));
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.raw().headers().firstValue("retry-after")).isPresent();
    assertThat(gateway.sql("SELECT count(*) FROM billing.redemptions WHERE account_id = ?", account)).isZero();
  }

  @Test
  @DisplayName("after a request is charged the overview's spend today and this month are its cost, to the micro-credit")
  void overviewShowsWhatWasSpent() {
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
    String key = owner.ok("POST", "/api/keys", new JsonObject().put("name", "k")
        .put("models", new JsonArray().add("model-a"))).getString("key");
    JsonObject before = owner.ok("GET", "/api/account", null);
    assertThat(micros(before.getValue("spend_today_credits"))).isZero();
    assertThat(micros(before.getValue("spend_month_credits"))).isZero();

    // model-a costs 1 credit per million input tokens and 2 per million output: 1,000 + 2 x 2,000 micro-credits.
    gateway.fake.script("a", Behavior.reply("ok").usage(1_000, 2_000));
    assertThat(chat(key, "model-a")).isTrue();
    gateway.awaitBalance(account, 10_000_000 - 5_000);

    JsonObject after = owner.ok("GET", "/api/account", null);
    assertThat(micros(after.getValue("spend_today_credits"))).isEqualTo(5_000);
    assertThat(micros(after.getValue("spend_month_credits"))).isEqualTo(5_000);
    assertThat(micros(after.getValue("balance_credits"))).isEqualTo(10_000_000 - 5_000);
    assertThat(gateway.ledgerChargesMicros(account)).isEqualTo(5_000);
  }

  @Test
  @DisplayName("a self-service key past its expiry is refused on /v1 with a 401 in OpenAI's shape, though it was cached "
      + "a moment before")
  void expiredKeyIsRefused() {
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
    JsonObject created = owner.ok("POST", "/api/keys", new JsonObject().put("name", "ci")
        .put("models", new JsonArray().add("model-a")).put("expires_at", "2099-01-01T00:00:00Z"));
    String key = created.getString("key");
    RawHttp v1 = new RawHttp(gateway.v1());
    String hello = new JsonObject().put("model", "model-a").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    assertThat(v1.post("/chat/completions", key, hello).statusCode()).isEqualTo(200);

    owner.ok("PATCH", "/api/keys/" + created.getLong("id"), new JsonObject().put("expires_at", "2020-01-01T00:00:00Z"));
    // Every router drops its cached copy on the change event, which may trail the PATCH's answer by a moment.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
        assertExpired(v1.post("/chat/completions", key, hello)));

    String bornExpired = owner.ok("POST", "/api/keys", new JsonObject().put("name", "old")
        .put("models", new JsonArray().add("model-a")).put("expires_at", "2020-01-01T00:00:00Z")).getString("key");
    assertExpired(v1.post("/chat/completions", bornExpired, hello));
    // Only the request made before the expiry is on the books; the refused ones are not even failed rows.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        gateway.usageRowCount(account) == 1);
    assertThat(gateway.sql("SELECT count(*) FROM billing.usage WHERE account_id = ? AND outcome <> 'completed'",
        account)).isZero();
  }

  private static void assertExpired(java.net.http.HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
    JsonObject error = RawHttp.error(response);
    assertThat(error.getString("type")).isEqualTo("authentication_error");
    assertThat(error.getString("code")).isEqualTo("invalid_api_key");
    assertThat(error.getString("message")).contains("expired");
    assertThat(error.containsKey("param")).isTrue();
  }

  /** Credits as the API shows them, in micro-credits. */
  private static long micros(Object credits) {
    return new java.math.BigDecimal(String.valueOf(credits)).movePointRight(6).longValueExact();
  }

  @Test
  @DisplayName("the model catalog with prices is what GET /v1/models gives")
  void modelCatalog() {
    JsonObject models = new SelfServiceClient(gateway.baseUrl()).get("/api/models").body();
    JsonObject v1 = new JsonObject(new RawHttp(gateway.v1()).get("/models", null).body());
    assertThat(models).isEqualTo(v1);
    assertThat(models.getJsonArray("data")).hasSize(2);
  }

  private boolean chat(String key, String model) {
    try {
      gateway.sdk(key).chat().completions().create(ChatCompletionCreateParams.builder().model(model)
          .addUserMessage("hi").maxCompletionTokens(16).build());
      return true;
    } catch (com.openai.errors.OpenAIServiceException e) {
      assertThat(e.statusCode()).isIn(401, 403);
      return false;
    }
  }

  private static void assertField(SelfServiceClient.Reply reply, String param, String code) {
    assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
    assertThat(reply.error().getString("param")).as(reply.raw().body()).isEqualTo(param);
    assertThat(reply.error().getString("code")).as(reply.raw().body()).isEqualTo(code);
    assertThat(reply.error().getString("type")).isEqualTo("invalid_request_error");
    assertThat(reply.error().getString("message")).isNotBlank();
  }
}
