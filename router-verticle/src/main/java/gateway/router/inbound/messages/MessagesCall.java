package gateway.router.inbound.messages;

import gateway.router.fields.ClientBodies;
import gateway.common.GatewayError;
import gateway.router.fields.JsonFields;
import gateway.router.exchange.ChatForm;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.Delivery;
import gateway.router.exchange.OutputBound;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A checked Anthropic Messages request: the fields the gateway acts on are read (and a malformed
 * one is a 400 naming it), the body is kept as sent for Anthropic channels and translated to the
 * chat shape for the others.
 */
final class MessagesCall {
  private static final Set<String> ROLES = Set.of("user", "assistant");

  /** Client headers an Anthropic channel receives as they came (the channel's own settings win). */
  private static final Set<String> FORWARDED_HEADERS = Set.of("anthropic-beta");

  private MessagesCall() {
  }

  /**
   * @param outputBoundRequired whether {@code max_tokens} must be present, as Anthropic requires
   *                            on {@code /v1/messages} (not on {@code count_tokens})
   */
  static ClientCall parse(Buffer raw, MultiMap headers, boolean outputBoundRequired) {
    JsonObject body = ClientBodies.jsonObject(raw);
    String model = ClientBodies.requiredString(body, "model");
    Object messages = body.getValue("messages");
    if (messages == null) {
      throw GatewayError.MISSING_FIELD.exception("messages: Field required", "messages");
    }
    if (!(messages instanceof JsonArray list) || list.isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("messages: must be a non-empty array", "messages");
    }
    for (int i = 0; i < list.size(); i++) {
      String where = JsonFields.path("messages", i);
      if (!(list.getValue(i) instanceof JsonObject m)) {
        throw JsonFields.invalid(where, "an object with role 'user' or 'assistant'");
      }
      Object role = m.getValue("role");
      if (role == null) {
        throw JsonFields.missing(JsonFields.path(where, "role"));
      }
      if (!(role instanceof String r) || !ROLES.contains(r)) {
        throw JsonFields.invalid(JsonFields.path(where, "role"), "'user' or 'assistant'");
      }
    }
    JsonObject metadata = JsonFields.identifierKeys(body, null, "metadata");
    if (metadata != null) {
      JsonFields.identifier(metadata, "metadata", "user_id");
    }
    JsonFields.string(body, null, "service_tier");
    JsonFields.object(body, null, "thinking");
    if (outputBoundRequired && body.getValue("max_tokens") == null) {
      throw GatewayError.MISSING_FIELD.exception("max_tokens: Field required", "max_tokens");
    }
    Integer maxTokens = ClientBodies.positiveInt(body, "max_tokens");
    boolean stream = ClientBodies.optionalBoolean(body, "stream");
    Map<String, String> forwarded = new HashMap<>();
    FORWARDED_HEADERS.forEach(name -> {
      if (headers.get(name) != null) {
        forwarded.put(name, headers.get(name));
      }
    });
    JsonObject translated = translate(body);
    ChatForm chat = body.getValue("mcp_servers") != null
        ? new ChatForm.None("MCP servers ('mcp_servers') are run by Anthropic itself, so only Anthropic channels can "
            + "serve them", translated)
        : new ChatForm.Chat(translated, true);
    return ClientCall.messages(body, model, stream ? Delivery.STREAMED : Delivery.WHOLE,
        OutputBound.of(maxTokens, "max_tokens"), chat, forwarded);
  }

  /** The chat form, read with every field's type checked: a wrong one is a 400 naming it. */
  private static JsonObject translate(JsonObject body) {
    return MessagesRequestToChat.translate(body);
  }
}
