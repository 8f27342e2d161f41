package gateway.router.provider.anthropic;

import gateway.common.money.Usage;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import gateway.router.provider.chatshape.ChatUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * An Anthropic {@code message} as an OpenAI {@code chat.completion}: text blocks joined into the
 * content, {@code tool_use} blocks as tool calls (the block id is the call id, the input object its
 * JSON arguments), thinking blocks as {@code reasoning_content}.
 */
final class AnthropicResponse {

  /** Anthropic {@code stop_reason} → OpenAI {@code finish_reason}. */
  private static final Map<String, String> FINISH_REASONS = Map.of(
      "end_turn", "stop",
      "stop_sequence", "stop",
      "pause_turn", "stop",
      "max_tokens", "length",
      "model_context_window_exceeded", "length",
      "tool_use", "tool_calls",
      "refusal", "content_filter");

  private AnthropicResponse() {
  }

  static String finishReason(String stopReason) {
    return stopReason == null ? "stop" : FINISH_REASONS.getOrDefault(stopReason, "stop");
  }

  static Completion completion(Buffer raw) {
    JsonObject message = Json.objectOrNull(raw);
    if (message == null || !(message.getValue("content") instanceof JsonArray content)) {
      throw new IllegalArgumentException("not an Anthropic message: " + Json.quote(raw));
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    for (Object item : content) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      switch (block.getString("type", "")) {
        case "text" -> text.append(block.getString("text", ""));
        case "thinking" -> reasoning.append(block.getString("thinking", ""));
        case "tool_use" -> toolCalls.add(new JsonObject()
            .put("id", block.getString("id"))
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", block.getString("name"))
                .put("arguments", block.getJsonObject("input", new JsonObject()).encode())));
        default -> { } // redacted thinking, server tool blocks: nothing an OpenAI client can use
      }
    }
    JsonObject answer = new JsonObject()
        .put("role", "assistant")
        .put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString())
        .putNull("refusal");
    if (!toolCalls.isEmpty()) {
      answer.put("tool_calls", toolCalls);
    }
    if (!reasoning.isEmpty()) {
      answer.put("reasoning_content", reasoning.toString());
    }
    JsonObject body = new JsonObject()
        .put("id", message.getString("id"))
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", message.getString("model"))
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", answer)
            .putNull("logprobs")
            .put("finish_reason", finishReason(message.getString("stop_reason")))));
    Usage usage = AnthropicUsage.from(message.getJsonObject("usage"));
    if (usage != null) {
      body.put("usage", ChatUsage.toChat(usage));
    }
    return new Completion(body, usage);
  }
}
