package gateway.router.inbound.responses;

import gateway.common.GatewayError;
import gateway.router.chat.ChatRequest;
import gateway.router.chat.ClientRequest;
import gateway.router.provider.ApiFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A checked OpenAI Responses request: the fields the gateway acts on are read (and a malformed one
 * is a 400 naming it), the body is kept as sent for Responses channels and translated to the chat
 * shape for the others. {@code max_output_tokens} bounds the hold like chat's {@code max_tokens}.
 */
final class ResponsesRequest {
  private ResponsesRequest() {
  }

  static ChatRequest parse(Buffer raw) {
    JsonObject body = ChatRequest.jsonObject(raw);
    String model = ChatRequest.requiredString(body, "model");
    Object input = body.getValue("input");
    if (input == null && body.getValue("previous_response_id") == null && body.getValue("conversation") == null
        && body.getValue("prompt") == null) {
      throw GatewayError.MISSING_FIELD.exception("'input' is required", "input");
    }
    if (input != null && !(input instanceof String) && !(input instanceof JsonArray items
        && items.stream().allMatch(JsonObject.class::isInstance))) {
      throw GatewayError.INVALID_VALUE.exception("'input' must be a string or an array of input items", "input");
    }
    Integer maxOutput = ChatRequest.positiveInt(body, "max_output_tokens");
    boolean stream = ChatRequest.optionalBoolean(body, "stream");
    ResponsesRequestToChat.Translated chat;
    try {
      chat = ResponsesRequestToChat.translate(body);
    } catch (ClassCastException e) {
      // A field of the wrong JSON type deep in the body is the client's 400, not the gateway's 500.
      throw GatewayError.INVALID_VALUE.exception("a field of the request has the wrong JSON type: " + e.getMessage());
    }
    return new ChatRequest(chat.chat(), model, stream, true, maxOutput, 1,
        new ClientRequest(ApiFormat.RESPONSES, body, Map.of(), chat.gap()));
  }
}
