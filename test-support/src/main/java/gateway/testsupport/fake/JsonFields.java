package gateway.testsupport.fake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Lenient field access for request bodies whose fields may have any type. */
final class JsonFields {

  private JsonFields() {
  }

  static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject o ? o : null;
  }

  static JsonArray array(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonArray a ? a : null;
  }

  static String string(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof String s ? s : null;
  }

  static boolean isTrue(JsonObject json, String key) {
    return json != null && Boolean.TRUE.equals(json.getValue(key));
  }

  static long textLength(Object value) {
    return value instanceof String s ? s.length() : 0;
  }

  /** Characters of a string, or of the {@code text} fields of an array of content parts. */
  static long contentLength(Object content) {
    if (content instanceof String s) {
      return s.length();
    }
    long chars = 0;
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject p) {
          chars += textLength(p.getValue("text"));
        } else {
          chars += textLength(part);
        }
      }
    }
    return chars;
  }
}
