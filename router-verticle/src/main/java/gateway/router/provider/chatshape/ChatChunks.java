package gateway.router.provider.chatshape;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI {@code chat.completion.chunk} objects of one stream, for adapters whose provider
 * streams in another shape. Every chunk of a stream shares its id, model and creation time, and
 * carries every field the OpenAI SDKs read ({@code finish_reason} and {@code logprobs} as null
 * rather than absent).
 */
public final class ChatChunks {
  private final String id;
  private final String model;
  private final long created;

  public ChatChunks(String id, String model, long created) {
    this.id = id;
    this.model = model;
    this.created = created;
  }

  /** The first chunk of a choice, as OpenAI sends it: the role and an empty content. */
  public JsonObject role(int choice) {
    return delta(choice, new JsonObject().put("role", "assistant").put("content", ""));
  }

  public JsonObject content(int choice, String text) {
    return delta(choice, new JsonObject().put("content", text));
  }

  public JsonObject refusal(int choice, String text) {
    return delta(choice, new JsonObject().put("refusal", text));
  }

  public JsonObject reasoning(int choice, String text) {
    return delta(choice, new JsonObject().put("reasoning_content", text));
  }

  /** The first delta of a tool call: its index, id, type and name, with empty arguments. */
  public JsonObject toolCallStart(int choice, int index, String callId, String name) {
    return delta(choice, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
        .put("index", index)
        .put("id", callId)
        .put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", "")))));
  }

  /** A later delta of a tool call: its index and a fragment of its arguments, nothing else. */
  public JsonObject toolCallArguments(int choice, int index, String fragment) {
    return delta(choice, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
        .put("index", index)
        .put("function", new JsonObject().put("arguments", fragment)))));
  }

  public JsonObject finish(int choice, String finishReason) {
    return chunk(new JsonArray().add(choice(choice, new JsonObject()).put("finish_reason", finishReason)));
  }

  /** The usage chunk that ends an OpenAI stream asked for usage: no choices. */
  public JsonObject usage(JsonObject openAiUsage) {
    return chunk(new JsonArray()).put("usage", openAiUsage);
  }

  private JsonObject delta(int choice, JsonObject delta) {
    return chunk(new JsonArray().add(choice(choice, delta)));
  }

  private static JsonObject choice(int index, JsonObject delta) {
    return new JsonObject()
        .put("index", index)
        .put("delta", delta)
        .putNull("logprobs")
        .putNull("finish_reason");
  }

  private JsonObject chunk(JsonArray choices) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model)
        .put("choices", choices);
  }
}
