package gateway.router.inbound.messages;

import gateway.router.chat.ChatHandler;
import gateway.router.chat.ChatRequest;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/messages/count_tokens}, which Claude Code calls to size its context: the prompt
 * tokens of a Messages request ({@code {"input_tokens": n}}), counted by the gateway with the same
 * tokenizer it bills with when a provider reports no usage. An estimate for non-OpenAI models; free,
 * and never sent upstream, but the key must be allowed the model.
 */
public final class CountTokensHandler implements Handler<RoutingContext> {
  private final ChatHandler chat;

  public CountTokensHandler(ChatHandler chat) {
    this.chat = chat;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ChatRequest request = MessagesRequest.parse(ctx.body().buffer(), ctx.request().headers(), false);
    chat.countPromptTokens(ctx, request, "input_tokens");
  }
}
