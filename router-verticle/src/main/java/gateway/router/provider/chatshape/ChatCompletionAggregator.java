package gateway.router.provider.chatshape;

import gateway.router.provider.ChunkAggregator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a stream of OpenAI chunks into the one {@code chat.completion} they spell, tool calls
 * included: for clients that asked for a whole answer from a channel that only streams.
 */
public final class ChatCompletionAggregator implements ChunkAggregator {
  private final Map<Integer, Choice> choices = new TreeMap<>();
  private String id;
  private Object created;
  private String model;
  private Object fingerprint;
  private JsonObject usage;

  private static final class Choice {
    final StringBuilder content = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    final StringBuilder refusal = new StringBuilder();
    final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
    String role = "assistant";
    Object finishReason;
  }

  private static final class ToolCall {
    final StringBuilder arguments = new StringBuilder();
    String id;
    String type = "function";
    String name;
  }

  @Override
  public void accept(JsonObject chunk) {
    id = chunk.getString("id", id);
    created = chunk.getValue("created", created);
    model = chunk.getString("model", model);
    fingerprint = chunk.getValue("system_fingerprint", fingerprint);
    if (chunk.getValue("usage") instanceof JsonObject u) {
      usage = u;
    }
    for (Object item : chunk.getJsonArray("choices", new JsonArray())) {
      if (item instanceof JsonObject c) {
        Choice choice = choices.computeIfAbsent(c.getInteger("index", 0), i -> new Choice());
        if (c.getValue("finish_reason") != null) {
          choice.finishReason = c.getValue("finish_reason");
        }
        if (c.getValue("delta") instanceof JsonObject delta) {
          merge(choice, delta);
        }
      }
    }
  }

  private static void merge(Choice choice, JsonObject delta) {
    if (delta.getValue("role") instanceof String role) {
      choice.role = role;
    }
    append(choice.content, delta.getValue("content"));
    append(choice.reasoning, delta.getValue("reasoning_content"));
    append(choice.refusal, delta.getValue("refusal"));
    if (delta.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object item : calls) {
        if (item instanceof JsonObject call) {
          ToolCall tool = choice.toolCalls.computeIfAbsent(call.getInteger("index", 0), i -> new ToolCall());
          tool.id = call.getString("id", tool.id);
          tool.type = call.getString("type", tool.type);
          if (call.getValue("function") instanceof JsonObject function) {
            tool.name = function.getString("name", tool.name);
            append(tool.arguments, function.getValue("arguments"));
          }
        }
      }
    }
  }

  private static void append(StringBuilder to, Object text) {
    if (text instanceof String s) {
      to.append(s);
    }
  }

  /** The whole answer; {@code usage} is the provider's last usage object, or null. */
  @Override
  public JsonObject completion() {
    JsonArray out = new JsonArray();
    choices.forEach((index, choice) -> {
      JsonObject message = new JsonObject().put("role", choice.role)
          .put("content", choice.content.isEmpty() && !choice.toolCalls.isEmpty() ? null : choice.content.toString());
      if (!choice.reasoning.isEmpty()) {
        message.put("reasoning_content", choice.reasoning.toString());
      }
      message.put("refusal", choice.refusal.isEmpty() ? null : choice.refusal.toString());
      if (!choice.toolCalls.isEmpty()) {
        JsonArray calls = new JsonArray();
        choice.toolCalls.values().forEach(t -> calls.add(new JsonObject().put("id", t.id).put("type", t.type)
            .put("function", new JsonObject().put("name", t.name).put("arguments", t.arguments.toString()))));
        message.put("tool_calls", calls);
      }
      out.add(new JsonObject().put("index", index).put("message", message).putNull("logprobs")
          .put("finish_reason", choice.finishReason));
    });
    JsonObject completion = new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", created == null ? System.currentTimeMillis() / 1000 : created)
        .put("model", model)
        .put("choices", out);
    if (fingerprint != null) {
      completion.put("system_fingerprint", fingerprint);
    }
    if (usage != null) {
      completion.put("usage", usage);
    }
    return completion;
  }
}
