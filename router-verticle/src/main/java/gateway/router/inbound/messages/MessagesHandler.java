package gateway.router.inbound.messages;

import gateway.router.exchange.ExchangeHandler;
import gateway.router.exchange.ClientCall;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages}: Anthropic's Messages format in and out, against any channel. Anthropic
 * channels get the request untranslated and their events come back as sent; the others go through
 * the OpenAI chat shape. Everything else (key, scope, limits, hold, fallback, settlement) is the
 * chat path's. Errors take Anthropic's shape (the router sets the dialect for this path).
 */
public final class MessagesHandler implements Handler<RoutingContext> {
  private final ExchangeHandler chat;

  public MessagesHandler(ExchangeHandler chat) {
    this.chat = chat;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientCall call = MessagesCall.parse(ctx.body().buffer(), ctx.request().headers(), true);
    chat.serve(ctx, call, new MessagesProtocol(call.model(), call.counted(), ctx.vertx()));
  }
}
