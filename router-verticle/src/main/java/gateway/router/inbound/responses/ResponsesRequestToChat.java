package gateway.router.inbound.responses;

import static gateway.router.fields.JsonFields.path;

import gateway.router.fields.JsonFields;
import gateway.router.provider.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI Responses request as an OpenAI chat request, for routes that do not speak Responses.
 * {@code instructions} becomes the system message; input messages keep their role; a
 * {@code function_call} item becomes a tool call of the assistant message before it, a
 * {@code function_call_output} item a tool message. Reasoning items and built-in tools are left
 * out (only OpenAI can read or run them); state kept at the provider ({@code previous_response_id},
 * {@code conversation}, stored prompts, item references) cannot be carried at all.
 */
final class ResponsesRequestToChat {

  /** The chat translation, and why it cannot stand for the request (null when it can). */
  record Translated(JsonObject chat, String gap) {
  }

  /** Fields with the same name and meaning in both. */
  private static final List<String> SAME_NAME = List.of(
      "temperature", "top_p", "parallel_tool_calls", "user", "safety_identifier", "prompt_cache_key", "service_tier");

  /** Responses field → chat field, the value unchanged. */
  private static final Map<String, String> RENAMED = Map.of("max_output_tokens", "max_completion_tokens");

  /** Responses content part types → chat content part types. */
  private static final Map<String, String> PART_TYPES = Map.of(
      "input_text", "text",
      "output_text", "text",
      "input_image", "image_url",
      "input_file", "file");

  /** Request fields naming state kept at the provider, which no translation can bring along. */
  private static final List<String> PROVIDER_STATE = List.of("previous_response_id", "conversation", "prompt");

  private ResponsesRequestToChat() {
  }

