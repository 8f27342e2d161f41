package gateway.router.exchange;

import gateway.router.provider.ApiFormat;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One call of a client, in any format, as the exchange carries it: the body as the client wrote
 * it (what a route speaking that format receives untranslated), its {@link ChatForm} (what every
 * other route receives, by way of the chat shape), how it wants its answer and what bounds it.
 * Built by one named factory per endpoint.
 *
 * @param forwardedHeaders client headers the format carries upstream untranslated (e.g. {@code anthropic-beta})
 */
public record ClientCall(ApiFormat format, String model, JsonObject body, ChatForm chat, Delivery delivery,
                         OutputBound output, Map<String, String> forwardedHeaders) {

  public ClientCall {
    forwardedHeaders = Map.copyOf(forwardedHeaders);
  }

  /** {@code /v1/chat/completions}: the body is its own chat form. */
  public static ClientCall chat(JsonObject body, String model, Delivery delivery, boolean wantsUsage,
                                OutputBound output) {
    return new ClientCall(ApiFormat.CHAT_COMPLETIONS, model, body, new ChatForm.Chat(body, wantsUsage), delivery,
        output, Map.of());
  }

  /** {@code /v1/responses}: passed through to Responses channels, translated for the others. */
  public static ClientCall responses(JsonObject body, String model, Delivery delivery, OutputBound output,
                                     ChatForm chat) {
    return new ClientCall(ApiFormat.RESPONSES, model, body, chat, delivery, output, Map.of());
  }

  /** {@code /v1/messages}: passed through to Anthropic channels, translated for the others. */
  public static ClientCall messages(JsonObject body, String model, Delivery delivery, OutputBound output,
                                    ChatForm chat, Map<String, String> forwardedHeaders) {
    return new ClientCall(ApiFormat.MESSAGES, model, body, chat, delivery, output, forwardedHeaders);
  }

  /** {@code /v1/embeddings}: passed through only, never streamed, no output. */
  public static ClientCall embeddings(JsonObject body, String model) {
    // What counts is the input alone: a stray 'messages' beside it must not count as a chat.
    JsonObject input = new JsonObject().put("input", body.getValue("input"));
    return new ClientCall(ApiFormat.EMBEDDINGS, model, body, new ChatForm.None("embeddings have no chat form", input),
        Delivery.WHOLE, OutputBound.NONE, Map.of());
  }

  /** {@code /v1/images/*}: sent to image APIs only, whole, priced per image; the prompt is what counts. */
  public static ClientCall images(JsonObject body, String model, String prompt) {
    return new ClientCall(ApiFormat.IMAGES, model, body, new ChatForm.None("images have no chat form",
        new JsonObject().put("input", prompt)), Delivery.WHOLE, OutputBound.NONE, Map.of());
  }

  public boolean streamed() {
    return delivery == Delivery.STREAMED;
  }

  /** The chat form, or null when the call has none. */
  public ChatForm.Chat chatForm() {
    return chat instanceof ChatForm.Chat c ? c : null;
  }

  /** What prompt counts read when a provider reports no usage: the chat form, or what stands in for it. */
  public JsonObject counted() {
    return chat instanceof ChatForm.Chat c ? c.body() : ((ChatForm.None) chat).counted();
  }

  /** The body to send to a route speaking the client's format: a copy naming the route's upstream model. */
  public JsonObject forUpstream(String upstreamModel) {
    return body.copy().put("model", upstreamModel);
  }
}
