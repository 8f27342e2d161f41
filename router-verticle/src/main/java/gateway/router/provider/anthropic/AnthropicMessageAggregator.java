package gateway.router.provider.anthropic;

import gateway.router.provider.ChunkAggregator;
import gateway.router.provider.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds Anthropic's stream events into the {@code message} a non-stream call answers: the
 * {@code message_start} message, each content block grown by its deltas (text, thinking and its
 * signature, tool input JSON, citations), the {@code message_delta} fields and usage on top.
 */
final class AnthropicMessageAggregator implements ChunkAggregator {
  private final Map<Integer, JsonObject> blocks = new TreeMap<>();
  private final Map<Integer, StringBuilder> inputJson = new TreeMap<>();
  private JsonObject message = new JsonObject().put("type", "message").put("role", "assistant");

  @Override
  public void accept(JsonObject event) {
    switch (event.getString("type", "")) {
      case "message_start" -> message = event.getJsonObject("message", new JsonObject()).copy();
      case "content_block_start" -> blocks.put(event.getInteger("index", blocks.size()),
          event.getJsonObject("content_block", new JsonObject()).copy());
      case "content_block_delta" -> delta(event.getInteger("index", 0), event.getJsonObject("delta", new JsonObject()));
      case "message_delta" -> {
        event.getJsonObject("delta", new JsonObject()).forEach(f -> message.put(f.getKey(), f.getValue()));
        message.put("usage", AnthropicUsage.merge(message.getJsonObject("usage"), event.getJsonObject("usage")));
      }
      default -> { }
    }
  }

  private void delta(int index, JsonObject delta) {
    JsonObject block = blocks.computeIfAbsent(index, i -> new JsonObject());
    switch (delta.getString("type", "")) {
      case "text_delta" -> block.put("text", block.getString("text", "") + delta.getString("text", ""));
      case "thinking_delta" -> block.put("thinking", block.getString("thinking", "") + delta.getString("thinking", ""));
      case "signature_delta" -> block.put("signature", delta.getString("signature"));
      case "input_json_delta" -> inputJson.computeIfAbsent(index, i -> new StringBuilder())
          .append(delta.getString("partial_json", ""));
      case "citations_delta" -> {
        JsonArray citations = block.getValue("citations") instanceof JsonArray c ? c : new JsonArray();
        block.put("citations", citations.add(delta.getValue("citation")));
      }
      default -> { }
    }
  }

  @Override
  public JsonObject completion() {
    JsonArray content = new JsonArray();
    blocks.forEach((index, block) -> {
      StringBuilder json = inputJson.get(index);
      if (json != null) {
        JsonObject input = Json.objectOrNull(json.toString());
        block.put("input", input != null ? input : new JsonObject());
      }
      content.add(block);
    });
    return message.put("content", content);
  }
}
