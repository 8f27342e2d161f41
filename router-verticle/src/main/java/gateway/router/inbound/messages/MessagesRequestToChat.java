package gateway.router.inbound.messages;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Anthropic Messages request as an OpenAI chat request, for routes that do not speak Messages.
 * {@code system} becomes the system message; a user turn's {@code tool_result} blocks become tool
 * messages ahead of the rest of the turn; an assistant turn's {@code tool_use} blocks become tool
 * calls (the block id is the call id, the input its JSON arguments). What chat cannot carry is left
 * out: thinking blocks (their signatures mean nothing elsewhere), {@code cache_control} marks,
 * server tools, {@code top_k}, {@code metadata}, the {@code thinking} switch.
 */
final class MessagesRequestToChat {

  /** Anthropic {@code tool_choice.type} → OpenAI {@code tool_choice} word; {@code tool} names one. */
  private static final Map<String, String> TOOL_CHOICE = Map.of(
      "auto", "auto",
      "any", "required",
      "none", "none");

  /** Fields with the same name and meaning in both. */
  private static final List<String> SAME_NAME = List.of("temperature", "top_p");

  /** Anthropic field → chat field, the value unchanged. */
  private static final Map<String, String> RENAMED = Map.of(
      "max_tokens", "max_completion_tokens",
      "stop_sequences", "stop");

  /** Tool types a client declares itself; the others are server tools only Anthropic runs. */
  private static final List<String> CLIENT_TOOL_TYPES = List.of("custom");

  private MessagesRequestToChat() {
  }

  static JsonObject translate(JsonObject request) {
    JsonObject chat = new JsonObject().put("model", request.getString("model"));
    JsonArray messages = new JsonArray();
    JsonObject system = systemMessage(request.getValue("system"));
    if (system != null) {
      messages.add(system);
    }
    for (Object item : request.getJsonArray("messages", new JsonArray())) {
      if (item instanceof JsonObject message) {
        if ("assistant".equals(message.getString("role"))) {
          messages.add(assistantMessage(message.getValue("content")));
        } else {
          addUserTurn(message.getValue("content"), messages);
        }
      }
    }
    chat.put("messages", messages);
    for (String field : SAME_NAME) {
      if (request.getValue(field) != null) {
        chat.put(field, request.getValue(field));
      }
    }
    RENAMED.forEach((anthropic, openAi) -> {
      if (request.getValue(anthropic) != null) {
        chat.put(openAi, request.getValue(anthropic));
      }
    });
    addTools(request, chat);
    if (Boolean.TRUE.equals(request.getValue("stream"))) {
      chat.put("stream", true);
    }
    return chat;
  }

  private static JsonObject systemMessage(Object system) {
    if (system instanceof String text) {
      return text.isEmpty() ? null : new JsonObject().put("role", "system").put("content", text);
    }
    if (system instanceof JsonArray blocks) {
      JsonArray parts = new JsonArray();
      blocks.forEach(b -> {
        if (b instanceof JsonObject block && block.getValue("text") instanceof String text) {
          parts.add(new JsonObject().put("type", "text").put("text", text));
        }
      });
      return parts.isEmpty() ? null : new JsonObject().put("role", "system").put("content", parts);
    }
    return null;
  }

