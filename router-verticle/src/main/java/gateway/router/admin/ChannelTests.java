package gateway.router.admin;

import gateway.common.GatewayError;
import gateway.common.bus.CatalogBus;
import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.RouterConfig;
import gateway.router.fields.JsonFields;
import gateway.router.provider.AdapterRegistry;
import gateway.router.provider.ProviderAdapter;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.upstream.BoundedBody;
import gateway.router.upstream.ChannelTimeouts;
import gateway.router.upstream.UpstreamCall;
import gateway.router.upstream.UpstreamDeadlines;
import gateway.router.upstream.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/channels/{name}/test}: one tiny chat request sent straight to a channel through its
 * provider adapter, answering whether it worked and how long it took. An operator's action: no account,
 * no hold, no usage row, and the channel's breaker is left alone (a test of a broken channel must not
 * open it for every customer, nor a good answer close it).
 */
public final class ChannelTests {
  /** A test gives up after this long even when the channel allows more: the operator is waiting at a button. */
  static final long MAX_TEST_MS = 30_000;
  /** The answer asked for: a few tokens, enough to show the channel answers (16: the least the Responses API takes). */
  static final int TEST_MAX_TOKENS = 16;
  private static final long MAX_TEST_ANSWER_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final UpstreamDeadlines deadlines;
  private final HttpClient http;
  private final AdapterRegistry adapters;
  private final RouterConfig config;

  public ChannelTests(Vertx vertx, UpstreamDeadlines deadlines, HttpClient http, AdapterRegistry adapters,
                      RouterConfig config) {
    this.vertx = vertx;
    this.deadlines = deadlines;
    this.http = http;
    this.adapters = adapters;
    this.config = config;
  }

  void mount(Router admin) {
    admin.post("/channels/:name/test").handler(this::test);
  }

  private void test(RoutingContext ctx) {
    String name = AdminApi.name(ctx, "name");
    String asked = JsonFields.string(AdminApi.body(ctx), null, "model");
    if (asked != null) {
      JsonFields.checkIdentifier(asked, "model");
    }
    AdminApi.reply(ctx, 200, vertx.eventBus().<JsonObject>request(CatalogBus.CHANNELS_PROBE,
            new JsonObject().put("name", name))
        .map(reply -> reply.body())
        .compose(probe -> {
          String model = asked != null ? asked : probe.getString("model");
          if (model == null) {
            throw GatewayError.MISSING_FIELD.exception("No llm model is routed to channel '" + name
                + "': name the upstream model to try in 'model'", "model");
          }
          return send(Channel.fromJson(probe.getJsonObject("channel")), model);
        }));
  }

  /** Sends the test call; always succeeds, with {@code ok} false and the sanitised reason when the channel failed. */
  Future<JsonObject> send(Channel channel, String model) {
    JsonObject result = new JsonObject().put("channel", channel.name()).put("model", model);
    ProviderAdapter adapter = adapters.forChannel(channel);
    if (adapter == null) {
      return Future.succeededFuture(result.put("ok", false).put("status", 0).put("latency_ms", 0)
          .put("error", "no adapter speaks channel type '" + channel.type() + "'"));
    }
    boolean stream = channel.streamOnly();
    // max_completion_tokens, as customer calls get: OpenAI's reasoning models refuse max_tokens
    JsonObject chat = new JsonObject().put("model", model).put("max_completion_tokens", TEST_MAX_TOKENS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Say OK.")));
    if (stream) {
      chat.put("stream", true);
    }
    UpstreamRequest request;
    try {
      request = adapter.chatRequest(chat, new Route(channel, model, channel.priority(), channel.weight()), stream);
    } catch (RuntimeException e) {
      return Future.succeededFuture(result.put("ok", false).put("status", 0).put("latency_ms", 0)
          .put("error", "the gateway could not build a call for this channel"));
    }
    long started = System.nanoTime();
    ChannelTimeouts timeouts = ChannelTimeouts.of(channel, config).forAttempt(stream, MAX_TEST_MS);
    UpstreamCall call = UpstreamCall.start(deadlines, http, channel.name(), request, timeouts);
    Promise<JsonObject> answer = Promise.promise();
    call.response().onFailure(failure -> answer.complete(failed(result, errorOf(failure), started)))
        .onSuccess(response -> {
          int status = response.statusCode();
          BoundedBody.read(response, status >= 300 ? BoundedBody.MAX_ERROR_BYTES : MAX_TEST_ANSWER_BYTES, true)
              .onComplete(read -> {
                call.done();
                Buffer body = read.succeeded() ? read.result() : Buffer.buffer();
                if (status >= 300) {
                  answer.complete(failed(result, adapter.error(status, body), started));
                } else if (read.failed()) {
                  answer.complete(failed(result, call.failure("channel '" + channel.name()
                      + "' broke off its answer").error(), started));
                } else {
                  answer.complete(answered(result, adapter, body, stream, status, started));
                }
              });
        });
    return answer.future();
  }

  /** A 2xx answer: ok when it reads as an answer of the channel's protocol (a stream: when it arrived whole). */
  private static JsonObject answered(JsonObject result, ProviderAdapter adapter, Buffer body, boolean stream,
                                     int status, long started) {
    if (!stream) {
      try {
        adapter.completion(body);
      } catch (RuntimeException e) {
        return failed(result, UpstreamError.transport("the channel answered something that is not an answer "
            + "of its protocol"), started).put("status", status);
      }
    }
    return result.put("ok", true).put("status", status).put("latency_ms", millisSince(started));
  }

  private static JsonObject failed(JsonObject result, UpstreamError error, long started) {
    return result.put("ok", false).put("status", error.status()).put("latency_ms", millisSince(started))
        .put("error", error.clientMessage());
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static UpstreamError errorOf(Throwable failure) {
    return failure instanceof UpstreamFailure f ? f.error() : UpstreamError.transport(String.valueOf(failure));
  }
}
