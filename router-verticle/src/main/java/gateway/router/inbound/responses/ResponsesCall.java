package gateway.router.inbound.responses;

import gateway.router.fields.ClientBodies;
import gateway.common.GatewayError;
import gateway.router.fields.JsonFields;
import gateway.router.exchange.ChatForm;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.Delivery;
import gateway.router.exchange.OutputBound;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A checked OpenAI Responses request: the fields the gateway acts on are read (and a malformed one
 * is a 400 naming it), the body is kept as sent for Responses channels and translated to the chat
 * shape for the others. {@code max_output_tokens} bounds the hold like chat's {@code max_tokens}.
 */
final class ResponsesCall {
  private static final List<String> NUMBERS = List.of("temperature", "top_p", "top_logprobs", "max_tool_calls");
  private static final List<String> BOOLEANS = List.of("parallel_tool_calls", "store", "background");
  private static final List<String> STRINGS = List.of("prompt_cache_key", "service_tier", "truncation");

  private ResponsesCall() {
  }

  static ClientCall parse(Buffer raw) {
    JsonObject body = ClientBodies.jsonObject(raw);
    String model = ClientBodies.requiredString(body, "model");
    Object input = body.getValue("input");
    if (input == null && body.getValue("previous_response_id") == null && body.getValue("conversation") == null
        && body.getValue("prompt") == null) {
      throw GatewayError.MISSING_FIELD.exception("'input' is required", "input");
    }
    if (input != null && !(input instanceof String) && !(input instanceof JsonArray)) {
      throw GatewayError.INVALID_VALUE.exception("'input' must be a string or an array of input items", "input");
    }
    if (input instanceof JsonArray items) {
      for (int i = 0; i < items.size(); i++) {
        if (!(items.getValue(i) instanceof JsonObject)) {
          throw JsonFields.invalid(JsonFields.path("input", i), "an input item object");
        }
      }
    }
    Integer maxOutput = ClientBodies.positiveInt(body, "max_output_tokens");
    boolean stream = ClientBodies.optionalBoolean(body, "stream");
    NUMBERS.forEach(field -> JsonFields.number(body, null, field));
    BOOLEANS.forEach(field -> JsonFields.bool(body, null, field));
    STRINGS.forEach(field -> JsonFields.string(body, null, field));
    JsonFields.identifier(body, null, "user");
    JsonFields.identifier(body, null, "safety_identifier");
    JsonFields.identifierKeys(body, null, "metadata");
    JsonArray include = JsonFields.array(body, null, "include");
    if (include != null && !include.stream().allMatch(String.class::isInstance)) {
      throw JsonFields.invalid("include", "an array of strings");
    }
    ResponsesRequestToChat.Translated chat = ResponsesRequestToChat.translate(body);
    ChatForm form = chat.gap() == null ? new ChatForm.Chat(chat.chat(), true) : new ChatForm.None(chat.gap(), chat.chat());
    return ClientCall.responses(body, model, stream ? Delivery.STREAMED : Delivery.WHOLE,
        OutputBound.of(maxOutput, "max_output_tokens"), form);
  }
}
