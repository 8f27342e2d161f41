package gateway.router.provider.anthropic;

import gateway.router.provider.Json;
import gateway.router.provider.chatshape.ChatContent;
import gateway.router.provider.chatshape.ChatContent.DataUrl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OpenAI chat request as an Anthropic Messages request. System and developer messages
 * become the top-level {@code system}; tool results become {@code tool_result} blocks of a user
 * turn; consecutive messages of one role merge into one turn, since Anthropic wants the roles to
 * alternate. Fields Anthropic has no meaning for are dropped, not passed through.
 */
final class AnthropicRequest {
  /** Anthropic requires {@code max_tokens}; this is the default when neither client nor channel sets one. */
  static final int DEFAULT_MAX_TOKENS = 4096;
  private static final String DEFAULT_MAX_TOKENS_SETTING = "default_max_tokens";
  private static final double MAX_TEMPERATURE = 1.0;

  /** OpenAI {@code tool_choice} words → Anthropic {@code tool_choice.type}. */
  private static final Map<String, String> TOOL_CHOICE = Map.of(
      "auto", "auto",
      "none", "none",
      "required", "any");

  /** Sampling fields Anthropic takes as they are. */
  private static final List<String> SAME_NAME = List.of("top_p", "top_k");

  private AnthropicRequest() {
  }

