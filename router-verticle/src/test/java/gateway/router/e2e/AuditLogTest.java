package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.PgUrl;
import gateway.router.admin.AuditTrail;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit log: every admin call (by token or by an operator's session), append-only, readable by keyset pages. */
@ExtendWith(VertxExtension.class)
class AuditLogTest {
  private GatewayUnderTest gateway;
  /** Each call made: its request id → the action it must be recorded as. */
  private final Map<String, String> made = new HashMap<>();
  private final List<String> order = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
  }

  @Test
  @DisplayName("every admin API call is recorded with who, what, when and its status; a change with the state before "
      + "and after, a read without either")
  void everyAdminCallIsRecorded() {
    JsonObject account = call("POST", "/admin/accounts", new JsonObject().put("name", "acme"), "accounts.create");
    long id = account.getLong("id");
    call("GET", "/admin/accounts/" + id, null, "accounts.get");
    call("GET", "/admin/accounts?q=acme", null, "accounts.search");
    call("PATCH", "/admin/accounts/" + id, new JsonObject().put("name", "acme-renamed"), "accounts.update");
    call("POST", "/admin/accounts/" + id + "/credits", new JsonObject().put("amount_credits", 5), "accounts.credit");
    JsonObject key = call("POST", "/admin/accounts/" + id + "/keys", new JsonObject().put("name", "k")
        .put("models", new JsonArray().add("*")), "keys.create");
    long keyId = key.getLong("id");
    call("GET", "/admin/accounts/" + id + "/keys", null, "keys.list");
    call("PATCH", "/admin/keys/" + keyId, new JsonObject().put("disabled", true), "keys.update");
    String regenerated = call("POST", "/admin/keys/" + keyId + "/regenerate", null, "keys.regenerate").getString("key");
    call("PUT", "/admin/channels/main", new JsonObject().put("type", "openai").put("base_url", "https://api.example.com/v1")
        .put("api_key", "sk-channel-secret"), "channels.put");
    call("GET", "/admin/channels", null, "channels.list");
    call("GET", "/admin/channel-breakers", null, "channels.breakers");
    call("PUT", "/admin/channels/probe", new JsonObject().put("type", "openai").put("base_url", gateway.fake.openAiBaseUrl())
        .put("api_key", GatewayUnderTest.CHANNEL_KEY), "channels.put");
    JsonObject probed = call("POST", "/admin/channels/probe/test", new JsonObject().put("model", "gpt-4o-mini"),
        "channels.test");
    assertThat(probed.getBoolean("ok")).as(probed.encode()).isTrue();
    call("PUT", "/admin/models/m", new JsonObject().put("price", new JsonObject().put("input_per_mtok", 1)
        .put("output_per_mtok", 2)).put("routes", new JsonArray().add(new JsonObject().put("channel", "main"))),
        "models.put");
    call("GET", "/admin/models", null, "models.list");
    call("GET", "/admin/models/m", null, "models.get");
    long voucher = call("POST", "/admin/accounts/" + id + "/vouchers", new JsonObject().put("amount_credits", "1.5")
        .put("models", new JsonArray().add("gpt-*").add("m")).put("expires_at", "2099-01-01T00:00:00Z"),
        "vouchers.grant").getLong("id");
    call("GET", "/admin/accounts/" + id + "/vouchers", null, "vouchers.list");
    call("POST", "/admin/vouchers/" + voucher + "/revoke", null, "vouchers.revoke");
    JsonObject batch = call("POST", "/admin/code-batches", new JsonObject().put("name", "b").put("count", 2)
        .put("amount_credits", 1), "code_batches.create");
    call("GET", "/admin/code-batches", null, "code_batches.list");
    call("GET", "/admin/code-batches/" + batch.getLong("id"), null, "code_batches.get");
    call("POST", "/admin/code-batches/" + batch.getLong("id") + "/disable", null, "code_batches.disable");
    call("GET", "/admin/usage?account_id=" + id, null, "usage.list");
    call("GET", "/admin/usage/summary?account_id=" + id, null, "usage.summary");
    call("GET", "/admin/reports/revenue?group_by=account", null, "reports.revenue");
    call("GET", "/admin/reports/channels", null, "reports.channels");
    JsonObject invited = call("POST", "/admin/users", new JsonObject().put("email", "ann@example.com")
        .put("role", "owner").put("account_id", id), "users.invite");
    long user = invited.getJsonObject("user").getLong("id");
    call("GET", "/admin/users?account_id=" + id, null, "users.list");
    call("GET", "/admin/users/" + user, null, "users.get");
    call("PATCH", "/admin/users/" + user, new JsonObject().put("display_name", "Ann"), "users.update");
    call("POST", "/admin/users/" + user + "/invitation", null, "users.reinvite");
    call("POST", "/admin/users/" + user + "/reset", null, "users.reset");
    call("POST", "/admin/users/" + user + "/end-sessions", null, "users.end_sessions");
    call("GET", "/admin/audit", null, "audit.list");
    AdminClient.Reply refused = gateway.admin.send("PATCH", "/admin/keys/999999", new JsonObject().put("name", "x"));
    assertThat(refused.status()).isEqualTo(404);
    remember(refused, "keys.update");

    Map<String, JsonObject> logged = new HashMap<>();
    String path = "/admin/audit?limit=7";
    for (int page = 0; page < 20 && path != null; page++) {
      JsonObject body = gateway.admin.ok("GET", path, null);
      body.getJsonArray("data").forEach(e -> logged.put(((JsonObject) e).getString("request_id"), (JsonObject) e));
      Long next = body.getLong("next_before_id");
      path = next == null ? null : "/admin/audit?limit=7&before_id=" + next;
    }
    for (String requestId : order) {
      JsonObject entry = logged.get(requestId);
      assertThat(entry).as("the audit entry of " + made.get(requestId)).isNotNull();
      assertThat(entry.getString("action")).isEqualTo(made.get(requestId));
      assertThat(entry.getJsonObject("actor").getString("kind")).isEqualTo("admin_token");
      assertThat(entry.getString("at")).isNotNull();
      if (entry.getString("method").equals("GET")) {
        assertThat(entry.getValue("before")).as("a read keeps no state: " + entry.encode()).isNull();
        assertThat(entry.getValue("after")).as("a read keeps no state: " + entry.encode()).isNull();
      } else if (entry.getInteger("status") < 400) {
        assertThat(entry.getJsonObject("after")).as("a change keeps the state after: " + entry.encode()).isNotNull();
      }
    }
    assertThat(made.values()).as("every action the log knows is called in this test")
        .containsAll(AuditTrail.actionNames());
    for (String action : List.of("accounts.update", "accounts.credit", "keys.update", "keys.regenerate",
        "vouchers.revoke", "code_batches.disable", "users.update", "users.end_sessions")) {
      assertThat(entryFor(logged, action).getJsonObject("before")).as(action + " keeps the state before").isNotNull();
    }
    JsonObject revoked = entryFor(logged, "vouchers.revoke");
    assertThat(revoked.getString("target")).isEqualTo("voucher:" + voucher);
    JsonObject beforeRevoke = revoked.getJsonObject("before");
    assertThat(beforeRevoke.getLong("remaining_micros")).isEqualTo(1_500_000);
    assertThat(beforeRevoke.getString("expires_at")).isEqualTo("2099-01-01T00:00:00Z");
    assertThat(beforeRevoke.getJsonArray("models")).containsExactly("gpt-*", "m");
    assertThat(beforeRevoke.getString("status")).isEqualTo("active");
    assertThat(revoked.getJsonObject("after").getString("status")).isEqualTo("revoked");
    assertThat(revoked.getJsonObject("after").getLong("written_off_micros")).isEqualTo(1_500_000);
    assertThat(entryFor(logged, "channels.test").getString("target")).isEqualTo("channel:probe");
    assertThat(entryFor(logged, "channels.test").getJsonObject("after").getBoolean("ok")).isTrue();
    JsonObject rename = entryFor(logged, "accounts.update");
    assertThat(rename.getJsonObject("before").getString("name")).isEqualTo("acme");
    assertThat(rename.getJsonObject("after").getString("name")).isEqualTo("acme-renamed");
    assertThat(rename.getString("target")).isEqualTo("account:" + id);
    JsonObject disabled = entryFor(logged, "keys.update");
    assertThat(disabled.getJsonObject("before").getBoolean("disabled")).isFalse();
    assertThat(disabled.getJsonObject("after").getBoolean("disabled")).isTrue();
    assertThat(logged.get(order.get(order.size() - 1)).getInteger("status")).isEqualTo(404);
    assertThat(entryFor(logged, "accounts.credit").getJsonObject("before").getValue("balance_credits").toString())
        .isEqualTo("0");

    String everything = new JsonArray(new ArrayList<>(logged.values())).encode();
    assertThat(everything).doesNotContain(key.getString("key")).doesNotContain(regenerated)
        .doesNotContain("sk-channel-secret").doesNotContain(GatewayUnderTest.CHANNEL_KEY).doesNotContain(batch.getJsonArray("codes").getString(0))
        .doesNotContain(invited.getJsonObject("invitation").getString("token"));
  }

  @Test
  @DisplayName("the audit table is append-only: UPDATE, DELETE and TRUNCATE are refused")
  void appendOnly() {
    call("POST", "/admin/accounts", new JsonObject().put("name", "acme"), "accounts.create");
    for (String statement : List.of("UPDATE auth.audit_log SET action = 'nothing'", "DELETE FROM auth.audit_log",
        "TRUNCATE auth.audit_log")) {
      assertThatThrownBy(() -> sql(statement)).as(statement).hasMessageContaining("append-only");
    }
    assertThat(gateway.sql("SELECT count(*) FROM auth.audit_log WHERE action = 'accounts.create' AND ? = 0", 0))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("operators sign in with a password: an admin may change things (with the CSRF token), a viewer only "
      + "read; the log names the operator")
  void operatorSessions() {
    SelfServiceClient admin = SelfServiceUsers.signedIn(gateway, null, "ops@example.com", "admin");
    SelfServiceClient viewer = SelfServiceUsers.signedIn(gateway, null, "look@example.com", "viewer");

    long account = admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "by-operator")).getLong("id");
    assertThat(admin.withoutCsrf().post("/admin/accounts", new JsonObject().put("name", "forged")).status())
        .isEqualTo(403);
    admin.withCsrf();
    assertThat(viewer.ok("GET", "/admin/accounts/" + account, null).getString("name")).isEqualTo("by-operator");
    SelfServiceClient.Reply viewerWrite = viewer.patch("/admin/accounts/" + account, new JsonObject().put("name", "x"));
    assertThat(viewerWrite.status()).isEqualTo(403);
    assertThat(viewerWrite.error().getString("code")).isEqualTo("forbidden");
    assertThat(gateway.account(account).getString("name")).isEqualTo("by-operator");

    JsonArray entries = gateway.admin.ok("GET", "/admin/audit?action=accounts.create", null).getJsonArray("data");
    assertThat(entries).hasSize(1);
    JsonObject actor = entries.getJsonObject(0).getJsonObject("actor");
    assertThat(actor.getString("kind")).isEqualTo("operator");
    assertThat(actor.getString("email")).isEqualTo("ops@example.com");
    assertThat(actor.getLong("user_id")).isEqualTo(SelfServiceUsers.userId(admin));
    assertThat(gateway.admin.ok("GET", "/admin/audit?action=accounts.get&actor_user_id="
        + SelfServiceUsers.userId(viewer), null).getJsonArray("data")).hasSize(1);

    assertThat(admin.post("/api/logout", null).status()).isEqualTo(204);
    assertThat(admin.get("/admin/accounts/" + account).status()).isEqualTo(401);
  }

  private JsonObject entryFor(Map<String, JsonObject> logged, String action) {
    for (String requestId : order) {
      if (made.get(requestId).equals(action)) {
        return logged.get(requestId);
      }
    }
    throw new AssertionError("no call " + action);
  }

  private JsonObject call(String method, String path, JsonObject body, String action) {
    AdminClient.Reply reply = gateway.admin.send(method, path, body);
    if (reply.status() / 100 != 2) {
      throw new AssertionError(method + " " + path + " answered " + reply.status() + ": " + reply.raw().body());
    }
    remember(reply, action);
    return reply.body();
  }

  private void remember(AdminClient.Reply reply, String action) {
    String requestId = reply.raw().headers().firstValue("x-request-id").orElseThrow();
    made.put(requestId, action);
    order.add(requestId);
  }

  private void sql(String statement) throws SQLException {
    PgUrl url = PgUrl.parse(gateway.config.pgUrl());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
