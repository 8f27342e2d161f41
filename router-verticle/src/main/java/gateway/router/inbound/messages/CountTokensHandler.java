package gateway.router.inbound.messages;

import gateway.common.GatewayError;
import gateway.common.bus.Principal;
import gateway.router.exchange.ExchangeHandler;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.TokenCounter;
import gateway.router.edge.KeyAuthenticator;
import gateway.router.limits.FreeCallLimit;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages/count_tokens}, which Claude Code calls to size its context: the prompt tokens of a
 * Messages request ({@code {"input_tokens": n}}), counted by the gateway with the same tokenizer it bills with when
 * a provider reports no usage. An estimate for non-OpenAI models; free, and never sent upstream, but the key must
 * be allowed the model.
 *
 * <p>Free is not unlimited: each key may count {@code GATEWAY_COUNT_TOKENS_PER_MINUTE} times a minute (checked
 * before the body is read, 429 past it), bodies are bounded by {@code GATEWAY_COUNT_TOKENS_MAX_BODY_BYTES} (413),
 * and parsing and counting run on a small worker pool of their own, never on the event loop; when that pool has
 * more work queued than it can finish soon, further calls get 503.
 */
public final class CountTokensHandler implements Handler<RoutingContext> {
  /** Threads counting tokens, shared by every router instance of the process (closed with the verticle). */
  private static final int WORKERS = 2;
  /** Calls one router instance lets wait for a worker before refusing more. */
  private static final int MAX_QUEUED = 16;
  private static final String ENDPOINT = "count_tokens";

  private final ExchangeHandler chat;
  private final FreeCallLimit limit;
  private final WorkerExecutor workers;
  private int queued;

  public CountTokensHandler(ExchangeHandler chat, FreeCallLimit limit) {
    this.chat = chat;
    this.limit = limit;
    this.workers = chat.services().vertx().createSharedWorkerExecutor("gateway-count-tokens", WORKERS);
  }

  /** Before the body is read: one more call in the key's minute, or 429. */
  public void limit(RoutingContext ctx) {
    Principal principal = KeyAuthenticator.principal(ctx);
    limit.count(ENDPOINT, principal.keyId()).onComplete(verdict -> {
      if (verdict.failed()) {
        ctx.fail(verdict.cause());
        return;
      }
      FreeCallLimit.Verdict v = verdict.result();
      if (v.allowed()) {
        ctx.next();
        return;
      }
      if (!v.unavailable()) {
        RouterMetrics.rateLimitRefused(ENDPOINT);
      }
      ctx.response().putHeader("retry-after", Long.toString(Math.max(1, (v.retryAfterMs() + 999) / 1000)));
      ctx.fail(v.unavailable()
          ? GatewayError.SERVICE_UNAVAILABLE.exception("Token counting is unavailable right now; retry shortly.")
          : GatewayError.RATE_LIMITED.exception("Rate limit reached for count_tokens: " + v.limit()
              + " calls per minute for this API key."));
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (queued >= MAX_QUEUED) {
      ctx.response().putHeader("retry-after", "1");
      ctx.fail(GatewayError.SERVICE_UNAVAILABLE.exception("Too many token counts are in progress; retry shortly."));
      return;
    }
    Buffer body = ctx.body().buffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().headers());
    TokenCounter tokens = chat.services().tokens();
    queued++;
    workers.executeBlocking(() -> {
          ClientCall call = MessagesCall.parse(body, headers, false);
          return new Counted(call.model(), tokens.promptTokens(call.counted()));
        }, false)
        .onComplete(done -> queued--)
        .compose(counted -> chat.resolveInScope(ctx, counted.model()).map(model -> counted.tokens()))
        .onSuccess(count -> ctx.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("input_tokens", count).toBuffer()))
        .onFailure(ctx::fail);
  }

  private record Counted(String model, long tokens) {
  }
}
