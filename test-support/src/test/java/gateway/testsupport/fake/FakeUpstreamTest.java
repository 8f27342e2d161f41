package gateway.testsupport.fake;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Fake upstream: behaviors common to every protocol")
class FakeUpstreamTest extends FakeUpstreamTestBase {

  private static final String MODEL = "model-under-test";
  private static final String TEXT = "The quick brown fox jumps over the lazy dog";

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("a stream's text deltas concatenate to the scripted text and end with the protocol's terminator")
  void streamsScriptedText(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT));
    check(ctx, client.post(proto, MODEL, true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.headers().get("content-type")).startsWith("text/event-stream");
      assertThat(exchange.endedCleanly()).isTrue();
      assertThat(proto.text(events)).isEqualTo(TEXT);
      assertThat(proto.textDeltaCount(events)).isEqualTo(9);
      assertThat(events.stream().filter(proto::isTerminator)).hasSize(1);
      assertThat(events.stream().noneMatch(proto::isErrorEvent)).isTrue();
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("chunks(n) streams the text in n deltas")
  void chunksSplitsTheText(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).chunks(3));
    check(ctx, client.post(proto, MODEL, true), exchange -> {
      assertThat(proto.textDeltaCount(exchange.events())).isEqualTo(3);
      assertThat(proto.text(exchange.events())).isEqualTo(TEXT);
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("cutAfterChunks closes the connection after n deltas, without any terminating event")
  void cutAfterChunks(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).cutAfterChunks(2));
    check(ctx, client.post(proto, MODEL, true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(exchange.endedCleanly()).as("connection closed before the response ended").isFalse();
      assertThat(proto.text(events)).isEqualTo("The quick");
      assertThat(events.stream().noneMatch(proto::isTerminator)).isTrue();
      assertThat(exchange.body()).doesNotContain("[DONE]");
      assertThat(fake.cancelledStreams()).isZero();
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("errorEventAfterChunks sends the protocol's in-stream error after n deltas and ends the response")
  void errorEventAfterChunks(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).errorEventAfterChunks(1, "upstream overloaded"));
    check(ctx, client.post(proto, MODEL, true), exchange -> {
      List<SseEvent> events = exchange.events();
      assertThat(exchange.endedCleanly()).isTrue();
      assertThat(proto.text(events)).isEqualTo("The");
      SseEvent last = events.get(events.size() - 1);
      assertThat(proto.isErrorEvent(last)).as("last event is an error: %s", last).isTrue();
      assertThat(last.data()).contains("upstream overloaded");
      assertThat(events.stream().noneMatch(proto::isTerminator)).isTrue();
      assertThat(exchange.body()).doesNotContain("[DONE]");
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("expectApiKey refuses a missing or wrong key with the provider's own status and accepts the right one")
  void expectApiKey(Proto proto, VertxTestContext ctx) {
    fake.expectApiKey("sk-right-key-123456");
    int missingStatus = proto == Proto.GEMINI ? 403 : 401;
    int wrongStatus = proto == Proto.GEMINI ? 400 : 401;
    Future<Exchange> missing = client.post(proto.uri(MODEL, false), proto.body(MODEL, false), proto.headers(null));
    Future<Exchange> wrong = client.post(proto.uri(MODEL, false), proto.body(MODEL, false),
        proto.headers("sk-wrong-key-654321"));
    Future<Exchange> right = client.post(proto.uri(MODEL, false), proto.body(MODEL, false),
        proto.headers("sk-right-key-123456"));
    check(ctx, Future.all(missing, wrong, right), all -> {
      assertThat(missing.result().status()).isEqualTo(missingStatus);
      assertThat(wrong.result().status()).isEqualTo(wrongStatus);
      assertThat(right.result().status()).isEqualTo(200);
      assertThat(missing.result().body()).contains("error");
      assertThat(fake.requestsFor(MODEL)).hasSize(3);
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("a scripted sequence answers in order and repeats its last behavior")
  void scriptedSequence(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.error(503, "busy"), Behavior.reply("second answer"));
    Future<List<Exchange>> three = client.post(proto, MODEL, false)
        .compose(first -> client.post(proto, MODEL, false)
            .compose(second -> client.post(proto, MODEL, false)
                .map(third -> List.of(first, second, third))));
    check(ctx, three, exchanges -> {
      assertThat(exchanges.get(0).status()).isEqualTo(503);
      assertThat(exchanges.get(0).body()).contains("busy");
      assertThat(exchanges.get(1).status()).isEqualTo(200);
      assertThat(exchanges.get(1).body()).contains("second answer");
      assertThat(exchanges.get(2).body()).contains("second answer");
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("a client closing mid-stream is counted in cancelledStreams and the fake stops writing")
  void countsCancelledStreams(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply(TEXT).chunkDelay(Duration.ofMillis(40)));
    AtomicBoolean closed = new AtomicBoolean();
    AtomicInteger openWhileStreaming = new AtomicInteger(-1);
    Future<Exchange> exchange = client.send(HttpMethod.POST, proto.uri(MODEL, true),
        proto.body(MODEL, true).toBuffer(), proto.headers(null), (response, buffer) -> {
          if (closed.compareAndSet(false, true)) {
            openWhileStreaming.set(fake.openStreams());
            response.request().connection().close();
          }
        });
    Future<Void> cancelled = exchange.transform(ar -> client.eventually(
        () -> fake.cancelledStreams() == 1 && fake.openStreams() == 0, 5_000));
    check(ctx, cancelled, v -> {
      assertThat(openWhileStreaming.get()).isEqualTo(1);
      assertThat(exchange.result().endedCleanly()).isFalse();
      assertThat(proto.text(exchange.result().events())).isNotEqualTo(TEXT);
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("a body that is not JSON gets the provider's 400")
  void rejectsInvalidJson(Proto proto, VertxTestContext ctx) {
    check(ctx, client.send(HttpMethod.POST, proto.uri(MODEL, false), Buffer.buffer("{not json"),
        proto.headers(null), null), exchange -> {
      assertThat(exchange.status()).isEqualTo(400);
      assertThat(exchange.body()).contains("error");
      assertThat(fake.requests()).singleElement().satisfies(r -> assertThat(r.body()).isNull());
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("every request is recorded with its protocol, model, stream flag, headers and body")
  void recordsRequests(Proto proto, VertxTestContext ctx) {
    check(ctx, client.post(proto, MODEL, true), exchange -> {
      RecordedRequest recorded = fake.requests().get(0);
      assertThat(recorded.method()).isEqualTo("POST");
      assertThat(recorded.protocol()).isEqualTo(switch (proto) {
        case CHAT -> "openai-chat";
        case RESPONSES -> "openai-responses";
        case ANTHROPIC -> "anthropic";
        case GEMINI -> "gemini";
      });
      assertThat(recorded.model()).isEqualTo(MODEL);
      assertThat(recorded.stream()).isTrue();
      assertThat(recorded.body()).isEqualTo(proto.body(MODEL, true));
      assertThat(fake.requestsFor(MODEL)).containsExactly(recorded);
      assertThat(fake.requestsFor("other")).isEmpty();
      assertThat(proto.text(exchange.events())).isEqualTo("Hello from " + MODEL);
    });
  }

  @Test
  @DisplayName("an unknown path or method gets a 404")
  void unknownPath(VertxTestContext ctx) {
    Future<Exchange> unknown = client.post("/v1/unknown", new JsonObject(), null);
    Future<Exchange> get = client.send(HttpMethod.GET, "/v1/chat/completions", Buffer.buffer(), null, null);
    Future<Exchange> geminiMethod = client.post("/v1beta/models/m:countTokens", new JsonObject(), null);
    check(ctx, Future.all(unknown, get, geminiMethod), all -> {
      assertThat(unknown.result().status()).isEqualTo(404);
      assertThat(unknown.result().error().getString("message")).isEqualTo("Invalid URL (POST /v1/unknown)");
      assertThat(get.result().status()).isEqualTo(404);
      assertThat(geminiMethod.result().status()).isEqualTo(404);
      assertThat(geminiMethod.result().error().getString("status")).isEqualTo("NOT_FOUND");
    });
  }

  @Test
  @DisplayName("hang accepts the request and never answers")
  void hang(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.hang());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
        .setIdleTimeout(300);
    Future<HttpClientResponse> response = client.sendRaw(options, Proto.CHAT.body(MODEL, false).toBuffer());
    response.onComplete(ctx.failing(error -> ctx.verify(() -> {
      assertThat(error).hasMessageContaining("timeout");
      assertThat(fake.requestsFor(MODEL)).hasSize(1);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("connectionReset drops the connection without any HTTP response")
  void connectionReset(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.connectionReset());
    client.post(Proto.CHAT, MODEL, false).onComplete(ctx.failing(error -> ctx.verify(() -> {
      assertThat(fake.requestsFor(MODEL)).hasSize(1);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("firstByteDelay holds the status line back")
  void firstByteDelay(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("late").firstByteDelay(Duration.ofMillis(250)));
    long start = System.nanoTime();
    check(ctx, client.post(Proto.CHAT, MODEL, false), exchange -> {
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    });
  }

  @Test
  @DisplayName("chunkDelay spaces the events out, each arriving in its own read")
  void chunkDelay(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("one two three four").chunkDelay(Duration.ofMillis(30)));
    check(ctx, client.post(Proto.ANTHROPIC, MODEL, true), exchange -> {
      int events = exchange.events().size();
      assertThat(exchange.reads()).isGreaterThan(events / 2);
      assertThat(Duration.ofNanos(exchange.lastReadNanos() - exchange.firstReadNanos()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(30L * (events - 1)));
      assertThat(Proto.ANTHROPIC.text(exchange.events())).isEqualTo("one two three four");
    });
  }

  @Test
  @DisplayName("extra headers from the behavior reach the response, errors included")
  void extraHeaders(VertxTestContext ctx) {
    fake.script(MODEL, Behavior.error(429, "slow down").header("retry-after", "7"));
    check(ctx, client.post(Proto.CHAT, MODEL, false), exchange -> {
      assertThat(exchange.status()).isEqualTo(429);
      assertThat(exchange.headers().get("Retry-After")).isEqualTo("7");
    });
  }

  @ParameterizedTest
  @EnumSource(Proto.class)
  @DisplayName("streamOnly refuses non-stream requests with a 400 and still streams")
  void streamOnly(Proto proto, VertxTestContext ctx) {
    fake.script(MODEL, Behavior.reply("streamed").streamOnly());
    Future<Exchange> plain = client.post(proto, MODEL, false);
    Future<Exchange> streamed = plain.compose(p -> client.post(proto, MODEL, true));
    check(ctx, streamed, exchange -> {
      assertThat(plain.result().status()).isEqualTo(400);
      assertThat(plain.result().body()).contains("stream must be true");
      assertThat(exchange.status()).isEqualTo(200);
      assertThat(proto.text(exchange.events())).isEqualTo("streamed");
    });
  }

  @Test
  @DisplayName("reset forgets scripts, requests and cancelled streams but keeps the expected key")
  void reset(VertxTestContext ctx) {
    fake.expectApiKey("k");
    fake.script(MODEL, Behavior.error(500, "boom"));
    Future<Exchange> before = client.post(Proto.CHAT.uri(MODEL, false), Proto.CHAT.body(MODEL, false),
        Proto.CHAT.headers("k"));
    Future<Exchange> after = before.compose(b -> {
      fake.reset();
      return client.post(Proto.CHAT.uri(MODEL, false), Proto.CHAT.body(MODEL, false), Proto.CHAT.headers("k"));
    });
    Future<Exchange> keyless = after.compose(a -> client.post(Proto.CHAT, MODEL, false));
    check(ctx, keyless, noKey -> {
      assertThat(before.result().status()).isEqualTo(500);
      assertThat(after.result().status()).isEqualTo(200);
      assertThat(noKey.status()).isEqualTo(401);
      assertThat(fake.requests()).hasSize(2);
    });
  }

  @Test
  @DisplayName("base URLs point at the bound port with each provider's version segment")
  void baseUrls() {
    assertThat(fake.openAiBaseUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/v1");
    assertThat(fake.anthropicBaseUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/v1");
    assertThat(fake.geminiBaseUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/v1beta");
  }
}
