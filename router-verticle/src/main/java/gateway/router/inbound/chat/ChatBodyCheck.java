package gateway.router.inbound.chat;

import static gateway.router.fields.JsonFields.path;

import gateway.router.fields.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The types of every field of an OpenAI chat request that the gateway or one of its translations
 * reads (messages and their parts, tool calls, tools, sampling, response format, identifiers),
 * checked once before anything is held: a wrong one is a 400 naming it, so no translation for
 * another provider meets a type it does not expect. Fields the gateway never reads pass untouched.
 */
final class ChatBodyCheck {
  private static final List<String> NUMBERS = List.of(
      "temperature", "top_p", "top_k", "presence_penalty", "frequency_penalty", "seed");
  private static final List<String> STRINGS = List.of("reasoning_effort", "service_tier", "prompt_cache_key");
  private static final List<String> BOOLEANS = List.of("parallel_tool_calls", "logprobs");

  private ChatBodyCheck() {
  }

  static void check(JsonObject body) {
    JsonArray messages = body.getJsonArray("messages");
    for (int i = 0; i < messages.size(); i++) {
      message(messages.getJsonObject(i), path("messages", i));
    }
    NUMBERS.forEach(field -> JsonFields.number(body, null, field));
    STRINGS.forEach(field -> JsonFields.string(body, null, field));
    BOOLEANS.forEach(field -> JsonFields.bool(body, null, field));
    JsonFields.stringOrStrings(body, null, "stop");
    JsonFields.identifier(body, null, "user");
    JsonFields.identifier(body, null, "safety_identifier");
    JsonFields.identifierKeys(body, null, "metadata");
    JsonObject options = JsonFields.object(body, null, "stream_options");
    if (options != null) {
      JsonFields.bool(options, "stream_options", "include_usage");
    }
    responseFormat(JsonFields.object(body, null, "response_format"));
    List<JsonObject> tools = JsonFields.objects(body, null, "tools");
    for (int i = 0; i < tools.size(); i++) {
      tool(tools.get(i), path("tools", i));
    }
    toolChoice(body.getValue("tool_choice"));
  }

  private static void message(JsonObject message, String where) {
    JsonFields.string(message, where, "name");
    JsonFields.string(message, where, "tool_call_id");
    content(message.getValue("content"), path(where, "content"));
    List<JsonObject> calls = JsonFields.objects(message, where, "tool_calls");
    for (int i = 0; i < calls.size(); i++) {
      String at = path(path(where, "tool_calls"), i);
      JsonObject call = calls.get(i);
      JsonFields.string(call, at, "id");
      JsonFields.string(call, at, "type");
      JsonObject function = JsonFields.object(call, at, "function");
      if (function != null) {
        String fn = path(at, "function");
        JsonFields.string(function, fn, "name");
        Object arguments = function.getValue("arguments");
        if (arguments != null && !(arguments instanceof String) && !(arguments instanceof JsonObject)) {
          throw JsonFields.invalid(path(fn, "arguments"), "a string of JSON");
        }
      }
    }
  }

  /** A string, or an array of parts: text, images, files, audio (and strings, which some clients send). */
  private static void content(Object content, String where) {
    if (content == null || content instanceof String) {
      return;
    }
    if (!(content instanceof JsonArray parts)) {
      throw JsonFields.invalid(where, "a string or an array of content parts");
    }
    for (int i = 0; i < parts.size(); i++) {
      Object item = parts.getValue(i);
      String at = path(where, i);
      if (item instanceof String) {
        continue;
      }
      if (!(item instanceof JsonObject part)) {
        throw JsonFields.invalid(at, "a content part object");
      }
      JsonFields.string(part, at, "type");
      JsonFields.string(part, at, "text");
      Object image = part.getValue("image_url");
      if (image instanceof JsonObject url) {
        JsonFields.string(url, path(at, "image_url"), "url");
        JsonFields.string(url, path(at, "image_url"), "detail");
      } else if (image != null && !(image instanceof String)) {
        throw JsonFields.invalid(path(at, "image_url"), "an object with a 'url'");
      }
      JsonObject file = JsonFields.object(part, at, "file");
      if (file != null) {
        for (String field : List.of("file_data", "file_id", "filename")) {
          JsonFields.string(file, path(at, "file"), field);
        }
      }
      JsonObject audio = JsonFields.object(part, at, "input_audio");
      if (audio != null) {
        JsonFields.string(audio, path(at, "input_audio"), "data");
        JsonFields.string(audio, path(at, "input_audio"), "format");
      }
      JsonFields.object(part, at, "cache_control");
    }
  }

  private static void tool(JsonObject tool, String where) {
    JsonFields.string(tool, where, "type");
    JsonObject function = JsonFields.object(tool, where, "function");
    if (function != null) {
      String fn = path(where, "function");
      JsonFields.string(function, fn, "name");
      JsonFields.string(function, fn, "description");
      JsonFields.object(function, fn, "parameters");
    }
  }

  private static void toolChoice(Object choice) {
    if (choice == null || choice instanceof String) {
      return;
    }
    if (!(choice instanceof JsonObject named)) {
      throw JsonFields.invalid("tool_choice", "a string or an object naming a function");
    }
    JsonFields.string(named, "tool_choice", "type");
    JsonObject function = JsonFields.object(named, "tool_choice", "function");
    if (function != null) {
      JsonFields.string(function, "tool_choice.function", "name");
    }
  }

  private static void responseFormat(JsonObject format) {
    if (format == null) {
      return;
    }
    JsonFields.string(format, "response_format", "type");
    JsonObject schema = JsonFields.object(format, "response_format", "json_schema");
    if (schema != null) {
      JsonFields.object(schema, "response_format.json_schema", "schema");
    }
  }
}
