package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Fake upstream: garbage on purpose, and the counts a fault test checks afterwards")
class GarbageBehaviorsTest extends FakeUpstreamTestBase {

  private static final String MODEL = "garbage-model";
  private static final String TEXT = "The quick brown fox jumps over the lazy dog";

  @Test
  @DisplayName("raw answers exactly the given status, content type and body, whatever the protocol")
  void raw(VertxTestContext ctx) {
    String page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    fake.script(MODEL, Behavior.raw(200, "text/html", page));
    Future<Exchange> chat = client.post(Proto.CHAT, MODEL, false);
    Future<Exchange> anthropic = chat.compose(c -> client.post(Proto.ANTHROPIC, MODEL, true));
    check(ctx, anthropic, streamed -> {
      for (Exchange exchange : List.of(chat.result(), streamed)) {
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.headers().get("content-type")).isEqualTo("text/html");
        assertThat(exchange.body()).isEqualTo(page);
        assertThat(exchange.endedCleanly()).isTrue();
      }
      assertThat(fake.openStreams()).isZero();
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("sentWithStatus(200) sends the provider's own error body under a 200")
  void errorBodyWithStatus200(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.error(500, "internal failure").sentWithStatus(200));
    check(ctx, client.post(proto, MODEL, false), exchange -> {
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.headers().get("content-type")).startsWith("application/json");
      assertThat(exchange.body()).contains("internal failure");
      assertThat(exchange.json().containsKey("error")).isTrue();
    });
  }

