package gateway.router.inbound.chat;

import gateway.common.GatewayError;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.Delivery;
import gateway.router.exchange.OutputBound;
import gateway.router.fields.ClientBodies;
import gateway.router.fields.JsonFields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A checked OpenAI chat request, as a {@link ClientCall}. Only the fields the gateway acts on are
 * read; the body itself goes upstream untouched except for the model name (unknown fields pass through).
 */
public final class ChatCall {
  private ChatCall() {
  }

  /** Parses and checks a request body; 400 with the offending field otherwise. */
  public static ClientCall parse(Buffer raw) {
    JsonObject body = ClientBodies.jsonObject(raw);
    String model = ClientBodies.requiredString(body, "model");
    Object messages = body.getValue("messages");
    if (messages == null) {
      throw GatewayError.MISSING_FIELD.exception("'messages' is required", "messages");
    }
    if (!(messages instanceof JsonArray list) || list.isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("'messages' must be a non-empty array", "messages");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject m)) {
        throw JsonFields.invalid(JsonFields.path("messages", i), "an object with a 'role'");
      }
      Object role = m.getValue("role");
      if (role == null) {
        throw JsonFields.missing(JsonFields.path(JsonFields.path("messages", i), "role"));
      }
      if (!(role instanceof String)) {
        throw JsonFields.invalid(JsonFields.path(JsonFields.path("messages", i), "role"), "a string");
      }
    }
    boolean stream = ClientBodies.optionalBoolean(body, "stream");
    ChatBodyCheck.check(body);
    boolean wantsUsage = body.getValue("stream_options") instanceof JsonObject options
        && Boolean.TRUE.equals(options.getValue("include_usage"));
    String limitField = "max_completion_tokens";
    Integer maxOutput = ClientBodies.positiveInt(body, limitField);
    if (maxOutput == null && body.getValue("max_tokens") != null) {
      limitField = "max_tokens";
      maxOutput = ClientBodies.positiveInt(body, limitField);
    }
    Integer n = ClientBodies.positiveInt(body, "n");
    return ClientCall.chat(body, model, stream ? Delivery.STREAMED : Delivery.WHOLE, wantsUsage,
        new OutputBound(maxOutput, limitField, n == null ? 1 : n));
  }
}
