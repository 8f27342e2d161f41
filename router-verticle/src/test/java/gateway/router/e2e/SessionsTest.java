package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.HttpCookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions shared by every router, their cookies, logout, invitations, resets, password changes and sign-up. */
@ExtendWith(VertxExtension.class)
class SessionsTest {
  private GatewayUnderTest gateway;
  private Vertx other;
  private long account;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config.with("GATEWAY_SIGNUP", "open")
        .with("GATEWAY_SIGNUP_VOUCHER_CREDITS", "2.5")
        .with("GATEWAY_SIGNUP_VOUCHER_MODELS", "gpt-*")
        .with("GATEWAY_SIGNUP_VOUCHER_DAYS", 7));
    account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
  }

  @AfterEach
  void stopOther() {
    if (other != null) {
      other.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  @DisplayName("a session started at one router works at another; logging out at one ends it at both")
  void logoutEndsTheSessionEverywhere() {
    other = Vertx.vertx();
    GatewayUnderTest second = gateway.alongside(other);
    SelfServiceClient client = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");

    HttpCookie session = client.cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("gateway.session")).findFirst().orElseThrow();
    assertThat(session.isHttpOnly()).isTrue();
    String setCookie = client.get("/api/csrf").raw().headers().allValues("set-cookie").toString();
    assertThat(client.ok("GET", "/api/me", null).getJsonObject("user").getString("email")).isEqualTo("ann@example.com");

    client.at(second.baseUrl());
    assertThat(client.get("/api/me").status()).isEqualTo(200);
    client.at(gateway.baseUrl());
    assertThat(client.post("/api/logout", null).status()).isEqualTo(204);
    client.at(second.baseUrl());
    assertThat(client.get("/api/me").status()).isEqualTo(401);
    assertThat(client.get("/api/me").error().getString("code")).isEqualTo("not_signed_in");
    assertThat(setCookie).doesNotContain("Secure");
  }

  @Test
  @DisplayName("the session cookie is HttpOnly, SameSite=Lax, and Secure when GATEWAY_COOKIE_SECURE is set")
  void cookieFlags(Vertx vertx) {
    other = Vertx.vertx();
    GatewayUnderTest secure = GatewayUnderTest.start(other, config -> config.with("GATEWAY_COOKIE_SECURE", true));
    SelfServiceClient.Reply csrf = new SelfServiceClient(secure.baseUrl()).get("/api/csrf");
    String sessionCookie = csrf.raw().headers().allValues("set-cookie").stream()
        .filter(c -> c.startsWith("gateway.session=")).findFirst().orElseThrow();
    assertThat(sessionCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Secure");
  }

  @Test
  @DisplayName("logout everywhere ends every session of the user, on other devices too")
  void logoutEverywhere() {
    SelfServiceClient laptop = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    SelfServiceClient phone = new SelfServiceClient(gateway.baseUrl()).signedIn("ann@example.com",
        SelfServiceUsers.PASSWORD);
    assertThat(phone.get("/api/me").status()).isEqualTo(200);
    assertThat(laptop.post("/api/logout", new JsonObject().put("everywhere", true)).status()).isEqualTo(204);
    assertThat(phone.get("/api/me").status()).isEqualTo(401);
    assertThat(laptop.get("/api/me").status()).isEqualTo(401);
    assertThat(new SelfServiceClient(gateway.baseUrl()).begin().login("ann@example.com", SelfServiceUsers.PASSWORD)
        .status()).isEqualTo(200);
  }

  @Test
  @DisplayName("an invitation is accepted once: it sets the password and signs in; used or expired it is a 400 on token")
  void invitationFlow() {
    JsonObject invited = SelfServiceUsers.invite(gateway, account, "bob@example.com", "member");
    String token = invited.getJsonObject("invitation").getString("token");
    assertThat(invited.getJsonObject("invitation").getString("url")).endsWith("/console/invitation#token=" + token);
    assertThat(invited.getJsonObject("user").getBoolean("has_password")).isFalse();
    long userId = invited.getJsonObject("user").getLong("id");
    // Kept as its SHA-256 only (the token is URL-safe base64, so it can stand in the SQL text).
    assertThat(gateway.sql("SELECT count(*) FROM auth.user_tokens WHERE user_id = ? AND token_sha256 = "
        + "sha256(convert_to('" + token + "', 'UTF8'))", userId)).isEqualTo(1);

    SelfServiceClient bob = new SelfServiceClient(gateway.baseUrl()).begin();
    SelfServiceClient.Reply tooShort = bob.post("/api/invitations/accept",
        new JsonObject().put("token", token).put("password", "short"));
    assertThat(tooShort.status()).isEqualTo(400);
    assertThat(tooShort.error().getString("param")).isEqualTo("password");

    JsonObject accepted = bob.ok("POST", "/api/invitations/accept", new JsonObject().put("token", token)
        .put("password", SelfServiceUsers.PASSWORD).put("display_name", "Bob"));
    assertThat(accepted.getJsonObject("user").getString("display_name")).isEqualTo("Bob");
    assertThat(bob.get("/api/me").body().getJsonObject("user").getString("role")).isEqualTo("member");

    SelfServiceClient.Reply again = new SelfServiceClient(gateway.baseUrl()).begin().post("/api/invitations/accept",
        new JsonObject().put("token", token).put("password", "an attacker's password"));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.error().getString("param")).isEqualTo("token");

    long carol = SelfServiceUsers.invite(gateway, account, "carol@example.com", "member").getJsonObject("user")
        .getLong("id");
    String expired = gateway.admin.ok("POST", "/admin/users/" + carol + "/invitation", null)
        .getJsonObject("invitation").getString("token");
    gateway.sql("UPDATE auth.user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = ? RETURNING 1",
        carol);
    assertThat(new SelfServiceClient(gateway.baseUrl()).begin().post("/api/invitations/accept",
        new JsonObject().put("token", expired).put("password", SelfServiceUsers.PASSWORD)).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a reset link sets a new password once and ends every session; the old password stops working")
  void resetFlow() {
    SelfServiceClient ann = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    long id = SelfServiceUsers.userId(ann);
    String token = gateway.admin.ok("POST", "/admin/users/" + id + "/reset", null).getJsonObject("reset")
        .getString("token");

    SelfServiceClient somebody = new SelfServiceClient(gateway.baseUrl()).begin();
    assertThat(somebody.post("/api/password-reset", new JsonObject().put("token", token)
        .put("password", "a brand new passphrase")).status()).isEqualTo(204);
    assertThat(somebody.post("/api/password-reset", new JsonObject().put("token", token)
        .put("password", "yet another passphrase")).status()).isEqualTo(400);

    assertThat(ann.get("/api/me").status()).isEqualTo(401);
    SelfServiceClient fresh = new SelfServiceClient(gateway.baseUrl()).begin();
    assertThat(fresh.login("ann@example.com", SelfServiceUsers.PASSWORD).status()).isEqualTo(401);
    assertThat(fresh.login("ann@example.com", "a brand new passphrase").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("changing the password needs the current one, keeps this session and ends the others")
  void changePassword() {
    SelfServiceClient laptop = SelfServiceUsers.signedIn(gateway, account, "ann@example.com", "owner");
    SelfServiceClient phone = new SelfServiceClient(gateway.baseUrl()).signedIn("ann@example.com",
        SelfServiceUsers.PASSWORD);
    SelfServiceClient.Reply wrong = laptop.post("/api/me/password", new JsonObject()
        .put("current_password", "not it at all").put("new_password", "a brand new passphrase"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(laptop.post("/api/me/password", new JsonObject().put("current_password", SelfServiceUsers.PASSWORD)
        .put("new_password", "a brand new passphrase")).status()).isEqualTo(200);
    assertThat(laptop.get("/api/me").status()).isEqualTo(200);
    assertThat(phone.get("/api/me").status()).isEqualTo(401);
  }

  @Test
  @DisplayName("open sign-up creates an account at 0 credits with the configured sign-up voucher, signed in")
  void signUp() {
    SelfServiceClient client = new SelfServiceClient(gateway.baseUrl()).begin();
    JsonObject me = client.ok("POST", "/api/signup", new JsonObject().put("email", "new@example.com")
        .put("password", SelfServiceUsers.PASSWORD).put("account_name", "newco"));
    assertThat(me.getJsonObject("user").getString("role")).isEqualTo("owner");
    assertThat(me.getJsonObject("account").getString("name")).isEqualTo("newco");
    JsonObject overview = client.ok("GET", "/api/account", null);
    assertThat(overview.getValue("balance_credits").toString()).isEqualTo("0");
    assertThat(overview.getJsonArray("vouchers")).hasSize(1);
    JsonObject voucher = overview.getJsonArray("vouchers").getJsonObject(0);
    assertThat(voucher.getString("source")).isEqualTo("signup");
    assertThat(voucher.getValue("available_credits").toString()).isEqualTo("2.5");
    assertThat(voucher.getJsonArray("models")).containsExactly("gpt-*");
    assertThat(voucher.getString("expires_at")).isNotNull();

    SelfServiceClient.Reply taken = new SelfServiceClient(gateway.baseUrl()).begin().post("/api/signup",
        new JsonObject().put("email", "NEW@example.com").put("password", SelfServiceUsers.PASSWORD));
    assertThat(taken.status()).isEqualTo(409);
  }

  @Test
  @DisplayName("with sign-up closed (the default) POST /api/signup is a 403 signup_closed")
  void signUpClosedByDefault() {
    other = Vertx.vertx();
    GatewayUnderTest closed = GatewayUnderTest.start(other);
    SelfServiceClient.Reply refused = new SelfServiceClient(closed.baseUrl()).begin().post("/api/signup",
        new JsonObject().put("email", "new@example.com").put("password", SelfServiceUsers.PASSWORD));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.error().getString("code")).isEqualTo("signup_closed");
  }
}
