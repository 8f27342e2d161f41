package gateway.router.provider.responses;

import gateway.router.provider.chatshape.ChatContent;
import gateway.router.provider.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI chat request as an OpenAI Responses request, for channels with {@code wire_api:
 * responses}. Messages become input items: system, developer, user and assistant messages keep
 * their role, an assistant's tool calls become {@code function_call} items and tool messages
 * {@code function_call_output} items. Chat fields Responses has no meaning for ({@code stop},
 * {@code n}, {@code logprobs}...) are dropped, since Responses refuses unknown fields.
 */
final class ResponsesRequest {

  /** Fields with the same name and meaning in both. */
  private static final List<String> SAME_NAME = List.of(
      "temperature", "top_p", "parallel_tool_calls", "user", "safety_identifier", "prompt_cache_key",
      "service_tier", "metadata");

  /** Chat's output bounds → Responses' one; the first present wins. */
  private static final List<String> OUTPUT_BOUNDS = List.of("max_completion_tokens", "max_tokens");

  /** Chat content part types → Responses input content types. */
  private static final Map<String, String> PART_TYPES = Map.of(
      "text", "input_text",
      "image_url", "input_image",
      "file", "input_file");

  private ResponsesRequest() {
  }

  static JsonObject from(JsonObject chat, boolean stream) {
    JsonObject body = new JsonObject().put("model", Json.string(chat, "model", null)).put("input", input(chat));
    for (String field : SAME_NAME) {
      if (chat.getValue(field) != null) {
        body.put(field, chat.getValue(field));
      }
    }
    for (String field : OUTPUT_BOUNDS) {
      if (chat.getValue(field) instanceof Number n && !body.containsKey("max_output_tokens")) {
        body.put("max_output_tokens", n);
      }
    }
    if (chat.getValue("reasoning_effort") instanceof String effort) {
      body.put("reasoning", new JsonObject().put("effort", effort));
    }
    if (chat.getValue("response_format") instanceof JsonObject format) {
      JsonObject textFormat = textFormat(format);
      if (textFormat != null) {
        body.put("text", new JsonObject().put("format", textFormat));
      }
    }
    addTools(chat, body);
    // Chat clients expect no state kept at the provider between calls.
    body.put("store", false);
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  private static JsonArray input(JsonObject chat) {
    JsonArray items = new JsonArray();
    for (Object item : Json.array(chat, "messages")) {
      if (!(item instanceof JsonObject message)) {
        continue;
      }
      String role = Json.string(message, "role", "");
      switch (role) {
        case "system", "developer", "user" -> items.add(new JsonObject().put("type", "message").put("role", role)
            .put("content", inputContent(message.getValue("content"))));
        case "assistant" -> addAssistant(message, items);
        case "tool" -> items.add(new JsonObject()
            .put("type", "function_call_output")
            .put("call_id", Json.string(message, "tool_call_id", null))
            .put("output", ChatContent.text(message.getValue("content"))));
        default -> { } // legacy "function" messages carry no call id to answer
      }
    }
    return items;
  }

  private static void addAssistant(JsonObject message, JsonArray items) {
    String text = ChatContent.text(message.getValue("content"));
    if (!text.isEmpty()) {
      items.add(new JsonObject().put("type", "message").put("role", "assistant").put("content", text));
    }
    for (Object item : Json.array(message, "tool_calls")) {
      if (item instanceof JsonObject call) {
        JsonObject function = Json.object(call, "function");
        Object arguments = function.getValue("arguments");
        items.add(new JsonObject()
            .put("type", "function_call")
            .put("call_id", Json.string(call, "id", null))
            .put("name", Json.string(function, "name", null))
            .put("arguments", arguments instanceof String s ? s : arguments == null ? "{}" : String.valueOf(arguments)));
      }
    }
  }

  /** A plain string stays a string; typed parts become Responses input parts (audio has none and is left out). */
  private static Object inputContent(Object content) {
    if (content instanceof String text) {
      return text;
    }
    JsonArray parts = new JsonArray();
    for (JsonObject part : ChatContent.parts(content)) {
      String type = PART_TYPES.get(Json.string(part, "type", "text"));
      if (type == null) {
        continue;
      }
      JsonObject converted = new JsonObject().put("type", type);
      switch (type) {
        case "input_text" -> converted.put("text", Json.string(part, "text", ""));
        case "input_image" -> {
          converted.put("image_url", ChatContent.imageUrl(part));
          if (part.getValue("image_url") instanceof JsonObject image && image.getValue("detail") != null) {
            converted.put("detail", image.getValue("detail"));
          }
        }
        default -> Json.object(part, "file").forEach(f -> converted.put(f.getKey(), f.getValue()));
      }
      parts.add(converted);
    }
    return parts;
  }

  private static JsonObject textFormat(JsonObject format) {
    return switch (Json.string(format, "type", "")) {
      case "json_object" -> new JsonObject().put("type", "json_object");
      case "json_schema" -> {
        JsonObject schema = Json.object(format, "json_schema");
        JsonObject converted = new JsonObject().put("type", "json_schema");
        schema.forEach(f -> converted.put(f.getKey(), f.getValue()));
        yield converted;
      }
      default -> null;
    };
  }

  private static void addTools(JsonObject chat, JsonObject body) {
    JsonArray tools = new JsonArray();
    for (Object item : Json.array(chat, "tools")) {
      if (item instanceof JsonObject tool && tool.getValue("function") instanceof JsonObject function) {
        JsonObject declared = new JsonObject().put("type", "function");
        function.forEach(f -> declared.put(f.getKey(), f.getValue()));
        tools.add(declared);
      }
    }
    if (tools.isEmpty()) {
      return;
    }
    body.put("tools", tools);
    Object choice = chat.getValue("tool_choice");
    if (choice instanceof String word) {
      body.put("tool_choice", word);
    } else if (choice instanceof JsonObject named && named.getValue("function") instanceof JsonObject function) {
      body.put("tool_choice", new JsonObject().put("type", "function").put("name", Json.string(function, "name", null)));
    }
  }
}
