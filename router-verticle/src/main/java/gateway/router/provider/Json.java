package gateway.router.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Lenient reads of provider JSON: a body that is not an object yields null, never an exception. */
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
}
