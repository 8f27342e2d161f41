package gateway.router.fields;

import gateway.common.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Reads the top of every client body: the JSON object itself and the few fields every endpoint checks alike. */
public final class ClientBodies {
  private ClientBodies() {
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