  @Test
  @DisplayName("contentType relabels a whole answer and a stream without changing their bytes")
  void contentType(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).contentType("text/plain"));
    Future<Exchange> plain = client.post(Proto.CHAT, MODEL, false);
    Future<Exchange> stream = plain.compose(p -> client.post(Proto.CHAT, MODEL, true));
    check(ctx, stream, streamed -> {
      assertThat(plain.result().headers().get("content-type")).isEqualTo("text/plain");
      assertThat(plain.result().json().getString("object")).isEqualTo("chat.completion");
      assertThat(streamed.headers().get("content-type")).isEqualTo("text/plain");
      assertThat(Proto.CHAT.text(streamed.events())).isEqualTo(TEXT);
      assertThat(streamed.events().get(streamed.events().size() - 1).isDone()).isTrue();
    });
  }

  @Test
  @DisplayName("truncateBody sends the first n bytes as a complete body of that length: JSON that does not parse")
  void truncateBody(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).usage(5, 9), Behavior.reply(TEXT).usage(5, 9).truncateBody(40));
    Future<Exchange> whole = client.post(Proto.CHAT, MODEL, false);
    Future<Exchange> truncated = whole.compose(w -> client.post(Proto.CHAT, MODEL, false));
    check(ctx, truncated, cut -> {
      assertThat(cut.status()).isEqualTo(200);
      assertThat(cut.endedCleanly()).isTrue();
      assertThat(cut.headers().get("content-length")).isEqualTo("40");
      assertThat(cut.body()).hasSize(40);
      assertThat(whole.result().body()).hasSizeGreaterThan(40);
      assertThat(cut.body()).startsWith("{\"id\":\"chatcmpl-");
      assertThatThrownBy(cut::json).isInstanceOf(DecodeException.class);
    });
  }

  @Test
  @DisplayName("cutBodyAfterBytes announces the whole length, sends n bytes and closes the connection")
  void cutBodyAfterBytes(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).cutBodyAfterBytes(25));
    check(ctx, client.post(Proto.ANTHROPIC, MODEL, false), exchange -> {
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.endedCleanly()).as("the connection closed before the announced length").isFalse();
      assertThat(Integer.parseInt(exchange.headers().get("content-length"))).isGreaterThan(25);
      assertThat(exchange.body()).hasSize(25);
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("noiseAfterChunks puts reproducible random bytes between two events; the events around it are intact")
  void noise(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).noiseAfterChunks(2, 600));
    Future<Exchange> first = client.post(proto, MODEL, true);
    Future<Exchange> second = first.compose(f -> client.post(proto, MODEL, true));
    check(ctx, second, again -> {
      Exchange exchange = first.result();
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.endedCleanly()).isTrue();
      String noise = new String(StreamWriter.noise(600).getBytes(0, 600), StandardCharsets.UTF_8);
      assertThat(exchange.body()).contains(noise);
      assertThat(again.body()).as("the same noise every time").contains(noise);
      assertThat(proto.text(exchange.events())).isEqualTo(TEXT);
      assertThat(exchange.events().stream().filter(proto::isTerminator)).hasSize(1);
      int noiseAt = exchange.body().indexOf(noise);
      assertThat(proto.text(SseEvent.parse(exchange.body().substring(0, noiseAt)))).isEqualTo("The quick");
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("neverEnds sends the content, then keep-alive comments and no finishing event until the client leaves")
  void neverEnds(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).neverEnds().chunkDelay(Duration.ofMillis(20)));
    StringBuilder received = new StringBuilder();
    AtomicBoolean hungUp = new AtomicBoolean();
    AtomicInteger activeWhileStreaming = new AtomicInteger(-1);
    Future<Exchange> exchange = client.send(HttpMethod.POST, proto.uri(MODEL, true),
        proto.body(MODEL, true).toBuffer(), proto.headers(null), (response, buffer) -> {
          received.append(buffer.toString(StandardCharsets.UTF_8));
          if (received.toString().split(": keep-alive", -1).length > 4 && hungUp.compareAndSet(false, true)) {
            activeWhileStreaming.set(fake.activeRequests());
            response.request().connection().close();
          }
        });
    Future<Void> gone = exchange.transform(ar -> client.eventually(
        () -> fake.activeRequests() == 0 && fake.openStreams() == 0, 5_000));
    check(ctx, gone, v -> {
      List<SseEvent> events = SseEvent.parse(received.toString());
      assertThat(activeWhileStreaming.get()).isEqualTo(1);
      // Gemini's last chunk carries the finish reason: it is held back with the finish
      assertThat(proto.text(events)).isEqualTo(proto == Proto.GEMINI ? "The quick brown fox jumps over the lazy"
          : TEXT);
      assertThat(events.stream().noneMatch(proto::isTerminator)).isTrue();
      assertThat(fake.cancelledStreams()).isEqualTo(1);
    });
  }

  @Test
  @DisplayName("activeRequests counts a hung request until its caller hangs up, and an answered one not at all")
  void activeRequests(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("answered"), Behavior.hang());
    Future<Exchange> answered = client.post(Proto.CHAT, MODEL, false);
    int[] activeWhileHung = {-1};
    Future<Void> done = answered.compose(a -> {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
          .setIdleTimeout(300);
      Future<HttpClientResponse> hung = client.sendRaw(options, Proto.CHAT.body(MODEL, false).toBuffer());
      return client.eventually(() -> fake.activeRequests() == 1, 5_000)
          .onSuccess(v -> activeWhileHung[0] = fake.activeRequests())
          .compose(v -> hung.transform(ar -> client.eventually(() -> fake.activeRequests() == 0, 5_000)));
    });
    check(ctx, done, v -> {
      assertThat(answered.result().status()).isEqualTo(200);
      assertThat(activeWhileHung[0]).isEqualTo(1);
    });
  }

  @Test
  @DisplayName("scriptCycle hands the behaviors out in turn, again and again")
  void scriptCycle(VertxTestContext ctx) {
    fake.scriptCycle(MODEL, Behavior.reply("first"), Behavior.error(429, "second"));
    Future<List<Integer>> four = client.post(Proto.CHAT, MODEL, false).compose(a ->
        client.post(Proto.CHAT, MODEL, false).compose(b ->
            client.post(Proto.CHAT, MODEL, false).compose(c ->
                client.post(Proto.CHAT, MODEL, false).map(d ->
                    List.of(a.status(), b.status(), c.status(), d.status())))));
    check(ctx, four, statuses -> assertThat(statuses).containsExactly(200, 429, 200, 429));
  }

  @Test
  @DisplayName("garbage options are checked when the behavior is built")
  void validation() {
    assertThatThrownBy(() -> Behavior.raw(99, "text/plain", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.reply("x").sentWithStatus(600)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.reply("x").truncateBody(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behavior.reply("x").noiseAfterChunks(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    Behavior base = Behavior.reply("x");
    assertThat(base.neverEnds().neverEnds).isTrue();
    assertThat(base.neverEnds).isFalse();
    byte[] bytes = {1, 2};
    Behavior raw = Behavior.raw(200, "a/b", bytes);
    bytes[0] = 9;
    assertThat(raw.rawBody).as("a copy of the caller's bytes").containsExactly(1, 2);
  }
}
