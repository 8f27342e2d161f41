package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that stall cost the gateway nothing for long: a connection that never completes its request head, a body
 * that stops, a keep-alive connection left idle are each closed after their timeout (one second here), a flood of
 * silent connections cannot pass the connection cap, and none of it touches a request whose answer is merely slow.
 */
@ExtendWith(VertxExtension.class)
class SlowClientsTest {
  private static final String MODEL = "gpt-4o-mini";

  private GatewayUnderTest gateway;
  private final List<RawSocket> sockets = new ArrayList<>();

  private void start(Vertx vertx, int maxConnections, long headerTimeoutSeconds) {
    gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_HEADER_TIMEOUT_SECONDS", headerTimeoutSeconds)
        .with("GATEWAY_KEEP_ALIVE_TIMEOUT_SECONDS", 1)
        .with("GATEWAY_BODY_TIMEOUT_SECONDS", 1)
        .with("GATEWAY_MAX_CONNECTIONS", maxConnections));
    gateway.openAiModel(MODEL, MODEL, GatewayUnderTest.price("15", "60", null));
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
  @DisplayName("a connection that sends half a request head and stops is closed without an answer")
  void halfAHeadIsClosed(Vertx vertx) {
    start(vertx, 1000, 1);
    RawSocket socket = socket().send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");

    assertThat(socket.readUntilClosed()).isEmpty();
  }

  @Test
  @DisplayName("a connection that never sends a byte is closed")
  void silentConnectionIsClosed(Vertx vertx) {
    start(vertx, 1000, 1);

    assertThat(socket().readUntilClosed()).isEmpty();
  }

  @Test
  @DisplayName("headers then a body that stops: 408 request_timeout in the error shape, then the connection closes")
  void stalledBodyIs408(Vertx vertx) {
    start(vertx, 1000, 1);
    Customer customer = gateway.customer("1", MODEL);
    RawSocket socket = socket().send(RawSocket.head("POST", "/v1/chat/completions",
        "Authorization: Bearer " + customer.key() + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n")
        + "{\"model\": \"gpt-4o-mini\", ");

    String received = socket.readUntilClosed();

    RawSocket.Response response = parse(received);
    assertThat(response.status()).isEqualTo(408);
    assertThat(response.error().getString("code")).isEqualTo("request_timeout");
    assertThat(response.error().fieldNames()).containsExactlyInAnyOrder("message", "type", "code", "param");
    assertThat(response.header("connection", "")).isEqualToIgnoringCase("close");
    assertThat(gateway.fake.requests()).isEmpty();
  }

  @Test
  @DisplayName("on /v1/messages the 408 is in Anthropic's shape")
  void stalledBodyOnMessagesIsAnthropic408(Vertx vertx) {
    start(vertx, 1000, 1);
    Customer customer = gateway.customer("1", MODEL);
    RawSocket socket = socket().send(RawSocket.head("POST", "/v1/messages",
        "x-api-key: " + customer.key() + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n") + "{");

    RawSocket.Response response = parse(socket.readUntilClosed());

    assertThat(response.status()).isEqualTo(408);
    assertThat(response.json().getString("type")).isEqualTo("error");
    assertThat(response.json().getJsonObject("error").getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  @DisplayName("a keep-alive connection left idle after its answer is closed")
  void idleKeepAliveIsClosed(Vertx vertx) {
    start(vertx, 1000, 1);
    RawSocket socket = socket().send(RawSocket.head("GET", "/health/live", ""));

    assertThat(socket.readResponse().status()).isEqualTo(200);
    assertThat(socket.readUntilClosed()).isEmpty();
  }

  @Test
  @DisplayName("answers silent for longer than every connection timeout, streamed or not, arrive whole")
  void slowAnswersAreNotCut(Vertx vertx) {
    start(vertx, 1000, 1);
    Customer customer = gateway.customer("1", MODEL);
    gateway.fake.script(MODEL, Behavior.reply("worth the wait").firstByteDelay(Duration.ofSeconds(3)));
    RawHttp http = new RawHttp(gateway.v1());

    HttpResponse<String> streamed = http.post("/chat/completions", customer.key(), hello(true));
    HttpResponse<String> whole = http.post("/chat/completions", customer.key(), hello(false));

    assertThat(streamed.statusCode()).isEqualTo(200);
    List<String> data = RawHttp.dataLines(streamed.body());
    assertThat(data).last().isEqualTo("[DONE]");
    assertThat(String.join("", data)).contains("wait");
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(whole.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo("worth the wait");
  }

  @Test
  @DisplayName("silent connections beyond the cap are closed, and health checks still get in")
  void connectionCapHolds(Vertx vertx) {
    start(vertx, 4, 60);
    List<CompletableFuture<String>> closed = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      closed.add(socket().closedByServer());
    }

    await().atMost(Duration.ofSeconds(15)).until(() -> closed.stream().filter(CompletableFuture::isDone).count() >= 8);
    HttpResponse<String> ready = new RawHttp(gateway.baseUrl()).get("/health/ready", null);

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(closed.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)).allMatch(String::isEmpty);
  }

  private static String hello(boolean stream) {
    return new JsonObject().put("model", MODEL).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  /** A response read up to the connection's close. */
  static RawSocket.Response parse(String received) {
    int headEnd = received.indexOf("\r\n\r\n");
    assertThat(headEnd).as("a response head in: %s", received).isPositive();
    RawSocket.Response head = RawSocket.Response.parse(received.substring(0, headEnd));
    return new RawSocket.Response(head.status(), head.headers(), received.substring(headEnd + 4));
  }
}
