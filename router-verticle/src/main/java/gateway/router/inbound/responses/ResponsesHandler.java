package gateway.router.inbound.responses;

import gateway.router.exchange.ExchangeHandler;
import gateway.router.exchange.ClientCall;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/responses}: OpenAI's Responses format in and out, against any channel. Channels
 * with {@code wire_api: responses} get the request untranslated and their events come back as sent;
 * the others go through the OpenAI chat shape. Everything else (key, scope, limits, hold, fallback,
 * settlement) is the chat path's; errors have the OpenAI shape.
 */
public final class ResponsesHandler implements Handler<RoutingContext> {
  private final ExchangeHandler chat;

  public ResponsesHandler(ExchangeHandler chat) {
    this.chat = chat;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ClientCall call = ResponsesCall.parse(ctx.body().buffer());
    chat.serve(ctx, call, new ResponsesProtocol(call.body(), call.model()));
  }
}
