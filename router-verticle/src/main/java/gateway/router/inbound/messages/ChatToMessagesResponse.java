package gateway.router.inbound.messages;

import gateway.common.money.Credits;
import gateway.router.exchange.Priced;
import gateway.router.provider.Json;
import gateway.router.provider.anthropic.AnthropicUsage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * An OpenAI chat completion as an Anthropic {@code message}: the text as one text block, each tool
 * call as a {@code tool_use} block (the call id as its id, the JSON arguments as its input), the
 * finish reason as the stop reason, the usage in Anthropic's buckets (input without the cached
 * tokens) with the request's {@code cost}. Reasoning text is left out: Anthropic clients send
 * thinking blocks back with a signature that only Anthropic can make.
 */
final class ChatToMessagesResponse {

  /** OpenAI {@code finish_reason} → Anthropic {@code stop_reason}. */
  static final Map<String, String> STOP_REASONS = Map.of(
      "stop", "end_turn",
      "length", "max_tokens",
      "tool_calls", "tool_use",
      "function_call", "tool_use",
      "content_filter", "refusal");

  private ChatToMessagesResponse() {
  }

  static String stopReason(Object finishReason) {
    return finishReason instanceof String reason ? STOP_REASONS.getOrDefault(reason, "end_turn") : "end_turn";
  }

  static JsonObject from(JsonObject completion, Priced priced) {
    JsonObject choice = Json.array(completion, "choices").getJsonObject(0);
    JsonObject message = choice == null ? new JsonObject() : Json.object(choice, "message");
    JsonArray content = new JsonArray();
    String text = message.getValue("content") instanceof String s ? s : "";
    if (message.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
      text = text + refusal;
    }
    if (!text.isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", text));
    }
    for (Object item : Json.array(message, "tool_calls")) {
      if (item instanceof JsonObject call) {
        JsonObject function = Json.object(call, "function");
        content.add(toolUse(Json.string(call, "id", null), Json.string(function, "name", null), function.getValue("arguments")));
      }
    }
    return new JsonObject()
        .put("id", messageId(Json.string(completion, "id", null)))
        .put("type", "message")
        .put("role", "assistant")
        .put("model", Json.string(completion, "model", null))
        .put("content", content)
        .put("stop_reason", stopReason(choice == null ? null : choice.getValue("finish_reason")))
        .putNull("stop_sequence")
        .put("usage", usage(priced));
  }

  static JsonObject toolUse(String id, String name, Object arguments) {
    JsonObject input = arguments instanceof JsonObject object ? object
        : arguments instanceof String json ? Json.objectOrNull(json) : null;
    return new JsonObject()
        .put("type", "tool_use")
        .put("id", id != null ? id : "toolu_" + UUID.randomUUID().toString().replace("-", ""))
        .put("name", name)
        .put("input", input != null ? input : new JsonObject());
  }

  static JsonObject usage(Priced priced) {
    return AnthropicUsage.toAnthropic(priced.usage()).put("cost", Credits.fromMicros(priced.costMicros()));
  }

  static String messageId(String completionId) {
    if (completionId != null && completionId.startsWith("msg_")) {
      return completionId;
    }
    return "msg_" + (completionId != null ? completionId.replaceFirst("^chatcmpl-", "")
        : UUID.randomUUID().toString().replace("-", ""));
  }
}
