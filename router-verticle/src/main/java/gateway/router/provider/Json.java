package gateway.router.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Lenient reads of provider JSON and of request bodies already checked at the edge: a body that is
 * not an object yields null, a field that is absent, null or of another type yields the fallback,
 * never an exception.
 */
public final class Json {
  private static final int MAX_QUOTED_BODY = 500;

  private Json() {
  }

  public static JsonObject objectOrNull(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(body);
      return value instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  public static JsonObject objectOrNull(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(text);
      return value instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /**
   * {@code value} as a JSON string, exactly as Vert.x's encoder writes it. A plain one (no quote, backslash or
   * control character) is only wrapped in quotes: the encoder's own call showed in the benchmark's profile.
   */
  public static String encodeString(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
        return io.vertx.core.json.Json.encode(value);
      }
    }
    return '"' + value + '"';
  }

  /** A body quoted in an error message, cut to a readable length. */
  public static String quote(Buffer body) {
    String text = body == null ? "" : body.toString(StandardCharsets.UTF_8).strip();
    return text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "…";
  }

  public static long longAt(JsonObject object, String field) {
    if (object == null) {
      return 0;
    }
    Object value = object.getValue(field);
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** The string at {@code field}, or {@code fallback} when it is absent, null or not a string. */
  public static String string(JsonObject object, String field, String fallback) {
    return object != null && object.getValue(field) instanceof String s ? s : fallback;
  }

  /** The object at {@code field}, or a new empty one when it is absent, null or not an object. */
  public static JsonObject object(JsonObject object, String field) {
    return object != null && object.getValue(field) instanceof JsonObject o ? o : new JsonObject();
  }

  /** The array at {@code field}, or a new empty one when it is absent, null or not an array. */
  public static JsonArray array(JsonObject object, String field) {
    return object != null && object.getValue(field) instanceof JsonArray a ? a : new JsonArray();
  }

  /** The whole number at {@code field}, or {@code fallback} when it is absent, null or not a number. */
  public static int intAt(JsonObject object, String field, int fallback) {
    return object != null && object.getValue(field) instanceof Number n ? n.intValue() : fallback;
  }
}
