package gateway.router.inbound.responses;

import gateway.router.provider.Json;
import gateway.router.exchange.Priced;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI chat completion as an OpenAI Responses {@code response}: the text (and any refusal) as
 * one message item, each tool call as a {@code function_call} item (the chat tool-call id is its
 * {@code call_id}), a {@code length} or {@code content_filter} finish as status {@code incomplete},
 * and the usage in Responses' shape with the request's {@code cost}. Reasoning text is left out:
 * a Responses client would send back a reasoning item that only OpenAI can read.
 */
final class ChatToResponsesResponse {
  private ChatToResponsesResponse() {
  }

  static JsonObject from(JsonObject completion, JsonObject request, Priced priced) {
    JsonObject choice = Json.array(completion, "choices").getJsonObject(0);
    JsonObject message = choice == null ? new JsonObject() : Json.object(choice, "message");
    long created = completion.getValue("created") instanceof Number n ? n.longValue() : System.currentTimeMillis() / 1000;
    JsonObject response = ResponseObjects.response(request, ResponseObjects.id("resp_"), created,
        Json.string(completion, "model", null), "completed");
    JsonArray output = response.getJsonArray("output");
    String text = (message.getValue("content") instanceof String s ? s : "")
        + (message.getValue("refusal") instanceof String r ? r : "");
    JsonArray toolCalls = Json.array(message, "tool_calls");
    if (!text.isEmpty() || toolCalls.isEmpty()) {
      output.add(ResponseObjects.message(ResponseObjects.id("msg_"), "completed", text));
    }
    for (Object item : toolCalls) {
      if (item instanceof JsonObject call) {
        JsonObject function = Json.object(call, "function");
        output.add(ResponseObjects.functionCall(ResponseObjects.id("fc_"), "completed", Json.string(call, "id", null),
            Json.string(function, "name", null), Json.string(function, "arguments", "{}")));
      }
    }
    return ResponseObjects.finish(response, choice == null ? null : choice.getValue("finish_reason"), priced);
  }
}
