package gateway.router.inbound.chat;

import gateway.router.exchange.ClientCall;
import gateway.router.exchange.ExchangeHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/chat/completions}: OpenAI's chat format in and out, against any channel. */
public final class ChatCompletionsHandler implements Handler<RoutingContext> {
  private final ExchangeHandler exchanges;

  public ChatCompletionsHandler(ExchangeHandler exchanges) {
    this.exchanges = exchanges;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientCall call = ChatCall.parse(ctx.body().buffer());
    exchanges.serve(ctx, call, new OpenAiChatProtocol(call));
  }
}
