package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Behind a proxy ({@code GATEWAY_TRUSTED_PROXIES}): 127.0.0.1 plays the ingress, so clients calling from it are
 * told apart by {@code X-Forwarded-For}; 127.0.0.2 is a peer the gateway does not trust, whose headers are its own
 * word.
 */
@ExtendWith(VertxExtension.class)
class ForwardedClientsTest {
  private static final String PROXY = "127.0.0.1";
  private static final String UNTRUSTED = PeerClient.SECOND_LOOPBACK;

  private Vertx vertx;
  private GatewayUnderTest gateway;
  private final List<PeerClient> clients = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    Assumptions.assumeTrue(PeerClient.canBind(UNTRUSTED), PeerClient.NO_SECOND_LOOPBACK);
    this.vertx = vertx;
    gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_TRUSTED_PROXIES", PROXY + ",fd00::/8")
        .with("GATEWAY_LOGIN_MAX_FAILURES_PER_ADDRESS", 3));
  }

  @AfterEach
  void closeClients() {
    clients.forEach(PeerClient::close);
  }

  @Test
  @DisplayName("two clients behind a trusted proxy have a login lockout each; an untrusted peer's X-Forwarded-For is ignored")
  void clientsBehindTheProxyAreCountedApart() {
    // The client wrote 198.51.100.1 itself; the proxy appended the address it saw, 203.0.113.7.
    PeerClient alice = client(PROXY).header("X-Forwarded-For", "198.51.100.1, 203.0.113.7").begin();
    for (int i = 0; i < 3; i++) {
      assertThat(alice.login("victim" + i + "@example.com", "guess").status()).isEqualTo(401);
    }
    PeerClient.Reply locked = alice.login("victim9@example.com", "guess");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.error().getString("code")).isEqualTo("rate_limit_exceeded");

    PeerClient bob = client(PROXY).header("X-Forwarded-For", "203.0.113.8").begin();
    assertThat(bob.login("victim0@example.com", "guess").status()).as("another client of the same proxy")
        .isEqualTo(401);
    PeerClient aliceAgain = client(PROXY).header("X-Forwarded-For", "203.0.113.7").begin();
    assertThat(aliceAgain.login("victim0@example.com", "guess").status()).as("alice in a new session")
        .isEqualTo(429);
    PeerClient spoofer = client(PROXY).header("X-Forwarded-For", "203.0.113.7, 203.0.113.9").begin();
    assertThat(spoofer.login("victim0@example.com", "guess").status())
        .as("alice's address written left of the proxy's entry is not the client's").isEqualTo(401);

    PeerClient untrusted = client(UNTRUSTED).header("X-Forwarded-For", "203.0.113.50").begin();
    for (int i = 0; i < 3; i++) {
      assertThat(untrusted.login("victim" + i + "@example.com", "guess").status()).isEqualTo(401);
    }
    PeerClient sameSocketOtherHeader = client(UNTRUSTED).header("X-Forwarded-For", "203.0.113.51").begin();
    assertThat(sameSocketOtherHeader.login("victim0@example.com", "guess").status())
        .as("counted under its socket's address whatever it claims").isEqualTo(429);
  }

  @Test
  @DisplayName("the audit log records the forwarded client of a trusted proxy and the socket address of anyone else")
  void auditLogRecordsTheClient() {
    String bearer = "Bearer " + TestServices.ADMIN_TOKEN;
    client(PROXY).header("authorization", bearer).header("X-Forwarded-For", "2001:db8::7")
        .send(HttpMethod.POST, "/admin/accounts", new JsonObject().put("name", "via-proxy"));
    client(UNTRUSTED).header("authorization", bearer).header("X-Forwarded-For", "203.0.113.9")
        .send(HttpMethod.POST, "/admin/accounts", new JsonObject().put("name", "direct"));

    JsonArray entries = gateway.admin.ok("GET", "/admin/audit?action=accounts.create", null).getJsonArray("data");
    assertThat(entries).hasSize(2);
    assertThat(addressOf(entries, "via-proxy")).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(addressOf(entries, "direct")).isEqualTo(UNTRUSTED);
  }

  @Test
  @DisplayName("the session cookies are Secure when a trusted proxy says the client came over https, and only then")
  void secureCookieBehindTlsProxy() {
    PeerClient.Reply https = client(PROXY).header("X-Forwarded-Proto", "https").send(HttpMethod.GET, "/api/csrf", null);
    assertThat(https.setCookie("gateway.session")).contains("Secure").containsIgnoringCase("HttpOnly");
    assertThat(https.setCookie("XSRF-TOKEN")).contains("Secure");

    PeerClient.Reply plain = client(PROXY).send(HttpMethod.GET, "/api/csrf", null);
    assertThat(plain.setCookie("gateway.session")).isNotNull().doesNotContain("Secure");
    PeerClient.Reply claimed = client(UNTRUSTED).header("X-Forwarded-Proto", "https")
        .send(HttpMethod.GET, "/api/csrf", null);
    assertThat(claimed.setCookie("gateway.session")).isNotNull().doesNotContain("Secure");
  }

  private PeerClient client(String localAddress) {
    PeerClient client = new PeerClient(vertx, localAddress, gateway.config.httpPort());
    clients.add(client);
    return client;
  }

  private static String addressOf(JsonArray entries, String accountName) {
    for (Object entry : entries) {
      JsonObject e = (JsonObject) entry;
      if (accountName.equals(e.getJsonObject("after").getString("name"))) {
        return e.getString("client_address");
      }
    }
    throw new AssertionError("no audit entry for account " + accountName + " in " + entries.encode());
  }
}
