package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signing in: one answer for every wrong way, lockouts per email and per address, CSRF on every change. */
@ExtendWith(VertxExtension.class)
class LoginTest {
  private GatewayUnderTest gateway;
  private long account;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_LOGIN_MAX_FAILURES", 3)
        .with("GATEWAY_LOGIN_MAX_FAILURES_PER_ADDRESS", 8));
    account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
  }

  @Test
  @DisplayName("a wrong password and an unknown email get the same 401 and body; the right password signs in")
  void wrongPasswordAndUnknownEmailLookTheSame() {
    SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    SelfServiceUsers.invite(gateway, account, "pending@example.com", "member");

    SelfServiceClient client = new SelfServiceClient(gateway.baseUrl()).begin();
    SelfServiceClient.Reply wrong = client.login("ann@example.com", "not the password at all");
    SelfServiceClient.Reply unknown = client.login("nobody@example.com", "not the password at all");
    SelfServiceClient.Reply notYetSet = client.login("pending@example.com", "not the password at all");

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(notYetSet.status()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo(unknown.body()).isEqualTo(notYetSet.body());
    assertThat(wrong.error().getString("code")).isEqualTo("invalid_credentials");
    assertThat(client.get("/api/me").status()).isEqualTo(401);

    SelfServiceClient.Reply right = client.login("Ann@Example.com ", SelfServiceUsers.PASSWORD);
    assertThat(right.status()).isEqualTo(200);
    assertThat(right.body().getJsonObject("user").getString("role")).isEqualTo("owner");
    assertThat(right.body().getJsonObject("account").getLong("id")).isEqualTo(account);
    assertThat(right.raw().body()).doesNotContain("argon2").doesNotContain(SelfServiceUsers.PASSWORD);
    assertThat(client.get("/api/me").body().getJsonObject("user").getString("email")).isEqualTo("ann@example.com");
  }

  @Test
  @DisplayName("after 3 failures an email is locked (429, Retry-After) even for the right password; other emails are not")
  void lockoutPerEmail() {
    SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    SelfServiceUsers.signedIn(gateway, account, "bob@example.com", "member");
    SelfServiceClient client = new SelfServiceClient(gateway.baseUrl()).begin();
    for (int i = 0; i < 3; i++) {
      assertThat(client.login("ann@example.com", "guess number " + i).status()).isEqualTo(401);
    }
    SelfServiceClient.Reply locked = client.login("ann@example.com", SelfServiceUsers.PASSWORD);
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.error().getString("code")).isEqualTo("rate_limit_exceeded");
    assertThat(Long.parseLong(locked.raw().headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 900L);
    assertThat(client.login("bob@example.com", SelfServiceUsers.PASSWORD).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("one address failing against many emails is locked after 8 failures; a success gives its attempt back")
  void lockoutPerAddress() {
    SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    SelfServiceClient client = new SelfServiceClient(gateway.baseUrl()).begin();
    // The signed-in setup used this address for one accepted invitation, which was given back.
    for (int i = 0; i < 8; i++) {
      assertThat(client.login("victim" + i + "@example.com", "guess").status()).isEqualTo(401);
    }
    assertThat(client.login("ann@example.com", SelfServiceUsers.PASSWORD).status()).isEqualTo(429);
    assertThat(client.login("someone-else@example.com", "guess").status()).isEqualTo(429);
  }

  @Test
  @DisplayName("every state-changing call needs this session's CSRF token: missing, forged or another session's it is "
      + "a 403 invalid_csrf_token that changes nothing; this session's token is accepted")
  void csrfTokenRequired() {
    SelfServiceClient owner = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    SelfServiceClient other = SelfServiceUsers.signedIn(gateway, account, "bob@example.com", "member");
    String code = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "launch")
        .put("count", 1).put("amount_credits", 2)).getJsonArray("codes").getString(0);
    long keyId = owner.ok("POST", "/api/keys", new JsonObject().put("name", "laptop")
        .put("models", new JsonArray().add("*"))).getLong("id");

    List<Call> calls = List.of(
        new Call("POST", "/api/keys", new JsonObject().put("name", "second").put("models", new JsonArray().add("*")), 201),
        new Call("PATCH", "/api/keys/" + keyId, new JsonObject().put("name", "renamed"), 200),
        new Call("POST", "/api/keys/" + keyId + "/regenerate", null, 200),
        new Call("POST", "/api/redeem", new JsonObject().put("code", code), 200),
        new Call("POST", "/api/logout", null, 204));
    for (Call call : calls) {
      String own = owner.csrfToken();
      String othersToken = other.csrfToken();
      assertThat(othersToken).isNotEqualTo(own);
      Map<String, String> wrong = new LinkedHashMap<>();
      wrong.put("missing", null);
      wrong.put("made up", "forged-token");
      wrong.put("this session's, altered", altered(own));
      wrong.put("another session's", othersToken);
      wrong.forEach((what, token) -> assertRefused(owner.sendWithToken(call.method(), call.path(), call.body(), token),
          call + " with a " + what + " token"));
      // Cookie and header agreeing is not enough: the token must be the one this session was given.
      String before = owner.csrfToken();
      owner.plantCsrfCookie(othersToken);
      assertRefused(owner.send(call.method(), call.path(), call.body()), call + " with another session's token "
          + "planted in the cookie too");
      if (othersToken.equals(owner.csrfToken())) {
        owner.plantCsrfCookie(before);
      }

      assertThat(owner.ok("GET", "/api/keys", null).getJsonArray("data")).hasSize(1);
      assertThat(owner.ok("GET", "/api/keys/" + keyId, null).getString("name")).isEqualTo("laptop");
      assertThat(gateway.sql("SELECT count(*) FROM billing.redemptions WHERE account_id = ?", account)).isZero();
      assertThat(owner.get("/api/me").status()).as("still signed in").isEqualTo(200);
    }

    for (Call call : calls) {
      SelfServiceClient.Reply accepted = owner.sendWithToken(call.method(), call.path(), call.body(), owner.csrfToken());
      assertThat(accepted.status()).as(call + " with this session's token: " + accepted.raw().body())
          .isEqualTo(call.status());
    }
    assertThat(gateway.sql("SELECT count(*) FROM billing.redemptions WHERE account_id = ?", account)).isOne();
    assertThat(owner.get("/api/me").status()).as("signed out by the accepted logout").isEqualTo(401);
    assertThat(other.ok("GET", "/api/keys", null).getJsonArray("data")).as("the member's own keys").isEmpty();
    JsonArray keys = SelfServiceUsers.signedIn(gateway, account, "cid@example.com", "owner")
        .ok("GET", "/api/keys", null).getJsonArray("data");
    assertThat(keys.stream().map(k -> ((JsonObject) k).getString("name"))).containsExactlyInAnyOrder("renamed", "second");

    SelfServiceClient stranger = new SelfServiceClient(gateway.baseUrl());
    assertRefused(stranger.login("ann@example.com", SelfServiceUsers.PASSWORD), "a login without any session");
  }

  /** A state-changing call and the status it gets with the right token. */
  private record Call(String method, String path, JsonObject body, int status) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private static void assertRefused(SelfServiceClient.Reply reply, String what) {
    assertThat(reply.status()).as(what + ": " + reply.raw().body()).isEqualTo(403);
    assertThat(reply.error().getString("code")).as(what).isEqualTo("invalid_csrf_token");
    assertThat(reply.error().getString("type")).as(what).isEqualTo("permission_error");
    assertThat(reply.error().getString("message")).as(what).isNotBlank().doesNotContain("Exception");
  }

  /** The token with one character of its signature changed. */
  private static String altered(String token) {
    int at = token.lastIndexOf('.') + 2;
    char replaced = token.charAt(at) == 'A' ? 'B' : 'A';
    return token.substring(0, at) + replaced + token.substring(at + 1);
  }
}
