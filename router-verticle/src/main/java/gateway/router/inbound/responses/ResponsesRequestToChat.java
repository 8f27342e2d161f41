package gateway.router.inbound.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

  static Translated translate(JsonObject request) {
    String gap = null;
    for (String field : PROVIDER_STATE) {
      if (request.getValue(field) != null) {
        gap = "'" + field + "' names state kept at OpenAI, which only an OpenAI Responses channel can use";
      }
    }
    JsonObject chat = new JsonObject().put("model", request.getString("model"));
    JsonArray messages = new JsonArray();
    if (request.getValue("instructions") instanceof String instructions && !instructions.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    Object input = request.getValue("input");
    if (input instanceof String text) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    } else if (input instanceof JsonArray items) {
      for (Object item : items) {
        if (item instanceof JsonObject i && "item_reference".equals(i.getString("type"))) {
          gap = "'item_reference' input items name items stored at OpenAI, which only an OpenAI Responses channel can use";
        } else if (item instanceof JsonObject i) {
          addItem(i, messages);
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
    if (request.getValue("reasoning") instanceof JsonObject reasoning && reasoning.getValue("effort") instanceof String e) {
      chat.put("reasoning_effort", e);
    }
    if (request.getValue("text") instanceof JsonObject text && text.getValue("format") instanceof JsonObject format) {
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

  private static void addItem(JsonObject item, JsonArray messages) {
    switch (item.getString("type", "message")) {
      case "message" -> {
        String role = item.getString("role", "user");
        if ("assistant".equals(role)) {
          String text = assistantText(item.getValue("content"));
          messages.add(new JsonObject().put("role", "assistant").put("content", text));
        } else {
          messages.add(new JsonObject().put("role", role).put("content", content(item.getValue("content"))));
        }
      }
      case "function_call" -> toolCallsOfLastAssistant(messages).add(new JsonObject()
          .put("id", item.getString("call_id"))
          .put("type", "function")
          .put("function", new JsonObject()
              .put("name", item.getString("name"))
              .put("arguments", item.getString("arguments", "{}"))));
      case "function_call_output" -> messages.add(new JsonObject()
          .put("role", "tool")
          .put("tool_call_id", item.getString("call_id"))
          .put("content", outputText(item.getValue("output"))));
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

  private static Object content(Object content) {
    if (!(content instanceof JsonArray parts)) {
      return content instanceof String s ? s : "";
    }
    JsonArray converted = new JsonArray();
    for (Object p : parts) {
      if (!(p instanceof JsonObject part)) {
        continue;
      }
      String type = PART_TYPES.get(part.getString("type", ""));
      if (type == null) {
        continue;
      }
      switch (type) {
        case "text" -> converted.add(new JsonObject().put("type", "text").put("text", part.getString("text", "")));
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

  private static String assistantText(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray parts) {
      parts.forEach(p -> {
        if (p instanceof JsonObject part) {
          text.append(part.getString("text", part.getString("refusal", "")));
        }
      });
    }
    return text.toString();
  }

  private static String outputText(Object output) {
    if (output instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    if (output instanceof JsonArray parts) {
      parts.forEach(p -> {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String s) {
          text.append(s);
        }
      });
    }
    return text.toString();
  }

  private static JsonObject responseFormat(JsonObject format) {
    return switch (format.getString("type", "")) {
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
    for (Object item : request.getJsonArray("tools", new JsonArray())) {
      if (item instanceof JsonObject tool && "function".equals(tool.getString("type"))) {
        JsonObject function = new JsonObject();
        tool.forEach(f -> {
          if (!f.getKey().equals("type")) {
            function.put(f.getKey(), f.getValue());
          }
        });
        tools.add(new JsonObject().put("type", "function").put("function", function));
      }
    }
    if (tools.isEmpty()) {
      return;
    }
    chat.put("tools", tools);
    Object choice = request.getValue("tool_choice");
    if (choice instanceof String word) {
      chat.put("tool_choice", word);
    } else if (choice instanceof JsonObject named && "function".equals(named.getString("type"))) {
      chat.put("tool_choice", new JsonObject().put("type", "function")
          .put("function", new JsonObject().put("name", named.getString("name"))));
    }
  }
}
