package gateway.auth;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.PgDatabase;
import gateway.common.PgUrl;
import gateway.common.bus.AuthBus;
import gateway.common.bus.Principal;
import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AuthVerticleTest {
  private Vertx vertx;
  private AuthConfig config;
  private final List<JsonObject> changes = new ArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    config = AuthConfig.fromEnv(TestServices.env());
    PgDatabase.migrate(config.pg(), AuthVerticle.SCHEMA);
    result(vertx.deployVerticle(new AuthVerticle(config)));
    vertx.eventBus().<JsonObject>consumer(AuthBus.KEYS_CHANGED, m -> changes.add(m.body()));
  }

  @Test
  @DisplayName("a created key verifies to its account, scope and limits; the secret is sk- with 256 random bits")
  void createAndVerify() {
    long account = call(AuthBus.ACCOUNTS_CREATE, new JsonObject().put("name", "acme")).getLong("id");
    JsonObject key = call(AuthBus.KEYS_CREATE, new JsonObject().put("account_id", account).put("name", "ci")
        .put("models", new JsonArray().add("gpt-4o-mini")).put("rpm", 60).put("concurrency", 4));
    String secret = key.getString("key");
    assertThat(secret).startsWith("sk-").hasSize(3 + 43);

    Principal principal = Principal.fromJson(call(AuthBus.VERIFY, new JsonObject().put("key", secret)));
    assertThat(principal.accountId()).isEqualTo(account);
    String hash = java.util.Base64.getEncoder().encodeToString(KeySecret.sha256(secret));
    assertThat(Principal.fromJson(call(AuthBus.VERIFY, new JsonObject().put("key_sha256", hash))).keyId())
        .isEqualTo(principal.keyId());
    assertThat(refusal(new JsonObject().put("key_sha256", "bm90IGEga2V5"))).isEqualTo(401);
    assertThat(principal.models()).containsExactly("gpt-4o-mini");
    assertThat(principal.keyLimits().rpm()).isEqualTo(60);
    assertThat(principal.keyLimits().concurrency()).isEqualTo(4);
  }

  @Test
  @DisplayName("only the SHA-256 of a key is stored: the secret appears nowhere in the database")
  void onlyTheHashIsStored() throws Exception {
    long account = call(AuthBus.ACCOUNTS_CREATE, new JsonObject().put("name", "acme")).getLong("id");
    String secret = call(AuthBus.KEYS_CREATE, new JsonObject().put("account_id", account)
        .put("models", new JsonArray().add("*"))).getString("key");
    PgUrl url = PgUrl.parse(config.pg().url());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         ResultSet rs = c.createStatement().executeQuery("SELECT t::text FROM auth.api_keys t")) {
      while (rs.next()) {
        assertThat(rs.getString(1)).doesNotContain(secret).doesNotContain(secret.substring(10));
      }
    }
  }

  @Test
  @DisplayName("unknown, disabled and expired keys are refused with 401; every change is published")
  void refusals() {
    long account = call(AuthBus.ACCOUNTS_CREATE, new JsonObject().put("name", "acme")).getLong("id");
    JsonObject key = call(AuthBus.KEYS_CREATE, new JsonObject().put("account_id", account)
        .put("models", new JsonArray().add("*")));
    assertThat(refusal(new JsonObject().put("key", "sk-unknown"))).isEqualTo(401);
    assertThat(refusal(new JsonObject())).isEqualTo(401);

    call(AuthBus.KEYS_UPDATE, new JsonObject().put("id", key.getLong("id")).put("disabled", true));
    assertThat(refusal(new JsonObject().put("key", key.getString("key")))).isEqualTo(401);

    call(AuthBus.KEYS_UPDATE, new JsonObject().put("id", key.getLong("id")).put("disabled", false)
        .put("expires_at", "2001-01-01T00:00:00Z"));
    assertThat(refusal(new JsonObject().put("key", key.getString("key")))).isEqualTo(401);

    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> changes.size() >= 3);
    assertThat(changes).allSatisfy(c -> assertThat(c.getLong("key_id")).isEqualTo(key.getLong("id")));
  }

  @Test
  @DisplayName("a key for a missing account, or without models, is refused with the field named")
  void badKeyRequests() {
    ReplyException noAccount = (ReplyException) failure(vertx.eventBus().request(AuthBus.KEYS_CREATE,
        new JsonObject().put("account_id", 4242).put("models", new JsonArray().add("*"))));
    assertThat(noAccount.failureCode()).isEqualTo(404);
    long account = call(AuthBus.ACCOUNTS_CREATE, new JsonObject().put("name", "acme")).getLong("id");
    ReplyException noModels = (ReplyException) failure(vertx.eventBus().request(AuthBus.KEYS_CREATE,
        new JsonObject().put("account_id", account)));
    assertThat(noModels.failureCode()).isEqualTo(400);
    assertThat(noModels.getMessage()).startsWith("missing_field@models");
  }

  @Test
  @DisplayName("the admin token is accepted only when it matches exactly")
  void adminToken() {
    call(AuthBus.ADMIN_VERIFY, new JsonObject().put("token", TestServices.ADMIN_TOKEN));
    assertThat(((ReplyException) failure(vertx.eventBus().request(AuthBus.ADMIN_VERIFY,
        new JsonObject().put("token", TestServices.ADMIN_TOKEN + "x")))).failureCode()).isEqualTo(401);
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  private int refusal(JsonObject body) {
    return ((ReplyException) failure(vertx.eventBus().request(AuthBus.VERIFY, body))).failureCode();
  }
}
