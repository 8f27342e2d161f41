package gateway.router.provider.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A JSON Schema (as OpenAI tools and response formats carry it) cut down to the OpenAPI subset
 * Gemini accepts. Gemini answers 400 to any key it does not know ({@code additionalProperties},
 * {@code $schema}, {@code strict}...), so only the known ones are kept, at every depth.
 */
final class GeminiSchema {
  private static final Set<String> KNOWN = Set.of(
      "type", "format", "title", "description", "nullable", "enum", "items", "properties", "required",
      "propertyOrdering", "anyOf", "minItems", "maxItems", "minProperties", "maxProperties", "minLength",
      "maxLength", "pattern", "minimum", "maximum", "default", "example");

  private GeminiSchema() {
  }

  static JsonObject clean(JsonObject schema) {
    JsonObject cleaned = new JsonObject();
    schema.forEach(field -> {
      String key = field.getKey();
      Object value = field.getValue();
      switch (key) {
        case "properties" -> {
          if (value instanceof JsonObject properties) {
            JsonObject each = new JsonObject();
            properties.forEach(p -> each.put(p.getKey(), p.getValue() instanceof JsonObject s ? clean(s) : p.getValue()));
            cleaned.put(key, each);
          }
        }
        case "items" -> cleaned.put(key, value instanceof JsonObject s ? clean(s) : value);
        case "anyOf" -> {
          if (value instanceof JsonArray options) {
            JsonArray each = new JsonArray();
            options.forEach(o -> each.add(o instanceof JsonObject s ? clean(s) : o));
            cleaned.put(key, each);
          }
        }
        case "type" -> putType(cleaned, value);
        case "const" -> cleaned.put("enum", new JsonArray().add(value));
        default -> {
          if (KNOWN.contains(key)) {
            cleaned.put(key, value);
          }
        }
      }
    });
    return cleaned;
  }

  /** {@code "type": ["string", "null"]}, JSON Schema's optional value, is Gemini's {@code nullable}. */
  private static void putType(JsonObject cleaned, Object type) {
    if (!(type instanceof JsonArray types)) {
      cleaned.put("type", type);
      return;
    }
    for (Object t : types) {
      if ("null".equals(t)) {
        cleaned.put("nullable", true);
      } else if (!cleaned.containsKey("type")) {
        cleaned.put("type", t);
      }
    }
  }

  /** An object schema with no properties, which Gemini refuses: such a function takes no parameters. */
  static boolean isEmptyObject(JsonObject schema) {
    return "object".equals(schema.getValue("type"))
        && !(schema.getValue("properties") instanceof JsonObject p && !p.isEmpty());
  }
}