  /** The chat form; a field of the wrong type is a 400 naming it (this runs as the request is parsed). */
  static Translated translate(JsonObject request) {
    String gap = null;
    for (String field : PROVIDER_STATE) {
      if (request.getValue(field) != null) {
        gap = "'" + field + "' names state kept at OpenAI, which only an OpenAI Responses channel can use";
      }
    }
    JsonFields.string(request, null, "previous_response_id");
    JsonFields.object(request, null, "prompt");
    Object conversation = request.getValue("conversation");
    if (conversation != null && !(conversation instanceof String) && !(conversation instanceof JsonObject)) {
      throw JsonFields.invalid("conversation", "a conversation id or an object with its 'id'");
    }
    JsonObject chat = new JsonObject().put("model", request.getString("model"));
    JsonArray messages = new JsonArray();
    String instructions = JsonFields.string(request, null, "instructions");
    if (instructions != null && !instructions.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    Object input = request.getValue("input");
    if (input instanceof String text) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    } else if (input instanceof JsonArray items) {
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i);
        String where = path("input", i);
        if ("item_reference".equals(JsonFields.string(item, where, "type"))) {
          gap = "'item_reference' input items name items stored at OpenAI, which only an OpenAI Responses channel can use";
        } else {
          addItem(item, where, messages);
        }
      }
    }
    chat.put("messages", messages);
    for (String field : SAME_NAME) {
      if (request.getValue(field) != null) {
        chat.put(field, request.getValue(field));
      }
    }
    RENAMED.forEach((responses, openAi) -> {
      if (request.getValue(responses) != null) {
        chat.put(openAi, request.getValue(responses));
      }
    });
    JsonObject reasoning = JsonFields.object(request, null, "reasoning");
    if (reasoning != null) {
      JsonFields.string(reasoning, "reasoning", "summary");
      String effort = JsonFields.string(reasoning, "reasoning", "effort");
      if (effort != null) {
        chat.put("reasoning_effort", effort);
      }
    }
    JsonObject text = JsonFields.object(request, null, "text");
    JsonObject format = text == null ? null : JsonFields.object(text, "text", "format");
    if (format != null) {
      JsonObject responseFormat = responseFormat(format);
      if (responseFormat != null) {
        chat.put("response_format", responseFormat);
      }
    }
    addTools(request, chat);
    if (Boolean.TRUE.equals(request.getValue("stream"))) {
      chat.put("stream", true);
    }
    return new Translated(chat, gap);
  }

  private static void addItem(JsonObject item, String where, JsonArray messages) {
    String type = JsonFields.string(item, where, "type");
    switch (type == null ? "message" : type) {
      case "message" -> {
        String role = JsonFields.string(item, where, "role");
        if ("assistant".equals(role)) {
          String text = assistantText(item.getValue("content"), path(where, "content"));
          messages.add(new JsonObject().put("role", "assistant").put("content", text));
        } else {
          messages.add(new JsonObject().put("role", role == null ? "user" : role)
              .put("content", content(item.getValue("content"), path(where, "content"))));
        }
      }
      case "function_call" -> {
        String arguments = JsonFields.string(item, where, "arguments");
        toolCallsOfLastAssistant(messages).add(new JsonObject()
            .put("id", JsonFields.string(item, where, "call_id"))
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", JsonFields.string(item, where, "name"))
                .put("arguments", arguments == null ? "{}" : arguments)));
      }
      case "function_call_output" -> messages.add(new JsonObject()
          .put("role", "tool")
          .put("tool_call_id", JsonFields.string(item, where, "call_id"))
          .put("content", outputText(item.getValue("output"), path(where, "output"))));
      default -> { } // reasoning and built-in tool items: nothing another provider can read
    }
  }

  /** A call belongs to the assistant turn just before it; without one it opens its own. */
  private static JsonArray toolCallsOfLastAssistant(JsonArray messages) {
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (last == null || !"assistant".equals(last.getString("role"))) {
      last = new JsonObject().put("role", "assistant").putNull("content");
      messages.add(last);
    }
    if (last.getValue("tool_calls") instanceof JsonArray calls) {
      return calls;
    }
    JsonArray calls = new JsonArray();
    last.put("tool_calls", calls);
    if ("".equals(last.getValue("content"))) {
      last.putNull("content");
    }
    return calls;
  }

  /** The parts of a content given as an array, each an object; a string content has none. */
  private static List<JsonObject> parts(Object content, String where) {
    if (content == null || content instanceof String) {
      return List.of();
    }
    if (!(content instanceof JsonArray array)) {
      throw JsonFields.invalid(where, "a string or an array of content parts");
    }
    List<JsonObject> parts = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject part)) {
        throw JsonFields.invalid(path(where, i), "a content part object");
      }
      String at = path(where, i);
      for (String field : List.of("type", "text", "refusal", "image_url", "detail", "file_id", "file_data",
          "filename", "file_url")) {
        JsonFields.string(part, at, field);
      }
      parts.add(part);
    }
    return parts;
  }

  private static Object content(Object content, String where) {
    if (!(content instanceof JsonArray)) {
      parts(content, where);
      return content instanceof String s ? s : "";
    }
    JsonArray converted = new JsonArray();
    for (JsonObject part : parts(content, where)) {
      String type = PART_TYPES.get(Json.string(part, "type", ""));
      if (type == null) {
        continue;
      }
      switch (type) {
        case "text" -> converted.add(new JsonObject().put("type", "text").put("text", Json.string(part, "text", "")));
        case "image_url" -> {
          if (part.getValue("image_url") instanceof String url) {
            JsonObject image = new JsonObject().put("url", url);
            if (part.getValue("detail") instanceof String detail) {
              image.put("detail", detail);
            }
            converted.add(new JsonObject().put("type", "image_url").put("image_url", image));
          }
        }
        default -> {
          JsonObject file = new JsonObject();
          for (String field : List.of("file_data", "file_id", "filename")) {
            if (part.getValue(field) != null) {
              file.put(field, part.getValue(field));
            }
          }
          converted.add(new JsonObject().put("type", "file").put("file", file));
        }
      }
    }
    return converted;
  }

  private static String assistantText(Object content, String where) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    for (JsonObject part : parts(content, where)) {
      text.append(Json.string(part, "text", Json.string(part, "refusal", "")));
    }
    return text.toString();
  }

  private static String outputText(Object output, String where) {
    if (output instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    for (JsonObject part : parts(output, where)) {
      text.append(Json.string(part, "text", ""));
    }
    return text.toString();
  }

  private static JsonObject responseFormat(JsonObject format) {
    String type = JsonFields.string(format, "text.format", "type");
    JsonFields.string(format, "text.format", "name");
    JsonFields.object(format, "text.format", "schema");
    return switch (type == null ? "" : type) {
      case "json_object" -> new JsonObject().put("type", "json_object");
      case "json_schema" -> {
        JsonObject schema = new JsonObject();
        format.forEach(f -> {
          if (!f.getKey().equals("type")) {
            schema.put(f.getKey(), f.getValue());
          }
        });
        yield new JsonObject().put("type", "json_schema").put("json_schema", schema);
      }
      default -> null;
    };
  }

  private static void addTools(JsonObject request, JsonObject chat) {
    JsonArray tools = new JsonArray();
    List<JsonObject> declared = JsonFields.objects(request, null, "tools");
    for (int i = 0; i < declared.size(); i++) {
      JsonObject tool = declared.get(i);
      String where = path("tools", i);
      String type = JsonFields.string(tool, where, "type");
      if ("function".equals(type)) {
        JsonFields.string(tool, where, "name");
        JsonFields.string(tool, where, "description");
        JsonFields.object(tool, where, "parameters");
        JsonObject function = new JsonObject();
        tool.forEach(f -> {
          if (!f.getKey().equals("type")) {
            function.put(f.getKey(), f.getValue());
          }
        });
        tools.add(new JsonObject().put("type", "function").put("function", function));
      }
    }
    Object choice = request.getValue("tool_choice");
    String named = null;
    if (choice instanceof JsonObject object) {
      JsonFields.string(object, "tool_choice", "type");
      named = JsonFields.string(object, "tool_choice", "name");
    } else if (choice != null && !(choice instanceof String)) {
      throw JsonFields.invalid("tool_choice", "a string or an object naming a tool");
    }
    if (tools.isEmpty()) {
      return;
    }
    chat.put("tools", tools);
    if (choice instanceof String word) {
      chat.put("tool_choice", word);
    } else if (choice instanceof JsonObject object && "function".equals(object.getValue("type"))) {
      chat.put("tool_choice", new JsonObject().put("type", "function")
          .put("function", new JsonObject().put("name", named)));
    }
  }
}
