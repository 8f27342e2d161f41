package gateway.router.exchange;

import static gateway.testsupport.Await.result;

import gateway.testsupport.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.common.money.Usage;
import gateway.router.inbound.chat.OpenAiChunkWriter;
import gateway.router.provider.UpstreamRequest;
import gateway.router.provider.openai.OpenAiAdapter;
import gateway.router.upstream.ChannelTimeouts;
import gateway.router.upstream.UpstreamCall;
import gateway.router.upstream.UpstreamDeadlines;
import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The relay between a real upstream stream (the fake upstream) and a real client response, without
 * the rest of the gateway: how each way a stream ends is reported, and what the client sees.
 */
@ExtendWith(VertxExtension.class)
class SseRelayTest {
  private static final String MODEL = "relayed";

  private final List<StreamEnd> ends = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private FakeUpstream fake;
  private HttpClient http;
  private UpstreamDeadlines deadlines;
  private int frontPort;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = result(FakeUpstream.start(vertx));
    http = vertx.createHttpClient();
    // A front server doing only what the exchange does around a relay.
    frontPort = result(vertx.createHttpServer().requestHandler(request -> {
      HttpServerResponse out = request.response();
      if (deadlines == null) { // on the server's event loop, as a router instance's are
        deadlines = new UpstreamDeadlines(vertx);
      }
      UpstreamCall call = UpstreamCall.start(deadlines, http, "fake", upstreamRequest(),
          new ChannelTimeouts(5_000, 5_000, 5_000, 20_000));
      call.response().onSuccess(upstream -> {
        SseRelay relay = new SseRelay(vertx, call, new OpenAiAdapter().streamTranslator(),
            new OpenAiChunkWriter(out, "alias", true), out, (usage, text) -> new Priced(usage == null ? Usage.ZERO
            : usage, 42), 3_000);
        out.closeHandler(v -> relay.clientGone());
        relay.run().onComplete(ended -> {
          ends.add(ended.result());
          if (!out.headWritten()) {
            out.setStatusCode(502).end("nothing relayed");
          }
        });
      });
    }).listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  @DisplayName("a complete stream reaches the client whole, with the priced usage and [DONE]")
  void completed() {
    fake.script(MODEL, Behavior.reply("alpha beta gamma").usage(12, 3));

    String body = fetch();

    assertThat(body).contains("alpha").contains("\"cost\"").endsWith("data: [DONE]\n\n");
    assertThat(awaitEnd().kind()).isEqualTo(StreamEnd.Kind.COMPLETED);
    assertThat(ends.get(0).priced().costMicros()).isEqualTo(42);
    assertThat(ends.get(0).upstreamUsage().inputTokens()).isEqualTo(12);
  }

  @Test
  @DisplayName("a stream broken after content ends with an error event and no [DONE]")
  void cutAfterContent() {
    fake.script(MODEL, Behavior.reply("alpha beta gamma delta").cutAfterChunks(2));

    String body = fetch();

    assertThat(body).contains("alpha").contains("\"error\"").doesNotContain("[DONE]");
    StreamEnd end = awaitEnd();
    assertThat(end.kind()).isEqualTo(StreamEnd.Kind.CUT_AFTER_CONTENT);
    assertThat(end.output().toString()).contains("alpha");
  }

  @Test
  @DisplayName("a stream failing before any content leaves the client untouched: the relay wrote nothing")
  void failedBeforeContent() {
    fake.script(MODEL, Behavior.reply("never").cutAfterChunks(0));

    assertThat(fetch()).isEqualTo("nothing relayed");
    assertThat(awaitEnd().kind()).isEqualTo(StreamEnd.Kind.FAILED_BEFORE_CONTENT);
  }

  @Test
  @DisplayName("a client that leaves: the stream is read on, unwritten, until the provider's usage arrives")
  void clientGoneReadsTheUsage() {
    fake.script(MODEL, Behavior.reply("one two three four five").usage(30, 400).chunkDelay(Duration.ofMillis(100)));

    result(http.request(HttpMethod.POST, frontPort, "127.0.0.1", "/").compose(request -> request.send())
        .compose(response -> {
          response.handler(chunk -> {
            if (chunk.toString().contains("one")) {
              response.request().connection().close();
            }
          });
          return io.vertx.core.Future.succeededFuture();
        }));

    StreamEnd end = awaitEnd();
    assertThat(end.kind()).isEqualTo(StreamEnd.Kind.CLIENT_GONE);
    assertThat(end.upstreamUsage()).isNotNull();
    assertThat(end.upstreamUsage().outputTokens()).isEqualTo(400);
    assertThat(fake.cancelledStreams()).isZero();
  }

  private String fetch() {
    return Await.onEventLoop(vertx, () -> http.request(HttpMethod.POST, frontPort, "127.0.0.1", "/")
        .compose(request -> request.send())
        .compose(response -> response.body())).toString();
  }

  private StreamEnd awaitEnd() {
    await().atMost(Duration.ofSeconds(15)).until(() -> ends.size() == 1);
    return ends.get(0);
  }

  private UpstreamRequest upstreamRequest() {
    JsonObject body = new JsonObject().put("model", MODEL).put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go")));
    return new UpstreamRequest(fake.openAiBaseUrl() + "/chat/completions",
        MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json"), Buffer.buffer(body.encode()));
  }
}
