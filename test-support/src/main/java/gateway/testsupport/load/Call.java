package gateway.testsupport.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One kind of request a load sends: its path, body and protocol, whether it streams and, for a client that
 * leaves mid-stream, after how many {@code data:} lines it hangs up.
 *
 * @param name              what the report calls it
 * @param hangUpAfterEvents the client closes the connection once it has read this many SSE events; -1 never
 */
public record Call(String name, Protocol protocol, String path, JsonObject body, boolean stream,
                   int hangUpAfterEvents) {
  private static final int MAX_TOKENS = 64;

  public Call {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(path, "path");
    body = body.copy();
  }

  /** A chat completion of one user message, with a small output limit. */
  public static Call chat(String model, boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", MAX_TOKENS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "Tell me something short about the sea.")));
    return new Call("chat " + model + (stream ? " stream" : ""), Protocol.CHAT, "/v1/chat/completions",
        stream ? body.put("stream", true) : body, stream, -1);
  }

  /** A chat completion offering one function tool, as agents send. */
  public static Call chatWithTools(String model, boolean stream) {
    JsonObject weather = new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", "get_weather").put("description", "The weather in a city")
        .put("parameters", new JsonObject().put("type", "object").put("properties", new JsonObject()
            .put("city", new JsonObject().put("type", "string"))).put("required", new JsonArray().add("city"))));
    Call plain = chat(model, stream);
    return new Call("tools " + model + (stream ? " stream" : ""), Protocol.CHAT, plain.path(),
        plain.body().put("tools", new JsonArray().add(weather)), stream, -1);
  }

  /** A Responses API request with plain text input. */
  public static Call responses(String model, boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("max_output_tokens", MAX_TOKENS)
        .put("input", "Name three colours of the sea.");
    return new Call("responses " + model + (stream ? " stream" : ""), Protocol.RESPONSES, "/v1/responses",
        stream ? body.put("stream", true) : body, stream, -1);
  }

  /** An Anthropic Messages request with one user message. */
  public static Call messages(String model, boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", MAX_TOKENS)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "Describe a wave in one sentence.")));
    return new Call("messages " + model + (stream ? " stream" : ""), Protocol.MESSAGES, "/v1/messages",
        stream ? body.put("stream", true) : body, stream, -1);
  }

  /** This stream, read until {@code events} SSE events arrived, then the client closes the connection. */
  public Call hangingUpAfter(int events) {
    if (!stream) {
      throw new IllegalArgumentException("only a stream can be left mid-way: " + name);
    }
    return new Call(name + " hang-up", protocol, path, body, true, events);
  }

  @Override
  public JsonObject body() {
    return body.copy();
  }
}
