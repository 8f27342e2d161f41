package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A body costs memory only once its caller is known and it fits the process's budget: a request without a valid key
 * is refused before a byte of its body is read, and bodies beyond the budget of bytes in flight (100 KiB here, bodies
 * up to 64 KiB) are refused at once with 503 while requests that fit go on.
 */
@ExtendWith(VertxExtension.class)
class RequestBodiesTest {
  private static final String MODEL = "gpt-4o-mini";
  private static final String HELLO = new JsonObject().put("model", MODEL)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

  private GatewayUnderTest gateway;
  private Customer customer;
  private final List<RawSocket> sockets = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_MAX_BODY_BYTES", 64 * 1024)
        .with("GATEWAY_MAX_BODY_BYTES_IN_FLIGHT", 100 * 1024)
        .with("GATEWAY_BODY_TIMEOUT_SECONDS", 60));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
    customer = gateway.customer("1", MODEL);
  }

  @AfterEach
  void closeSockets() {
    sockets.forEach(RawSocket::close);
  }

  private RawSocket socket() {
    RawSocket socket = RawSocket.open(gateway.config.httpPort());
    sockets.add(socket);
    return socket;
  }

  @Test
  @DisplayName("a wrong key with a large declared body: 401 at once, without waiting for the body, and the connection closes")
  void wrongKeyIsRefusedBeforeTheBody() {
    RawSocket socket = socket().send(RawSocket.head("POST", "/v1/chat/completions",
        "Authorization: Bearer sk-wrong\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n"));

    RawSocket.Response response = socket.readResponse();

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.error().getString("code")).isEqualTo("invalid_api_key");
    assertThat(response.header("connection", "")).isEqualToIgnoringCase("close");
    assertThat(socket.readUntilClosed()).isEmpty();
  }

  @Test
  @DisplayName("no key on /v1/messages with a declared body: Anthropic's 401 before the body")
  void missingKeyOnMessagesIsRefusedBeforeTheBody() {
    RawSocket socket = socket().send(RawSocket.head("POST", "/v1/messages",
        "Content-Type: application/json\r\nContent-Length: 60000\r\n"));

    RawSocket.Response response = socket.readResponse();

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().getJsonObject("error").getString("type")).isEqualTo("authentication_error");
  }

  @Test
  @DisplayName("a wrong admin token is refused before the body too")
  void wrongAdminTokenIsRefusedBeforeTheBody() {
    RawSocket socket = socket().send(RawSocket.head("POST", "/admin/accounts",
        "Authorization: Bearer not-the-token\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n"));

    assertThat(socket.readResponse().status()).isEqualTo(401);
  }

  @Test
  @DisplayName("bodies beyond the budget in flight get 503 at once; one that fits goes on; the budget comes back")
  void budgetRefusesTheExcess() {
    String auth = "Authorization: Bearer " + customer.key() + "\r\nContent-Type: application/json\r\n";
    RawSocket slowUpload = socket().send(RawSocket.head("POST", "/v1/chat/completions",
        auth + "Content-Length: 60000\r\n") + "{\"model\": ");
    RawHttp http = new RawHttp(gateway.v1());
    // The slow upload's 60,000 bytes are taken once its key is verified: wait until a second one no longer fits.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (RawSocket probe = RawSocket.open(gateway.config.httpPort())) {
        return probe.send(RawSocket.head("POST", "/v1/chat/completions", auth + "Content-Length: 60000\r\n"))
            .readResponse().status() == 503;
      }
    });

    RawSocket excess = socket().send(RawSocket.head("POST", "/v1/chat/completions", auth + "Content-Length: 60000\r\n"));
    RawSocket.Response refused = excess.readResponse();
    HttpResponse<String> fits = http.post("/chat/completions", customer.key(), HELLO);

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.error().getString("type")).isEqualTo("service_unavailable");
    assertThat(refused.header("retry-after", null)).isEqualTo("1");
    assertThat(fits.statusCode()).isEqualTo(200);

    slowUpload.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (RawSocket again = RawSocket.open(gateway.config.httpPort())) {
        String body = bigHello(60_000);
        RawSocket.Response response = again.send(RawSocket.head("POST", "/v1/chat/completions",
            auth + "Content-Length: " + body.length() + "\r\n") + body).readResponse();
        return response.status() == 200;
      }
    });
  }

  @Test
  @DisplayName("a body larger than the limit is still a 413 request_too_large, from its Content-Length alone")
  void declaredTooLargeIs413() {
    RawSocket socket = socket().send(RawSocket.head("POST", "/v1/chat/completions",
        "Authorization: Bearer " + customer.key() + "\r\nContent-Type: application/json\r\nContent-Length: 70000\r\n"));

    RawSocket.Response response = socket.readResponse();

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.error().getString("code")).isEqualTo("request_too_large");
  }

  /** A chat request of exactly {@code bytes} bytes (ASCII). */
  private static String bigHello(int bytes) {
    String shell = new JsonObject().put("model", MODEL).put("messages", new JsonArray().add(
        new JsonObject().put("role", "user").put("content", ""))).encode();
    String padded = new JsonObject().put("model", MODEL).put("messages", new JsonArray().add(
        new JsonObject().put("role", "user").put("content", "x".repeat(bytes - shell.length())))).encode();
    assertThat(padded).hasSize(bytes);
    return padded;
  }
}
