package gateway.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code GATEWAY_CATALOG} YAML file: {@code channels} and {@code models} lists in the
 * admin API's shapes. {@code ${VAR}} in any string value is replaced from the environment
 * ({@code ${VAR:-fallback}} when the variable may be unset); an unset variable without a
 * fallback is an error naming it, so a missing secret stops the start instead of failing calls.
 */
final class CatalogFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  record Contents(List<ChannelDefinition> channels, List<ModelDefinition> models) {
  }

  private CatalogFile() {
  }

  static Contents read(Path path, Function<String, String> env) throws IOException {
    Object parsed = YAML.readValue(Files.readString(path), Object.class);
    if (parsed == null) {
      return new Contents(List.of(), List.of());
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(path + ": expected a mapping with 'channels' and 'models'");
    }
    @SuppressWarnings("unchecked")
    JsonObject root = (JsonObject) substitute(new JsonObject((Map<String, Object>) map), env);
    List<ChannelDefinition> channels = new ArrayList<>();
    for (JsonObject entry : entries(root, "channels", path)) {
      channels.add(ChannelDefinition.parse(nameOf(entry, "name", path), entry));
    }
    List<ModelDefinition> models = new ArrayList<>();
    for (JsonObject entry : entries(root, "models", path)) {
      models.add(ModelDefinition.parse(nameOf(entry, "alias", path), entry));
    }
    return new Contents(channels, models);
  }

  private static List<JsonObject> entries(JsonObject root, String field, Path path) {
    Object value = root.getValue(field);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException(path + ": '" + field + "' must be a list");
    }
    List<JsonObject> entries = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject entry)) {
        throw new IllegalArgumentException(path + ": every entry of '" + field + "' must be a mapping");
      }
      entries.add(entry);
    }
    return entries;
  }

  private static String nameOf(JsonObject entry, String field, Path path) {
    Object name = entry.getValue(field);
    if (!(name instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException(path + ": an entry lacks its '" + field + "': " + entry.encode());
    }
    return s;
  }

  /** Replaces {@code ${VAR}} / {@code ${VAR:-fallback}} in every string of the tree. */
  static Object substitute(Object node, Function<String, String> env) {
    if (node instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(e.getKey(), substitute(e.getValue(), env)));
      return copy;
    }
    if (node instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(substitute(item, env)));
      return copy;
    }
    if (node instanceof String text) {
      return substituteText(text, env);
    }
    return node;
  }

  private static String substituteText(String text, Function<String, String> env) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int start = text.indexOf("${", at);
      if (start < 0) {
        return out.append(text, at, text.length()).toString();
      }
      int end = text.indexOf('}', start);
      if (end < 0) {
        return out.append(text, at, text.length()).toString();
      }
      out.append(text, at, start);
      String expression = text.substring(start + 2, end);
      int dash = expression.indexOf(":-");
      String name = dash < 0 ? expression : expression.substring(0, dash);
      String value = env.apply(name);
      if (value == null) {
        if (dash < 0) {
          throw new IllegalArgumentException("the catalog uses ${" + name + "} but " + name + " is not set");
        }
        value = expression.substring(dash + 2);
      }
      out.append(value);
      at = end + 1;
    }
  }
}
