package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whose data a user reaches: a member their own keys and their usage, an owner the account's, nobody
 * another account's. Every self-service call is tried with the other users' ids.
 */
@ExtendWith(VertxExtension.class)
class SelfServiceIsolationTest {
  private GatewayUnderTest gateway;
  private long accountA;
  private long accountB;
  private SelfServiceClient ownerA;
  private SelfServiceClient member1;
  private SelfServiceClient member2;
  private SelfServiceClient ownerB;
  private long key1;
  private long key2;
  private long keyOwnerA;
  private long keyAdminA;
  private long keyB;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    accountA = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "a")).getLong("id");
    accountB = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "b")).getLong("id");
    ownerA = SelfServiceUsers.signedIn(gateway, accountA, "owner-a@example.com", "owner");
    member1 = SelfServiceUsers.signedIn(gateway, accountA, "member1@example.com", "member");
    member2 = SelfServiceUsers.signedIn(gateway, accountA, "member2@example.com", "member");
    ownerB = SelfServiceUsers.signedIn(gateway, accountB, "owner-b@example.com", "owner");
    key1 = createKey(member1, "m1");
    key2 = createKey(member2, "m2");
    keyOwnerA = createKey(ownerA, "oa");
    keyB = createKey(ownerB, "ob");
    keyAdminA = gateway.admin.ok("POST", "/admin/accounts/" + accountA + "/keys",
        new JsonObject().put("name", "by-admin").put("models", new JsonArray().add("*"))).getLong("id");
    usageRows(accountA, key1, "m1-");
    usageRows(accountA, key2, "m2-");
    usageRows(accountA, keyOwnerA, "oa-");
    usageRows(accountB, keyB, "ob-");
  }

  @Test
  @DisplayName("a member sees and manages only their own keys: every call on another's key is a 404")
  void memberReachesOnlyOwnKeys() {
    assertThat(keyIds(member1)).containsExactly(key1);
    for (long other : new long[] {key2, keyOwnerA, keyAdminA, keyB}) {
      assertAllKeyCallsRefused(member1, other);
    }
    assertThat(gateway.sql("SELECT count(*) FROM auth.api_keys WHERE (disabled OR deleted_at IS NOT NULL) AND ? = 0", 0))
        .isZero();
  }

  @Test
  @DisplayName("an owner manages every key of the account (the operator's too) and none of another account")
  void ownerReachesTheAccountsKeys() {
    assertThat(keyIds(ownerA)).containsExactlyInAnyOrder(key1, key2, keyOwnerA, keyAdminA);
    assertAllKeyCallsRefused(ownerA, keyB);
    assertAllKeyCallsRefused(ownerB, key1);
    assertThat(ownerA.ok("PATCH", "/api/keys/" + key2, new JsonObject().put("disabled", true))
        .getBoolean("disabled")).isTrue();
  }

  @Test
  @DisplayName("usage rows, totals and the export hold only what the user may see; another's key_id is a 404")
  void usageIsScoped() {
    assertThat(requestIds(member1.ok("GET", "/api/usage", null))).allMatch(id -> id.startsWith("m1-")).hasSize(3);
    assertThat(member1.ok("GET", "/api/usage/totals?group_by=key", null).getJsonArray("data")).hasSize(1);
    assertThat(exportedIds(member1)).allMatch(id -> id.startsWith("m1-")).hasSize(3);
    for (long other : new long[] {key2, keyOwnerA, keyB}) {
      for (String path : List.of("/api/usage?key_id=", "/api/usage/totals?group_by=day&key_id=",
          "/api/usage/export.csv?key_id=")) {
        SelfServiceClient.Reply refused = member1.get(path + other);
        assertThat(refused.status()).as(path + other).isEqualTo(404);
        assertThat(refused.error().getString("param")).isEqualTo("key_id");
      }
    }
    assertThat(requestIds(ownerA.ok("GET", "/api/usage", null))).hasSize(9).noneMatch(id -> id.startsWith("ob-"));
    assertThat(ownerA.get("/api/usage?key_id=" + keyB).status()).isEqualTo(404);
    assertThat(exportedIds(ownerB)).hasSize(3).allMatch(id -> id.startsWith("ob-"));
  }

  @Test
  @DisplayName("a deleted key is gone from lists and calls but its usage stays the member's")
  void deletedKeysKeepTheirUsage() {
    assertThat(member1.delete("/api/keys/" + key1).status()).isEqualTo(204);
    assertThat(keyIds(member1)).isEmpty();
    assertThat(member1.get("/api/keys/" + key1).status()).isEqualTo(404);
    assertThat(requestIds(member1.ok("GET", "/api/usage?key_id=" + key1, null))).hasSize(3);
    assertThat(requestIds(member2.ok("GET", "/api/usage", null))).allMatch(id -> id.startsWith("m2-"));
  }

  @Test
  @DisplayName("account, vouchers and redemptions are the caller's account's only; scope cannot be smuggled in")
  void accountDataIsTheCallersOnly() {
    gateway.admin.ok("POST", "/admin/accounts/" + accountA + "/credits", new JsonObject().put("amount_credits", 5));
    gateway.admin.ok("POST", "/admin/accounts/" + accountA + "/vouchers", new JsonObject().put("amount_credits", 2)
        .put("models", new JsonArray().add("*")));
    String code = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "promo").put("count", 1)
        .put("amount_credits", 1)).getJsonArray("codes").getString(0);
    member1.ok("POST", "/api/redeem", new JsonObject().put("code", code));

    assertThat(ownerB.ok("GET", "/api/account", null).getLong("id")).isEqualTo(accountB);
    assertThat(ownerB.ok("GET", "/api/account", null).getValue("balance_credits").toString()).isEqualTo("0");
    assertThat(ownerB.ok("GET", "/api/vouchers", null).getJsonArray("data")).isEmpty();
    assertThat(ownerB.ok("GET", "/api/redemptions", null).getJsonArray("data")).isEmpty();
    assertThat(member2.ok("GET", "/api/redemptions", null).getJsonArray("data")).hasSize(1);
    assertThat(member2.ok("GET", "/api/account", null).getValue("balance_credits").toString()).isEqualTo("6");

    SelfServiceClient.Reply smuggled = member1.post("/api/keys", new JsonObject().put("name", "x")
        .put("models", new JsonArray().add("*")).put("user_id", SelfServiceUsers.userId(member2)));
    assertThat(smuggled.status()).isEqualTo(400);
    assertThat(smuggled.error().getString("param")).isEqualTo("user_id");
    SelfServiceClient.Reply otherAccount = member1.post("/api/keys", new JsonObject().put("name", "x")
        .put("models", new JsonArray().add("*")).put("account_id", accountB));
    assertThat(otherAccount.status()).isEqualTo(400);
    assertThat(otherAccount.error().getString("param")).isEqualTo("account_id");
  }

  @Test
  @DisplayName("operators have no account: the account calls are a 403 for them; account users cannot use the admin API")
  void operatorsAndAccountUsersStayApart() {
    SelfServiceClient operator = SelfServiceUsers.signedIn(gateway, null, "ops@example.com", "admin");
    for (String path : List.of("/api/account", "/api/keys", "/api/usage", "/api/vouchers", "/api/redemptions")) {
      SelfServiceClient.Reply refused = operator.get(path);
      assertThat(refused.status()).as(path).isEqualTo(403);
    }
    assertThat(operator.ok("GET", "/api/me", null).getValue("account")).isNull();
    SelfServiceClient.Reply customerOnAdmin = ownerA.get("/admin/accounts/" + accountA);
    assertThat(customerOnAdmin.status()).isEqualTo(403);
  }

  private void assertAllKeyCallsRefused(SelfServiceClient client, long key) {
    List<SelfServiceClient.Reply> replies = List.of(
        client.get("/api/keys/" + key),
        client.patch("/api/keys/" + key, new JsonObject().put("name", "stolen")),
        client.patch("/api/keys/" + key, new JsonObject().put("disabled", true)),
        client.post("/api/keys/" + key + "/regenerate", null),
        client.delete("/api/keys/" + key));
    for (SelfServiceClient.Reply reply : replies) {
      assertThat(reply.status()).as(reply.raw().request().method() + " " + reply.raw().uri()).isEqualTo(404);
      assertThat(reply.raw().body()).doesNotContain("stolen");
    }
  }

  private static long createKey(SelfServiceClient client, String name) {
    return client.ok("POST", "/api/keys", new JsonObject().put("name", name).put("models", new JsonArray().add("*")))
        .getLong("id");
  }

  private static List<Long> keyIds(SelfServiceClient client) {
    return client.ok("GET", "/api/keys", null).getJsonArray("data").stream()
        .map(k -> ((JsonObject) k).getLong("id")).collect(Collectors.toList());
  }

  private static List<String> requestIds(JsonObject page) {
    return page.getJsonArray("data").stream().map(r -> ((JsonObject) r).getString("request_id")).toList();
  }

  private static List<String> exportedIds(SelfServiceClient client) {
    var response = client.stream("/api/usage/export.csv");
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      return reader.lines().skip(1).map(line -> line.split(",")[1]).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void usageRows(long account, long key, String prefix) {
    gateway.sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome) "
        + "SELECT '" + prefix + "' || g, " + account + ", ?, 'm', 10, 10, 'completed' FROM generate_series(1, 3) g "
        + "RETURNING 1", key);
  }
}
