package gateway.catalog;

import gateway.common.GatewayError;
import gateway.common.bus.Channel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A channel as the admin API and the catalog file write it. Fields without a column of
 * their own (rpm, timeouts, breaker, headers, ...) are kept in {@code settings}.
 */
record ChannelDefinition(String name, String type, String baseUrl, String apiKey, int priority, int weight,
                         boolean streamOnly, String wireApi, boolean enabled, JsonObject settings) {
  private static final Set<String> COLUMNS = Set.of(
      "name", "type", "base_url", "api_key", "priority", "weight", "stream_only", "wire_api", "enabled", "settings");
  private static final Set<String> WIRE_APIS = Set.of(Channel.WIRE_CHAT, Channel.WIRE_RESPONSES);
  private static final String ALLOW = "allow";
  private static final List<String> ALLOW_LISTS = List.of("anthropic_beta", "server_tools", "service_tiers");
  private static final List<String> ALLOW_FLAGS = List.of("provider_files", "stored_responses");

  static ChannelDefinition parse(String name, JsonObject json) {
    Fields f = new Fields(json, "channel '" + name + "'");
    String type = f.requiredString("type");
    if (!type.matches("[a-z0-9_-]+")) {
      throw f.invalid("type", "must be a provider type such as openai, anthropic or gemini");
    }
    String baseUrl = f.requiredString("base_url");
    if (!isHttpUrl(baseUrl)) {
      throw f.invalid("base_url", "must be an http(s) URL such as https://api.openai.com/v1");
    }
    String wireApi = f.optionalString("wire_api", Channel.WIRE_CHAT);
    if (!WIRE_APIS.contains(wireApi)) {
      throw f.invalid("wire_api", "must be chat or responses");
    }
    int weight = f.optionalInt("weight", 1);
    if (weight < 0) {
      throw f.invalid("weight", "cannot be negative");
    }
    JsonObject settings = json.getValue("settings") instanceof JsonObject s ? s.copy() : new JsonObject();
    json.forEach(entry -> {
      if (!COLUMNS.contains(entry.getKey())) {
        settings.put(entry.getKey(), entry.getValue());
      }
    });
    checkAllowances(f, settings.getValue(ALLOW));
    return new ChannelDefinition(name, type, stripTrailingSlash(baseUrl), f.optionalString("api_key", null),
        f.optionalInt("priority", 0), weight, f.optionalBoolean("stream_only", false), wireApi,
        f.optionalBoolean("enabled", true), settings);
  }

  /**
   * {@code allow}: what clients may switch on at the provider beyond the priced tokens (the router
   * refuses the rest) — {@code anthropic_beta}, {@code server_tools}, {@code service_tiers} lists
   * of names, {@code provider_files} and {@code stored_responses} switches.
   */
  private static void checkAllowances(Fields f, Object allow) {
    if (allow == null) {
      return;
    }
    if (!(allow instanceof JsonObject allowances)) {
      throw f.invalid(ALLOW, "must be an object such as {server_tools: [web_search], provider_files: true}");
    }
    for (String list : ALLOW_LISTS) {
      Object value = allowances.getValue(list);
      if (value != null && !(value instanceof JsonArray names && names.stream().allMatch(String.class::isInstance))) {
        throw GatewayError.INVALID_VALUE.exception(f.what() + ": '" + ALLOW + "." + list + "' must be a list of names",
            ALLOW + "." + list);
      }
    }
    for (String flag : ALLOW_FLAGS) {
      Object value = allowances.getValue(flag);
      if (value != null && !(value instanceof Boolean)) {
        throw GatewayError.INVALID_VALUE.exception(f.what() + ": '" + ALLOW + "." + flag + "' must be true or false",
            ALLOW + "." + flag);
      }
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Reads typed fields and fails with 400 naming the field. */
  record Fields(JsonObject json, String what) {
    String requiredString(String field) {
      Object value = json.getValue(field);
      if (value == null) {
        throw GatewayError.MISSING_FIELD.exception(what + ": '" + field + "' is required", field);
      }
      if (!(value instanceof String s) || s.isBlank()) {
        throw invalid(field, "must be a non-empty string");
      }
      return s;
    }

    String optionalString(String field, String fallback) {
      Object value = json.getValue(field);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof String s)) {
        throw invalid(field, "must be a string");
      }
      return s;
    }

    int optionalInt(String field, int fallback) {
      Integer value = optionalInteger(field);
      return value == null ? fallback : value;
    }

    Integer optionalInteger(String field) {
      Object value = json.getValue(field);
      if (value == null) {
        return null;
      }
      if (!(value instanceof Number n) || n.doubleValue() != n.intValue()) {
        throw invalid(field, "must be a whole number");
      }
      return n.intValue();
    }

    boolean optionalBoolean(String field, boolean fallback) {
      Object value = json.getValue(field);
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof Boolean b)) {
        throw invalid(field, "must be true or false");
      }
      return b;
    }

    RuntimeException invalid(String field, String problem) {
      return GatewayError.INVALID_VALUE.exception(what + ": '" + field + "' " + problem, field);
    }
  }
}
