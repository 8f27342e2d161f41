package gateway.router.inbound.messages;

import gateway.common.GatewayError;
import gateway.router.chat.ChatRequest;
import gateway.router.chat.ClientRequest;
import gateway.router.provider.ApiFormat;
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
final class MessagesRequest {
  private static final Set<String> ROLES = Set.of("user", "assistant");

  /** Client headers an Anthropic channel receives as they came (the channel's own settings win). */
  private static final Set<String> FORWARDED_HEADERS = Set.of("anthropic-beta");

  private MessagesRequest() {
  }

  /**
   * @param outputBoundRequired whether {@code max_tokens} must be present, as Anthropic requires
   *                            on {@code /v1/messages} (not on {@code count_tokens})
   */
  static ChatRequest parse(Buffer raw, MultiMap headers, boolean outputBoundRequired) {
    JsonObject body = ChatRequest.jsonObject(raw);
    String model = ChatRequest.requiredString(body, "model");
    Object messages = body.getValue("messages");
    if (messages == null) {
      throw GatewayError.MISSING_FIELD.exception("messages: Field required", "messages");
    }
    if (!(messages instanceof JsonArray list) || list.isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("messages: must be a non-empty array", "messages");
    }
    for (Object message : list) {
      if (!(message instanceof JsonObject m) || !ROLES.contains(m.getValue("role"))) {
        throw GatewayError.INVALID_VALUE.exception(
            "messages: every message must be an object with role 'user' or 'assistant'", "messages");
      }
    }
    if (outputBoundRequired && body.getValue("max_tokens") == null) {
      throw GatewayError.MISSING_FIELD.exception("max_tokens: Field required", "max_tokens");
    }
    Integer maxTokens = ChatRequest.positiveInt(body, "max_tokens");
    boolean stream = ChatRequest.optionalBoolean(body, "stream");
    Map<String, String> forwarded = new HashMap<>();
    FORWARDED_HEADERS.forEach(name -> {
      if (headers.get(name) != null) {
        forwarded.put(name, headers.get(name));
      }
    });
    String gap = body.getValue("mcp_servers") != null
        ? "MCP servers ('mcp_servers') are run by Anthropic itself, so only Anthropic channels can serve them" : null;
    return new ChatRequest(translate(body), model, stream, true, maxTokens, 1,
        new ClientRequest(ApiFormat.MESSAGES, body, forwarded, gap));
  }

  /** A field of the wrong JSON type deep in the body is the client's 400, not the gateway's 500. */
  private static JsonObject translate(JsonObject body) {
    try {
      return MessagesRequestToChat.translate(body);
    } catch (ClassCastException e) {
      throw GatewayError.INVALID_VALUE.exception("a field of the request has the wrong JSON type: " + e.getMessage());
    }
  }
}