  /** Tool results answer the previous assistant turn's calls, so they go first, as tool messages. */
  private static void addUserTurn(Object content, JsonArray messages) {
    if (!(content instanceof JsonArray blocks)) {
      messages.add(new JsonObject().put("role", "user").put("content", content instanceof String s ? s : ""));
      return;
    }
    JsonArray parts = new JsonArray();
    for (Object item : blocks) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      if ("tool_result".equals(block.getString("type"))) {
        messages.add(toolMessage(block));
      } else {
        JsonObject part = userPart(block);
        if (part != null) {
          parts.add(part);
        }
      }
    }
    if (!parts.isEmpty()) {
      messages.add(new JsonObject().put("role", "user").put("content", parts));
    }
  }

  private static JsonObject userPart(JsonObject block) {
    JsonObject source = block.getJsonObject("source", new JsonObject());
    return switch (block.getString("type", "")) {
      case "text" -> new JsonObject().put("type", "text").put("text", block.getString("text", ""));
      case "image" -> {
        String url = sourceUrl(source);
        yield url == null ? null
            : new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
      }
      case "document" -> document(block, source);
      default -> null; // search results, container uploads: nothing chat can take
    };
  }

  private static JsonObject document(JsonObject block, JsonObject source) {
    if ("text".equals(source.getString("type")) && source.getValue("data") instanceof String text) {
      return new JsonObject().put("type", "text").put("text", text);
    }
    if (!"base64".equals(source.getString("type"))) {
      return null;
    }
    String url = sourceUrl(source);
    return new JsonObject().put("type", "file").put("file", new JsonObject()
        .put("filename", block.getString("title", "document.pdf"))
        .put("file_data", url));
  }

  /** A base64 source as a {@code data:} URL, a URL source as itself. */
  private static String sourceUrl(JsonObject source) {
    return switch (source.getString("type", "")) {
      case "base64" -> "data:" + source.getString("media_type", "application/octet-stream") + ";base64,"
          + source.getString("data", "");
      case "url" -> source.getString("url");
      default -> null;
    };
  }

  /** Chat's tool messages take text only; a failed tool says so, since chat has no {@code is_error}. */
  private static JsonObject toolMessage(JsonObject result) {
    List<String> texts = new ArrayList<>();
    Object content = result.getValue("content");
    if (content instanceof String s) {
      texts.add(s);
    } else if (content instanceof JsonArray blocks) {
      blocks.forEach(b -> {
        if (b instanceof JsonObject block && block.getValue("text") instanceof String s) {
          texts.add(s);
        }
      });
    }
    String text = String.join("\n", texts);
    return new JsonObject().put("role", "tool").put("tool_call_id", result.getString("tool_use_id"))
        .put("content", Boolean.TRUE.equals(result.getValue("is_error")) ? "Error: " + text : text);
  }

  private static JsonObject assistantMessage(Object content) {
    JsonObject message = new JsonObject().put("role", "assistant");
    if (!(content instanceof JsonArray blocks)) {
      return message.put("content", content instanceof String s ? s : "");
    }
    StringBuilder text = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    for (Object item : blocks) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      switch (block.getString("type", "")) {
        case "text" -> text.append(block.getString("text", ""));
        case "tool_use" -> toolCalls.add(new JsonObject()
            .put("id", block.getString("id"))
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", block.getString("name"))
                .put("arguments", block.getJsonObject("input", new JsonObject()).encode())));
        default -> { } // thinking, redacted thinking, server tool blocks: meaningless to another provider
      }
    }
    message.put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString());
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    return message;
  }

  private static void addTools(JsonObject request, JsonObject chat) {
    JsonArray tools = new JsonArray();
    for (Object item : request.getJsonArray("tools", new JsonArray())) {
      if (item instanceof JsonObject tool && isClientTool(tool)) {
        JsonObject function = new JsonObject().put("name", tool.getString("name"));
        if (tool.getValue("description") instanceof String description) {
          function.put("description", description);
        }
        function.put("parameters", tool.getJsonObject("input_schema",
            new JsonObject().put("type", "object").put("properties", new JsonObject())));
        tools.add(new JsonObject().put("type", "function").put("function", function));
      }
    }
    if (tools.isEmpty()) {
      return; // a tool_choice without tools is refused by OpenAI
    }
    chat.put("tools", tools);
    if (request.getValue("tool_choice") instanceof JsonObject choice) {
      String type = choice.getString("type", "auto");
      if ("tool".equals(type)) {
        chat.put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", choice.getString("name"))));
      } else if (TOOL_CHOICE.containsKey(type)) {
        chat.put("tool_choice", TOOL_CHOICE.get(type));
      }
      if (Boolean.TRUE.equals(choice.getValue("disable_parallel_tool_use"))) {
        chat.put("parallel_tool_calls", false);
      }
    }
  }

  private static boolean isClientTool(JsonObject tool) {
    Object type = tool.getValue("type");
    return (type == null || CLIENT_TOOL_TYPES.contains(type)) && tool.getValue("name") instanceof String;
  }
}
