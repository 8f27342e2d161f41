package gateway.router.chat;

import gateway.common.GatewayError;
import gateway.router.inbound.JsonFields;
import gateway.router.provider.ApiFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A checked OpenAI chat request. Only the fields the gateway acts on are read; the body
 * itself goes upstream untouched except for the model name (unknown fields pass through).
 *
 * <p>Clients of the other endpoints arrive here too: their request translated to this shape
 * (which holds, estimates and counts read, and translating routes send on), with the
 * {@link ClientRequest} they sent kept for routes that speak their format.
 *
 * @param maxOutputTokens {@code max_completion_tokens} or {@code max_tokens}, null when unset
 * @param choices         {@code n}: how many answers the client asked for
 * @param client          the request as the client wrote it
 */
public record ChatRequest(JsonObject body, String model, boolean stream, boolean wantsUsage,
                          Integer maxOutputTokens, int choices, ClientRequest client) {

  /** A request of a chat completions client. */
  public ChatRequest(JsonObject body, String model, boolean stream, boolean wantsUsage, Integer maxOutputTokens,
                     int choices) {
    this(body, model, stream, wantsUsage, maxOutputTokens, choices, ClientRequest.chat(body));
  }

  /** The format the client speaks, and wants its answer in. */
  public ApiFormat format() {
    return client.format();
  }

  /** Parses and checks a request body; 400 with the offending field otherwise. */
  public static ChatRequest parse(Buffer raw) {
    JsonObject body = jsonObject(raw);
    String model = requiredString(body, "model");
    Object messages = body.getValue("messages");
    if (messages == null) {
      throw GatewayError.MISSING_FIELD.exception("'messages' is required", "messages");
    }
    if (!(messages instanceof JsonArray list) || list.isEmpty()) {
      throw GatewayError.INVALID_VALUE.exception("'messages' must be a non-empty array", "messages");
    }
    for (int i = 0; i < list.size(); i++) {
      String where = JsonFields.path("messages", i);
      if (!(list.getValue(i) instanceof JsonObject m)) {
        throw JsonFields.invalid(where, "an object with a 'role'");
      }
      if (m.getValue("role") == null) {
        throw JsonFields.missing(JsonFields.path(where, "role"));
      }
      JsonFields.string(m, where, "role");
    }
    boolean stream = optionalBoolean(body, "stream");
    ChatBodyCheck.check(body);
    boolean wantsUsage = body.getValue("stream_options") instanceof JsonObject options
        && Boolean.TRUE.equals(options.getValue("include_usage"));
    Integer maxOutput = positiveInt(body, "max_completion_tokens");
    if (maxOutput == null) {
      maxOutput = positiveInt(body, "max_tokens");
    }
    Integer n = positiveInt(body, "n");
    return new ChatRequest(body, model, stream, wantsUsage, maxOutput, n == null ? 1 : n);
  }

  /**
   * The body to send to a route: a shallow copy naming the route's upstream model. Adapters may
   * change its top-level fields; nested values are shared with the original and stay untouched.
   */
  public JsonObject forUpstream(String upstreamModel) {
    return new JsonObject(new java.util.LinkedHashMap<>(body.getMap())).put("model", upstreamModel);
  }

  public JsonArray messages() {
    return body.getJsonArray("messages");
  }

  /** The request body as a JSON object; 400 when it is empty, malformed or not an object. */
  public static JsonObject jsonObject(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw GatewayError.INVALID_JSON.exception("The request body is empty; send a JSON object.");
    }
    Object value;
    try {
      value = Json.decodeValue(raw);
    } catch (DecodeException e) {
      throw GatewayError.INVALID_JSON.exception("The request body is not valid JSON: " + parserProblem(e.getMessage()));
    }
    if (!(value instanceof JsonObject object)) {
      throw GatewayError.INVALID_JSON.exception("The request body must be a JSON object.");
    }
    JsonFields.checkDepth(object);
    return object;
  }

  /** A required non-blank string naming something the gateway keys on (a model): no control characters. */
  public static String requiredString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw GatewayError.MISSING_FIELD.exception("'" + field + "' is required", field);
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a non-empty string", field);
    }
    JsonFields.checkIdentifier(s, field);
    return s;
  }

  public static boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be true or false", field);
    }
    return b;
  }

  public static Integer positiveInt(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1
        || n.longValue() > Integer.MAX_VALUE) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a whole number ≥ 1", field);
    }
    return n.intValue();
  }

  /** The parser's reason, on its first line, without the names of the parser's own classes and settings. */
  private static String parserProblem(String message) {
    if (message == null) {
      return "malformed";
    }
    int newline = message.indexOf('\n');
    String line = (newline < 0 ? message : message.substring(0, newline)).replaceFirst("^Failed to decode:", "").trim();
    if (line.contains("nesting depth")) {
      return "it nests too deeply";
    }
    if (line.contains("length") && line.contains("exceeds the maximum")) {
      return "a string or a number in it is too long";
    }
    return line.contains("`") || line.contains("Constraints") || line.contains("fasterxml") ? "malformed" : line;
  }

}
