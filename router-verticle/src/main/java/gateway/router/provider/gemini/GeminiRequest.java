package gateway.router.provider.gemini;

import gateway.router.provider.Json;
import gateway.router.provider.chatshape.ChatContent;
import gateway.router.provider.chatshape.ChatContent.DataUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAI chat request as a Gemini {@code GenerateContentRequest}: {@code contents} of
 * {@code user} and {@code model} turns, system and developer messages as the
 * {@code systemInstruction}, tools as {@code functionDeclarations}, sampling under
 * {@code generationConfig}. Fields Gemini has no meaning for are dropped.
 */
final class GeminiRequest {

  /** OpenAI roles → Gemini turn roles; tool results are the user's answer to the model's calls. */
  private static final Map<String, String> ROLES = Map.of(
      "user", "user",
      "assistant", "model",
      "tool", "user");

  /** OpenAI {@code tool_choice} words → {@code functionCallingConfig.mode}. */
  private static final Map<String, String> MODES = Map.of(
      "auto", "AUTO",
      "none", "NONE",
      "required", "ANY");

  /** OpenAI sampling fields → {@code generationConfig} fields. */
  private static final Map<String, String> GENERATION = Map.of(
      "temperature", "temperature",
      "top_p", "topP",
      "top_k", "topK",
      "n", "candidateCount",
      "presence_penalty", "presencePenalty",
      "frequency_penalty", "frequencyPenalty",
      "seed", "seed");

  /** File extensions → media types, for images given by URL (Gemini wants the type of a file it fetches). */
  private static final Map<String, String> MEDIA_TYPES = Map.of(
      "png", "image/png",
      "jpg", "image/jpeg",
      "jpeg", "image/jpeg",
      "webp", "image/webp",
      "gif", "image/gif",
      "heic", "image/heic",
      "pdf", "application/pdf");

  private GeminiRequest() {
  }

  static JsonObject from(JsonObject openAi) {
    JsonObject body = new JsonObject();
    Conversation conversation = new Conversation();
    for (Object item : Json.array(openAi, "messages")) {
      if (item instanceof JsonObject message) {
        conversation.add(message);
      }
    }
    body.put("contents", conversation.contents());
    if (!conversation.system.isEmpty()) {
      body.put("systemInstruction", new JsonObject().put("parts", conversation.system));
    }
    addTools(openAi, body);
    JsonObject generation = generationConfig(openAi);
    if (!generation.isEmpty()) {
      body.put("generationConfig", generation);
    }
    return body;
  }

  private static JsonObject generationConfig(JsonObject openAi) {
    JsonObject config = new JsonObject();
    GENERATION.forEach((openAiField, geminiField) -> {
      if (openAi.getValue(openAiField) instanceof Number n) {
        config.put(geminiField, n);
      }
    });
    for (String field : List.of("max_completion_tokens", "max_tokens")) {
      if (openAi.getValue(field) instanceof Number n && !config.containsKey("maxOutputTokens")) {
        config.put("maxOutputTokens", n);
      }
    }
    JsonArray stop = ChatContent.stopSequences(openAi.getValue("stop"));
    if (!stop.isEmpty()) {
      config.put("stopSequences", stop);
    }
    if (openAi.getValue("response_format") instanceof JsonObject format) {
      switch (Json.string(format, "type", "")) {
        case "json_object" -> config.put("responseMimeType", "application/json");
        case "json_schema" -> {
          config.put("responseMimeType", "application/json");
          if (Json.object(format, "json_schema").getValue("schema") instanceof JsonObject s) {
            config.put("responseSchema", GeminiSchema.clean(s));
          }
        }
        default -> { }
      }
    }
    return config;
  }

  private static void addTools(JsonObject openAi, JsonObject body) {
    JsonArray declarations = new JsonArray();
    for (Object item : Json.array(openAi, "tools")) {
      if (item instanceof JsonObject tool && tool.getValue("function") instanceof JsonObject function) {
        JsonObject declaration = new JsonObject().put("name", Json.string(function, "name", null));
        if (function.getValue("description") instanceof String description) {
          declaration.put("description", description);
        }
        if (function.getValue("parameters") instanceof JsonObject parameters) {
          JsonObject schema = GeminiSchema.clean(parameters);
          if (!GeminiSchema.isEmptyObject(schema)) {
            declaration.put("parameters", schema);
          }
        }
        declarations.add(declaration);
      }
    }
    if (declarations.isEmpty()) {
      return;
    }
    body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
    JsonObject calling = functionCallingConfig(openAi.getValue("tool_choice"));
    if (calling != null) {
      body.put("toolConfig", new JsonObject().put("functionCallingConfig", calling));
    }
  }

  private static JsonObject functionCallingConfig(Object toolChoice) {
    if (toolChoice instanceof String word && MODES.containsKey(word)) {
      return new JsonObject().put("mode", MODES.get(word));
    }
    if (toolChoice instanceof JsonObject named && named.getValue("function") instanceof JsonObject function) {
      return new JsonObject().put("mode", "ANY")
          .put("allowedFunctionNames", new JsonArray().add(Json.string(function, "name", null)));
    }
    return null;
  }