  static JsonObject from(JsonObject openAi, JsonObject channelSettings, boolean stream) {
    JsonObject body = new JsonObject()
        .put("model", Json.string(openAi, "model", null))
        .put("max_tokens", maxTokens(openAi, channelSettings));
    Conversation conversation = new Conversation();
    for (Object item : Json.array(openAi, "messages")) {
      if (item instanceof JsonObject message) {
        conversation.add(message);
      }
    }
    if (!conversation.system.isEmpty()) {
      body.put("system", conversation.system);
    }
    body.put("messages", conversation.messages());
    addTools(openAi, body);
    addSampling(openAi, body);
    JsonArray stop = ChatContent.stopSequences(openAi.getValue("stop"));
    if (!stop.isEmpty()) {
      body.put("stop_sequences", stop);
    }
    if (openAi.getValue("user") instanceof String user && !user.isBlank()) {
      body.put("metadata", new JsonObject().put("user_id", user));
    }
    if (openAi.getValue("thinking") instanceof JsonObject thinking) {
      body.put("thinking", thinking); // clients that know they talk to Claude send its own switch
    }
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  private static int maxTokens(JsonObject openAi, JsonObject channelSettings) {
    for (String field : List.of("max_completion_tokens", "max_tokens")) {
      if (openAi.getValue(field) instanceof Number n && n.intValue() > 0) {
        return n.intValue();
      }
    }
    if (channelSettings.getValue(DEFAULT_MAX_TOKENS_SETTING) instanceof Number n && n.intValue() > 0) {
      return n.intValue();
    }
    return DEFAULT_MAX_TOKENS;
  }

  private static void addSampling(JsonObject openAi, JsonObject body) {
    if (openAi.getValue("temperature") instanceof Number t) {
      body.put("temperature", Math.max(0.0, Math.min(MAX_TEMPERATURE, t.doubleValue())));
    }
    for (String field : SAME_NAME) {
      if (openAi.getValue(field) instanceof Number n) {
        body.put(field, n);
      }
    }
  }

  private static void addTools(JsonObject openAi, JsonObject body) {
    JsonArray tools = new JsonArray();
    for (Object item : Json.array(openAi, "tools")) {
      if (item instanceof JsonObject tool && tool.getValue("function") instanceof JsonObject function) {
        JsonObject schema = function.getValue("parameters") instanceof JsonObject p
            ? p : new JsonObject().put("type", "object").put("properties", new JsonObject());
        JsonObject declared = new JsonObject().put("name", Json.string(function, "name", null));
        if (function.getValue("description") instanceof String description) {
          declared.put("description", description);
        }
        tools.add(declared.put("input_schema", schema));
      }
    }
    if (tools.isEmpty()) {
      return; // a tool_choice without tools means nothing to Anthropic, which rejects it
    }
    body.put("tools", tools);
    JsonObject choice = toolChoice(openAi.getValue("tool_choice"));
    if (Boolean.FALSE.equals(openAi.getValue("parallel_tool_calls"))) {
      choice = choice == null ? new JsonObject().put("type", "auto") : choice;
      if (!"none".equals(Json.string(choice, "type", null))) {
        choice.put("disable_parallel_tool_use", true);
      }
    }
    if (choice != null) {
      body.put("tool_choice", choice);
    }
  }

  private static JsonObject toolChoice(Object openAiChoice) {
    if (openAiChoice instanceof String word && TOOL_CHOICE.containsKey(word)) {
      return new JsonObject().put("type", TOOL_CHOICE.get(word));
    }
    if (openAiChoice instanceof JsonObject named && named.getValue("function") instanceof JsonObject function) {
      return new JsonObject().put("type", "tool").put("name", Json.string(function, "name", null));
    }
    return null;
  }

  /** The turns of the conversation as Anthropic wants them: alternating, tool results first in a user turn. */
  private static final class Conversation {
    final JsonArray system = new JsonArray();
    private final List<Turn> turns = new ArrayList<>();

    void add(JsonObject message) {
      switch (Json.string(message, "role", "")) {
        case "system", "developer" -> system.addAll(textBlocks(message.getValue("content")));
        case "user" -> append("user", contentBlocks(message.getValue("content")));
        case "assistant" -> append("assistant", assistantBlocks(message));
        case "tool" -> append("user", new JsonArray().add(toolResult(message)));
        default -> { } // legacy "function" messages carry no tool call id to answer
      }
    }

    JsonArray messages() {
      JsonArray messages = new JsonArray();
      for (Turn turn : turns) {
        messages.add(new JsonObject().put("role", turn.role).put("content", turn.toolResultsFirst()));
      }
      return messages;
    }

    private void append(String role, JsonArray blocks) {
      if (blocks.isEmpty()) {
        return;
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(role)) {
        last.blocks.addAll(blocks);
      } else {
        turns.add(new Turn(role, blocks));
      }
    }
  }

  private record Turn(String role, JsonArray blocks) {

    /** Anthropic wants a user turn's tool results before any other block of it. */
    JsonArray toolResultsFirst() {
      JsonArray ordered = new JsonArray();
      blocks.forEach(b -> {
        if (isToolResult(b)) {
          ordered.add(b);
        }
      });
      blocks.forEach(b -> {
        if (!isToolResult(b)) {
          ordered.add(b);
        }
      });
      return ordered;
    }

    private static boolean isToolResult(Object block) {
      return block instanceof JsonObject b && "tool_result".equals(Json.string(b, "type", null));
    }
  }

  private static JsonArray assistantBlocks(JsonObject message) {
    JsonArray blocks = textBlocks(message.getValue("content"));
    for (Object item : Json.array(message, "tool_calls")) {
      if (item instanceof JsonObject call) {
        blocks.add(new JsonObject()
            .put("type", "tool_use")
            .put("id", Json.string(call, "id", null))
            .put("name", Json.string(Json.object(call, "function"), "name", null))
            .put("input", ChatContent.toolArguments(call)));
      }
    }
    return blocks;
  }

  private static JsonObject toolResult(JsonObject message) {
    JsonObject result = new JsonObject()
        .put("type", "tool_result")
        .put("tool_use_id", Json.string(message, "tool_call_id", null));
    Object content = message.getValue("content");
    if (content instanceof String text) {
      if (!text.isEmpty()) {
        result.put("content", text);
      }
    } else {
      JsonArray blocks = contentBlocks(content);
      if (!blocks.isEmpty()) {
        result.put("content", blocks);
      }
    }
    return result;
  }

  /** Text parts only (system prompts, assistant turns); Anthropic refuses empty text blocks. */
  private static JsonArray textBlocks(Object content) {
    JsonArray blocks = new JsonArray();
    for (JsonObject part : ChatContent.parts(content)) {
      JsonObject text = textBlock(part);
      if (text != null) {
        blocks.add(text);
      }
    }
    return blocks;
  }

  /** Text, images and PDF files; parts of other kinds (audio...) have no Anthropic form and are left out. */
  private static JsonArray contentBlocks(Object content) {
    JsonArray blocks = new JsonArray();
    for (JsonObject part : ChatContent.parts(content)) {
      JsonObject block = switch (Json.string(part, "type", "text")) {
        case "text" -> textBlock(part);
        case "image_url" -> imageBlock(ChatContent.imageUrl(part));
        case "file" -> documentBlock(Json.object(part, "file"));
        default -> null;
      };
      if (block != null) {
        blocks.add(block);
      }
    }
    return blocks;
  }

  private static JsonObject textBlock(JsonObject part) {
    Object text = part.getValue("text");
    if (!(text instanceof String s) || s.isEmpty()) {
      return null;
    }
    JsonObject block = new JsonObject().put("type", "text").put("text", s);
    if (part.getValue("cache_control") instanceof JsonObject cacheControl) {
      block.put("cache_control", cacheControl); // prompt-caching clients mark their breakpoints here
    }
    return block;
  }

  private static JsonObject imageBlock(String url) {
    if (url == null) {
      return null;
    }
    DataUrl data = DataUrl.parse(url);
    JsonObject source = data != null
        ? new JsonObject().put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64())
        : new JsonObject().put("type", "url").put("url", url);
    return new JsonObject().put("type", "image").put("source", source);
  }

  private static JsonObject documentBlock(JsonObject file) {
    DataUrl data = DataUrl.parse(Json.string(file, "file_data", null));
    if (data == null) {
      return null;
    }
    return new JsonObject().put("type", "document").put("source", new JsonObject()
        .put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64()));
  }
}
