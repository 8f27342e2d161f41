package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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
  @DisplayName("every state-changing call needs the CSRF token: missing, forged or stale it is a 403")
  void csrfTokenRequired() {
    SelfServiceClient owner = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    JsonObject key = new JsonObject().put("name", "laptop").put("models", new io.vertx.core.json.JsonArray().add("*"));

    SelfServiceClient.Reply missing = owner.withoutCsrf().post("/api/keys", key);
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.error().getString("code")).isEqualTo("invalid_csrf_token");
    SelfServiceClient.Reply forged = owner.send("POST", "/api/keys", key.encode(), "application/json");
    assertThat(forged.status()).isEqualTo(403);

    assertThat(owner.withCsrf().post("/api/keys", key).status()).isEqualTo(201);
    // The token was refreshed by that call; the next one works with the new one.
    assertThat(owner.post("/api/keys", key.copy().put("name", "second")).status()).isEqualTo(201);

    SelfServiceClient stranger = new SelfServiceClient(gateway.baseUrl());
    SelfServiceClient.Reply noSession = stranger.login("ann@example.com", SelfServiceUsers.PASSWORD);
    assertThat(noSession.status()).isEqualTo(403);
    assertThat(owner.ok("GET", "/api/keys", null).getJsonArray("data")).hasSize(2);
  }
}