  /** The turns: consecutive messages of one Gemini role merge, so parallel tool results answer in one turn. */
  private static final class Conversation {
    final JsonArray system = new JsonArray();
    private final List<JsonObject> contents = new ArrayList<>();
    /** Tool call id → function name: Gemini answers a call by its name, OpenAI by the call's id. */
    private final Map<String, String> functionOfCall = new HashMap<>();

    void add(JsonObject message) {
      String role = Json.string(message, "role", "");
      switch (role) {
        case "system", "developer" -> system.addAll(textParts(message.getValue("content")));
        case "user" -> append(ROLES.get(role), contentParts(message.getValue("content")));
        case "assistant" -> append(ROLES.get(role), modelParts(message));
        case "tool" -> append(ROLES.get(role), new JsonArray().add(functionResponse(message)));
        default -> { } // legacy "function" messages
      }
    }

    JsonArray contents() {
      return new JsonArray(new ArrayList<>(contents));
    }

    private void append(String role, JsonArray parts) {
      if (parts.isEmpty()) {
        return;
      }
      JsonObject last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
      if (last != null && role.equals(Json.string(last, "role", null))) {
        last.getJsonArray("parts").addAll(parts);
      } else {
        contents.add(new JsonObject().put("role", role).put("parts", parts));
      }
    }

    private JsonArray modelParts(JsonObject message) {
      JsonArray parts = textParts(message.getValue("content"));
      for (Object item : Json.array(message, "tool_calls")) {
        if (item instanceof JsonObject call) {
          String name = Json.string(Json.object(call, "function"), "name", null);
          functionOfCall.put(Json.string(call, "id", null), name);
          parts.add(new JsonObject().put("functionCall", new JsonObject()
              .put("name", name)
              .put("args", ChatContent.toolArguments(call))));
        }
      }
      return parts;
    }

    private JsonObject functionResponse(JsonObject message) {
      String name = functionOfCall.get(Json.string(message, "tool_call_id", null));
      if (name == null) {
        name = Json.string(message, "name", "tool");
      }
      return new JsonObject().put("functionResponse", new JsonObject()
          .put("name", name)
          .put("response", responseObject(ChatContent.text(message.getValue("content")))));
    }
  }

  /** Gemini's function response must be an object: a tool's JSON object as it is, anything else wrapped. */
  private static JsonObject responseObject(String content) {
    JsonObject object = Json.objectOrNull(content);
    if (object != null) {
      return object;
    }
    Object value = content;
    try {
      value = io.vertx.core.json.Json.decodeValue(content);
    } catch (RuntimeException notJson) {
      // plain text stays text
    }
    return new JsonObject().put("content", value);
  }

  /** Gemini refuses empty text parts, so none are sent. */
  private static JsonArray textParts(Object content) {
    JsonArray parts = new JsonArray();
    for (JsonObject part : ChatContent.parts(content)) {
      if (part.getValue("text") instanceof String text && !text.isEmpty()) {
        parts.add(new JsonObject().put("text", text));
      }
    }
    return parts;
  }

  private static JsonArray contentParts(Object content) {
    JsonArray parts = new JsonArray();
    for (JsonObject part : ChatContent.parts(content)) {
      JsonObject converted = switch (Json.string(part, "type", "text")) {
        case "text" -> part.getValue("text") instanceof String t && !t.isEmpty()
            ? new JsonObject().put("text", t) : null;
        case "image_url" -> filePart(ChatContent.imageUrl(part));
        case "file" -> filePart(Json.string(Json.object(part, "file"), "file_data", null));
        case "input_audio" -> audioPart(Json.object(part, "input_audio"));
        default -> null;
      };
      if (converted != null) {
        parts.add(converted);
      }
    }
    return parts;
  }

  /** Inline bytes from a {@code data:} URL; a URL of a file Gemini fetches itself otherwise. */
  private static JsonObject filePart(String url) {
    if (url == null) {
      return null;
    }
    DataUrl data = DataUrl.parse(url);
    if (data != null) {
      return new JsonObject().put("inlineData",
          new JsonObject().put("mimeType", data.mediaType()).put("data", data.base64()));
    }
    return new JsonObject().put("fileData", new JsonObject().put("mimeType", mediaTypeOf(url)).put("fileUri", url));
  }

  private static JsonObject audioPart(JsonObject audio) {
    if (!(audio.getValue("data") instanceof String data)) {
      return null;
    }
    return new JsonObject().put("inlineData", new JsonObject()
        .put("mimeType", "audio/" + Json.string(audio, "format", "wav")).put("data", data));
  }

  private static String mediaTypeOf(String url) {
    String path = url.split("[?#]", 2)[0];
    int dot = path.lastIndexOf('.');
    String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MEDIA_TYPES.getOrDefault(extension, "image/jpeg");
  }
}
