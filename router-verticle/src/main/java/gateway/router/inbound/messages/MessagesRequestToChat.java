package gateway.router.inbound.messages;

import static gateway.router.fields.JsonFields.path;

import gateway.router.fields.JsonFields;
import gateway.router.provider.Json;
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

  /** The chat form; a field of the wrong type is a 400 naming it (this runs as the request is parsed). */
  static JsonObject translate(JsonObject request) {
    JsonObject chat = new JsonObject().put("model", request.getString("model"));
    JsonArray messages = new JsonArray();
    JsonObject system = systemMessage(request.getValue("system"));
    if (system != null) {
      messages.add(system);
    }
    List<JsonObject> turns = JsonFields.objects(request, null, "messages");
    for (int i = 0; i < turns.size(); i++) {
      JsonObject message = turns.get(i);
      String where = path("messages", i);
      if ("assistant".equals(message.getValue("role"))) {
        messages.add(assistantMessage(message.getValue("content"), path(where, "content")));
      } else {
        addUserTurn(message.getValue("content"), path(where, "content"), messages);
      }
    }
    chat.put("messages", messages);
    for (String field : SAME_NAME) {
      if (JsonFields.number(request, null, field) != null) {
        chat.put(field, request.getValue(field));
      }
    }
    JsonFields.number(request, null, "top_k");
    JsonFields.stringOrStrings(request, null, "stop_sequences");
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
    if (system == null) {
      return null;
    }
    if (system instanceof String text) {
      return text.isEmpty() ? null : new JsonObject().put("role", "system").put("content", text);
    }
    if (!(system instanceof JsonArray blocks)) {
      throw JsonFields.invalid("system", "a string or an array of text blocks");
    }
    JsonArray parts = new JsonArray();
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.getValue(i) instanceof JsonObject block)) {
        throw JsonFields.invalid(path("system", i), "a text block object");
      }
      String text = JsonFields.string(block, path("system", i), "text");
      if (text != null) {
        parts.add(new JsonObject().put("type", "text").put("text", text));
      }
    }
    return parts.isEmpty() ? null : new JsonObject().put("role", "system").put("content", parts);
  }

  /** Tool results answer the previous assistant turn's calls, so they go first, as tool messages. */
  private static void addUserTurn(Object content, String where, JsonArray messages) {
    JsonArray parts = new JsonArray();
    for (Block item : blocks(content, where)) {
      if (item.json == null) {
        messages.add(new JsonObject().put("role", "user").put("content", item.text));
        return;
      }
      if ("tool_result".equals(item.type)) {
        messages.add(toolMessage(item.json, item.where));
      } else {
        JsonObject part = userPart(item.json, item.type, item.where);
        if (part != null) {
          parts.add(part);
        }
      }
    }
    if (!parts.isEmpty()) {
      messages.add(new JsonObject().put("role", "user").put("content", parts));
    }
  }

  /** One content block with its checked type, or (json null) a whole content given as a string. */
  private record Block(JsonObject json, String type, String where, String text) {
  }

  /** A content: a string (one block of text) or an array of blocks, each an object with a string type. */
  private static List<Block> blocks(Object content, String where) {
    List<Block> blocks = new ArrayList<>();
    if (content == null || content instanceof String) {
      blocks.add(new Block(null, null, where, content == null ? "" : (String) content));
      return blocks;
    }
    if (!(content instanceof JsonArray array)) {
      throw JsonFields.invalid(where, "a string or an array of content blocks");
    }
    for (int i = 0; i < array.size(); i++) {
      String at = path(where, i);
      if (!(array.getValue(i) instanceof JsonObject block)) {
        throw JsonFields.invalid(at, "a content block object");
      }
      JsonFields.object(block, at, "cache_control");
      blocks.add(new Block(block, JsonFields.string(block, at, "type"), at, null));
    }
    return blocks;
  }

  private static JsonObject userPart(JsonObject block, String type, String where) {
    return switch (type == null ? "" : type) {
      case "text" -> new JsonObject().put("type", "text").put("text", text(block, where));
      case "image" -> {
        String url = sourceUrl(source(block, where), path(where, "source"));
        yield url == null ? null
            : new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
      }
      case "document" -> document(block, where);
      default -> null; // search results, container uploads: nothing chat can take
    };
  }

  private static String text(JsonObject block, String where) {
    String text = JsonFields.string(block, where, "text");
    return text == null ? "" : text;
  }

  private static JsonObject source(JsonObject block, String where) {
    JsonObject source = JsonFields.object(block, where, "source");
    if (source == null) {
      return new JsonObject();
    }
    String at = path(where, "source");
    for (String field : List.of("type", "media_type", "url", "file_id")) {
      JsonFields.string(source, at, field);
    }
    return source;
  }

  private static JsonObject document(JsonObject block, String where) {
    JsonObject source = source(block, where);
    String title = JsonFields.string(block, where, "title");
    String kind = Json.string(source, "type", "");
    if ("text".equals(kind)) {
      String text = JsonFields.string(source, path(where, "source"), "data");
      return text == null ? null : new JsonObject().put("type", "text").put("text", text);
    }
    if (!"base64".equals(kind)) {
      return null;
    }
    String url = sourceUrl(source, path(where, "source"));
    return new JsonObject().put("type", "file").put("file", new JsonObject()
        .put("filename", title != null ? title : "document.pdf")
        .put("file_data", url));
  }

  /** A base64 source as a {@code data:} URL, a URL source as itself. */
  private static String sourceUrl(JsonObject source, String where) {
    return switch (Json.string(source, "type", "")) {
      case "base64" -> {
        String data = JsonFields.string(source, where, "data");
        yield "data:" + Json.string(source, "media_type", "application/octet-stream") + ";base64,"
            + (data == null ? "" : data);
      }
      case "url" -> Json.string(source, "url", null);
      default -> null;
    };
  }

  /** Chat's tool messages take text only; a failed tool says so, since chat has no {@code is_error}. */
  private static JsonObject toolMessage(JsonObject result, String where) {
    List<String> texts = new ArrayList<>();
    for (Block block : blocks(result.getValue("content"), path(where, "content"))) {
      String text = block.json == null ? block.text : JsonFields.string(block.json, block.where, "text");
      if (text != null && (block.json != null || !text.isEmpty())) {
        texts.add(text);
      }
    }
    String text = String.join("\n", texts);
    boolean failed = Boolean.TRUE.equals(JsonFields.bool(result, where, "is_error"));
    return new JsonObject().put("role", "tool").put("tool_call_id", JsonFields.string(result, where, "tool_use_id"))
        .put("content", failed ? "Error: " + text : text);
  }

  private static JsonObject assistantMessage(Object content, String where) {
    JsonObject message = new JsonObject().put("role", "assistant");
    StringBuilder text = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    for (Block block : blocks(content, where)) {
      if (block.json == null) {
        return message.put("content", block.text);
      }
      switch (block.type == null ? "" : block.type) {
        case "text" -> text.append(text(block.json, block.where));
        case "tool_use" -> {
          JsonObject input = JsonFields.object(block.json, block.where, "input");
          toolCalls.add(new JsonObject()
              .put("id", JsonFields.string(block.json, block.where, "id"))
              .put("type", "function")
              .put("function", new JsonObject()
                  .put("name", JsonFields.string(block.json, block.where, "name"))
                  .put("arguments", (input == null ? new JsonObject() : input).encode())));
        }
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
    List<JsonObject> declared = JsonFields.objects(request, null, "tools");
    for (int i = 0; i < declared.size(); i++) {
      JsonObject tool = declared.get(i);
      String where = path("tools", i);
      String type = JsonFields.string(tool, where, "type");
      String name = JsonFields.string(tool, where, "name");
      String description = JsonFields.string(tool, where, "description");
      JsonObject schema = JsonFields.object(tool, where, "input_schema");
      if ((type == null || CLIENT_TOOL_TYPES.contains(type)) && name != null) {
        JsonObject function = new JsonObject().put("name", name);
        if (description != null) {
          function.put("description", description);
        }
        function.put("parameters", schema != null ? schema
            : new JsonObject().put("type", "object").put("properties", new JsonObject()));
        tools.add(new JsonObject().put("type", "function").put("function", function));
      }
    }
    JsonObject choice = JsonFields.object(request, null, "tool_choice");
    String type = choice == null ? null : JsonFields.string(choice, "tool_choice", "type");
    String name = choice == null ? null : JsonFields.string(choice, "tool_choice", "name");
    Boolean noParallel = choice == null ? null : JsonFields.bool(choice, "tool_choice", "disable_parallel_tool_use");
    if (tools.isEmpty()) {
      return; // a tool_choice without tools is refused by OpenAI
    }
    chat.put("tools", tools);
    if (choice != null) {
      String kind = type == null ? "auto" : type;
      if ("tool".equals(kind)) {
        chat.put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", name)));
      } else if (TOOL_CHOICE.containsKey(kind)) {
        chat.put("tool_choice", TOOL_CHOICE.get(kind));
      }
      if (Boolean.TRUE.equals(noParallel)) {
        chat.put("parallel_tool_calls", false);
      }
    }
  }
}
