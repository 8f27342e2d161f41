package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the dashboard's usage, keys and media pages read: outcome filter, no channels, last use, video jobs. */
@ExtendWith(VertxExtension.class)
class SelfServiceDashboardTest {
  private GatewayUnderTest gateway;
  private long account;
  private SelfServiceClient owner;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel("model-a", "a", GatewayUnderTest.price("1", "2", null));
    account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
    owner = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
  }

  @Test
  @DisplayName("usage filters by outcome on the server (keyset pages, totals and CSV alike) and never names a channel")
  void outcomeFilterAndNoChannel() {
    long key = newKey(owner, "k");
    // 30 rows, every third failed; all served by a channel the customer must not learn of.
    gateway.sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, cost_micros, priced_micros,"
        + " outcome, created_at) SELECT 'r' || lpad(g::text, 3, '0'), ?, " + key + ", 'model-a', 'secret-channel', "
        + "CASE WHEN g % 3 = 0 THEN 0 ELSE 1000 END, 1000, CASE WHEN g % 3 = 0 THEN 'failed' ELSE 'completed' END, "
        + "timestamptz '2026-03-01T00:00:00Z' + g * interval '1 minute' FROM generate_series(1, 30) g RETURNING 1",
        account);

    List<String> failed = new ArrayList<>();
    String path = "/api/usage?outcome=failed&limit=3";
    for (int page = 0; page < 10 && path != null; page++) {
      JsonObject body = owner.ok("GET", path, null);
      body.getJsonArray("data").forEach(row -> {
        JsonObject r = (JsonObject) row;
        assertThat(r.getString("outcome")).isEqualTo("failed");
        assertThat(r.containsKey("channel")).isFalse();
        failed.add(r.getString("request_id"));
      });
      String cursor = body.getString("next_cursor");
      path = cursor == null ? null : "/api/usage?outcome=failed&limit=3&cursor=" + cursor;
    }
    assertThat(failed).containsExactly("r030", "r027", "r024", "r021", "r018", "r015", "r012", "r009", "r006", "r003");

    JsonObject completed = owner.ok("GET", "/api/usage/totals?group_by=model&outcome=completed", null);
    assertThat(completed.getJsonObject("total").getLong("requests")).isEqualTo(20);
    assertThat(completed.getJsonObject("total").getLong("failed_requests")).isZero();
    assertThat(owner.ok("GET", "/api/usage?limit=1000", null).getJsonArray("data")).hasSize(30)
        .allMatch(row -> !((JsonObject) row).containsKey("channel"));

    SelfServiceClient.Reply csv = owner.get("/api/usage/export.csv?outcome=failed");
    assertThat(csv.status()).isEqualTo(200);
    String[] lines = csv.raw().body().split("\r\n");
    assertThat(lines[0]).doesNotContain("channel").startsWith("created_at,request_id,key_id,model,outcome,");
    assertThat(lines).hasSize(11);
    assertThat(csv.raw().body()).doesNotContain("secret-channel").doesNotContain("completed");

    SelfServiceClient.Reply bad = owner.get("/api/usage?outcome=sort-of");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("outcome");
  }

  @Test
  @DisplayName("keys carry last_used_at: the newest usage row's time, null for a key never used")
  void keysLastUsed() {
    long used = newKey(owner, "used");
    long idle = newKey(owner, "idle");
    gateway.sql("INSERT INTO billing.usage (request_id, account_id, key_id, model, cost_micros, priced_micros, outcome,"
        + " created_at) SELECT 'u' || g, ?, " + used + ", 'model-a', 10, 10, 'completed', "
        + "timestamptz '2026-04-01T00:00:00Z' + g * interval '1 hour' FROM generate_series(1, 5) g RETURNING 1",
        account);

    JsonArray keys = owner.ok("GET", "/api/keys", null).getJsonArray("data");
    assertThat(find(keys, used).getString("last_used_at")).isEqualTo("2026-04-01T05:00:00Z");
    assertThat(find(keys, idle).containsKey("last_used_at")).isTrue();
    assertThat(find(keys, idle).getValue("last_used_at")).isNull();

    // A real request through the gateway moves it to now (its usage row), with nothing written on the key.
    String secret = owner.ok("POST", "/api/keys", new JsonObject().put("name", "live")
        .put("models", new JsonArray().add("model-a"))).getString("key");
    gateway.admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", 10));
    gateway.sdk(secret).chat().completions().create(com.openai.models.chat.completions.ChatCompletionCreateParams
        .builder().model("model-a").addUserMessage("hi").maxCompletionTokens(16).build());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> owner
        .ok("GET", "/api/keys", null).getJsonArray("data").getJsonObject(0).getValue("last_used_at") != null);
  }

  @Test
  @DisplayName("GET /api/videos lists the account's jobs newest first, keyset-paged, a member only their keys'")
  void videoJobs() {
    long ownerKey = newKey(owner, "owner-key");
    SelfServiceClient member = SelfServiceUsers.signedIn(gateway, account, "bob@example.com", "member");
    long memberKey = newKey(member, "member-key");
    long other = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "other")).getLong("id");
    // Ended jobs and one running whose poll is far off: the poller leaves them alone.
    gateway.sql("INSERT INTO videos.jobs (id, account_id, key_id, model, channel, upstream_job_id, status, progress, "
        + "seconds, delivered_seconds, resolution, hold_micros, cost_micros, media_id, next_poll_at, deadline_at, "
        + "created_at, completed_at) SELECT 'video_' || lpad(to_hex(g), 32, '0'), CASE WHEN g = 6 THEN " + other
        + " ELSE ? END, CASE WHEN g % 2 = 0 THEN " + memberKey + " ELSE " + ownerKey + " END, 'sora', 'secret-channel', "
        + "'up-' || g, CASE WHEN g = 5 THEN 'in_progress' WHEN g = 4 THEN 'failed' ELSE 'completed' END, "
        + "CASE WHEN g = 5 THEN 40 ELSE 100 END, 4, CASE WHEN g IN (4, 5) THEN NULL ELSE 4 END, '720p', 400000, "
        + "CASE WHEN g = 5 THEN NULL WHEN g = 4 THEN 0 ELSE 400000 END, "
        + "CASE WHEN g IN (4, 5) THEN NULL ELSE 'media-' || g END, now() + interval '1 day', now() + interval '1 day', "
        + "timestamptz '2026-05-01T00:00:00Z' + g * interval '1 minute', "
        + "CASE WHEN g = 5 THEN NULL ELSE now() END FROM generate_series(1, 6) g RETURNING 1", account);

    JsonObject first = owner.ok("GET", "/api/videos?limit=3", null);
    assertThat(ids(first)).containsExactly(video(5), video(4), video(3));
    assertThat(first.getBoolean("has_more")).isTrue();
    JsonObject running = first.getJsonArray("data").getJsonObject(0);
    assertThat(running.getString("status")).isEqualTo("in_progress");
    assertThat(running.containsKey("url")).isFalse();
    assertThat(first.getJsonArray("data").getJsonObject(1).getJsonObject("error")).isNotNull();
    JsonObject done = first.getJsonArray("data").getJsonObject(2);
    assertThat(done.getString("url")).endsWith("/media-3");
    assertThat(done.getValue("cost").toString()).isEqualTo("0.4");
    assertThat(done.getString("seconds")).isEqualTo("4");
    assertThat(first.encode()).doesNotContain("secret-channel");

    JsonObject second = owner.ok("GET", "/api/videos?limit=3&after=" + first.getString("last_id"), null);
    assertThat(ids(second)).containsExactly(video(2), video(1));
    assertThat(second.getBoolean("has_more")).isFalse();

    assertThat(ids(member.ok("GET", "/api/videos", null))).containsExactly(video(4), video(2));
    SelfServiceClient.Reply bad = owner.get("/api/videos?after=nope");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error().getString("param")).isEqualTo("after");
  }

  private static String video(int n) {
    return "video_" + "0".repeat(31) + Integer.toHexString(n);
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("data").stream().map(v -> ((JsonObject) v).getString("id")).toList();
  }

  private static JsonObject find(JsonArray keys, long id) {
    return keys.stream().map(k -> (JsonObject) k).filter(k -> k.getLong("id") == id).findFirst().orElseThrow();
  }

  private static long newKey(SelfServiceClient client, String name) {
    return client.ok("POST", "/api/keys", new JsonObject().put("name", name)
        .put("models", new JsonArray().add("*"))).getLong("id");
  }
}
