package gateway.auth;

import static gateway.testsupport.Await.failure;
import static gateway.testsupport.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.bus.AuthBus;
import gateway.common.PgDatabase;
import gateway.testsupport.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Users, one-time tokens and owned keys as auth serves them on the bus. */
@ExtendWith(VertxExtension.class)
class UsersTest {
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

  private Vertx vertx;
  private long account;

  @BeforeEach
  void deploy(Vertx vertx) {
    this.vertx = vertx;
    AuthConfig config = AuthConfig.fromEnv(TestServices.env());
    PgDatabase.migrate(config.pg(), AuthVerticle.SCHEMA);
    result(vertx.deployVerticle(new AuthVerticle(config)));
    account = call(AuthBus.ACCOUNTS_CREATE, new JsonObject().put("name", "acme")).getLong("id");
  }

  @Test
  @DisplayName("account users need an account and operators have none; emails are unique whatever their case")
  void rolesAndEmails() {
    assertThat(refusal(AuthBus.USERS_CREATE, new JsonObject().put("email", "a@x.io").put("role", "owner")))
        .contains("account_id");
    assertThat(refusal(AuthBus.USERS_CREATE, new JsonObject().put("email", "a@x.io").put("role", "admin")
        .put("account_id", account))).contains("account_id");
    assertThat(refusal(AuthBus.USERS_CREATE, new JsonObject().put("email", "not-an-email").put("role", "admin")))
        .contains("email");
    JsonObject ann = call(AuthBus.USERS_CREATE, new JsonObject().put("email", "Ann@X.io").put("role", "owner")
        .put("account_id", account));
    assertThat(ann.getString("email")).isEqualTo("ann@x.io");
    assertThat(ann.getBoolean("has_password")).isFalse();
    assertThat(refusal(AuthBus.USERS_CREATE, new JsonObject().put("email", "ANN@x.io").put("role", "member")
        .put("account_id", account))).startsWith("conflict");
    assertThat(refusal(AuthBus.USERS_UPDATE, new JsonObject().put("id", ann.getLong("id")).put("role", "admin")))
        .contains("role");
  }

  @Test
  @DisplayName("only Argon2id hashes are stored; a password change raises the session epoch")
  void onlyArgon2idHashes() {
    long id = call(AuthBus.USERS_CREATE, new JsonObject().put("email", "a@x.io").put("role", "admin")).getLong("id");
    assertThat(refusal(AuthBus.USERS_SET_PASSWORD, new JsonObject().put("id", id).put("password_hash", "plaintext")))
        .contains("password_hash");
    assertThat(refusal(AuthBus.USERS_SET_PASSWORD, new JsonObject().put("id", id)
        .put("password_hash", "5f4dcc3b5aa765d61d8327deb882cf99"))).contains("password_hash");
    JsonObject changed = call(AuthBus.USERS_SET_PASSWORD, new JsonObject().put("id", id).put("password_hash", HASH));
    assertThat(changed.getLong("session_epoch")).isEqualTo(1);
    assertThat(changed.encode()).doesNotContain("argon2id");
    assertThat(call(AuthBus.USERS_CREDENTIALS, new JsonObject().put("email", "A@x.io")).getString("password_hash"))
        .isEqualTo(HASH);
  }

  @Test
  @DisplayName("a one-time token raced by 20 uses is used exactly once; a new token supersedes the old")
  void tokensAreUsedOnce() {
    long id = call(AuthBus.USERS_CREATE, new JsonObject().put("email", "a@x.io").put("role", "owner")
        .put("account_id", account)).getLong("id");
    String first = issue(id);
    String token = issue(id);
    assertThat(refusal(AuthBus.USERS_USE_TOKEN, use(first))).contains("token");

    List<Future<JsonObject>> uses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      uses.add(vertx.eventBus().<JsonObject>request(AuthBus.USERS_USE_TOKEN, use(token)).map(m -> m.body()));
    }
    result(Future.join(uses).otherwiseEmpty());
    assertThat(uses.stream().filter(Future::succeeded).count()).isEqualTo(1);
    assertThat(call(AuthBus.USERS_GET, new JsonObject().put("id", id)).getBoolean("has_password")).isTrue();
  }

  @Test
  @DisplayName("a member reaches only their own keys; keys are bounded by the account's models and limits")
  void ownedKeys() {
    call(AuthBus.ACCOUNTS_UPDATE, new JsonObject().put("id", account).put("rpm", 10)
        .put("models", new JsonArray().add("m1")));
    long member = call(AuthBus.USERS_CREATE, new JsonObject().put("email", "m@x.io").put("role", "member")
        .put("account_id", account)).getLong("id");
    long other = call(AuthBus.USERS_CREATE, new JsonObject().put("email", "o@x.io").put("role", "member")
        .put("account_id", account)).getLong("id");
    long key = call(AuthBus.OWNED_KEYS_CREATE, new JsonObject().put("user_id", member).put("name", "k")
        .put("models", new JsonArray().add("m1")).put("rpm", 5)).getLong("id");
    assertThat(refusal(AuthBus.OWNED_KEYS_GET, new JsonObject().put("user_id", other).put("id", key)))
        .startsWith("not_found");
    assertThat(refusal(AuthBus.OWNED_KEYS_CREATE, new JsonObject().put("user_id", member).put("name", "k")
        .put("models", new JsonArray().add("m2")))).contains("models");
    assertThat(refusal(AuthBus.OWNED_KEYS_UPDATE, new JsonObject().put("user_id", member).put("id", key)
        .put("rpm", 11))).contains("rpm");
    JsonObject updated = call(AuthBus.OWNED_KEYS_UPDATE, new JsonObject().put("user_id", member).put("id", key)
        .put("vouchers_only", true).put("name", "renamed"));
    assertThat(updated.getBoolean("vouchers_only")).as("the voucher binding is the operator's").isFalse();
    call(AuthBus.OWNED_KEYS_DELETE, new JsonObject().put("user_id", member).put("id", key));
    assertThat(call(AuthBus.OWNED_KEYS_LIST, new JsonObject().put("user_id", member)).getJsonArray("data")).isEmpty();
    assertThat(call(AuthBus.OWNED_KEYS_LIST, new JsonObject().put("user_id", member).put("include_deleted", true))
        .getJsonArray("data")).hasSize(1);
  }

  private String issue(long userId) {
    return call(AuthBus.USERS_ISSUE_TOKEN, new JsonObject().put("user_id", userId).put("purpose", "invitation")
        .put("ttl_seconds", 3600)).getString("token");
  }

  private static JsonObject use(String token) {
    return new JsonObject().put("token_sha256", Base64.getEncoder().encodeToString(KeySecret.sha256(token)))
        .put("purpose", "invitation").put("password_hash", HASH);
  }

  private JsonObject call(String address, JsonObject body) {
    return result(vertx.eventBus().<JsonObject>request(address, body)).body();
  }

  private String refusal(String address, JsonObject body) {
    Throwable failure = failure(vertx.eventBus().request(address, body));
    assertThat(failure).isInstanceOf(ReplyException.class);
    return failure.getMessage();
  }
}
