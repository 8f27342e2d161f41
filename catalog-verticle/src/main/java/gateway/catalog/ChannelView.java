package gateway.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A channel as every admin reply shows it: no api key (only whether one is set), and no other
 * secret either. Settings whose name looks secret (an Azure-style {@code api-key} header,
 * {@code authorization}, {@code *token*}, {@code *secret*}, cookies, ...) show at most their last
 * four characters; {@code base_url} loses its userinfo and its query values.
 *
 * <p>A definition sent back as it was shown (GET, edit one field, PUT) keeps the stored secrets:
 * {@link #restoreMasked} puts the stored value back wherever the incoming one is exactly its mask.
 */
final class ChannelView {
  static final String MASK = "****";
  private static final int SHOWN_TAIL = 4;
  private static final int SHORTEST_WITH_TAIL = 12;
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(key|token|secret|password|passwd|auth|cookie|session|credential|signature).*");

  private ChannelView() {
  }

  static JsonObject of(ChannelDefinition c) {
    return new JsonObject()
        .put("name", c.name())
        .put("type", c.type())
        .put("base_url", maskUrl(c.baseUrl()))
        .put("api_key_set", c.apiKey() != null && !c.apiKey().isEmpty())
        .put("priority", c.priority())
        .put("weight", c.weight())
        .put("stream_only", c.streamOnly())
        .put("wire_api", c.wireApi())
        .put("enabled", c.enabled())
        .put("settings", maskSettings(c.settings()));
  }

  /** Whether a setting (or header) of this name holds a credential. */
  static boolean secretName(String name) {
    return SECRET_NAME.matcher(name).matches();
  }

  static String mask(String value) {
    return value.length() >= SHORTEST_WITH_TAIL ? MASK + value.substring(value.length() - SHOWN_TAIL) : MASK;
  }

  /** The settings with every value under a secret-looking name masked, at any depth. */
  static JsonObject maskSettings(JsonObject settings) {
    JsonObject masked = new JsonObject();
    for (Map.Entry<String, Object> e : settings) {
      masked.put(e.getKey(), maskValue(e.getKey(), e.getValue()));
    }
    return masked;
  }

  private static Object maskValue(String name, Object value) {
    if (value instanceof JsonObject nested) {
      return maskSettings(nested);
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(maskValue(name, item)));
      return out;
    }
    if (value == null || !secretName(name)) {
      return value;
    }
    return mask(String.valueOf(value));
  }

  /** {@code https://user:pw@host/v1?key=abc} → {@code https://****@host/v1?key=****}. */
  static String maskUrl(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() == null && uri.getRawQuery() == null) {
        return url;
      }
      StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
      if (uri.getRawUserInfo() != null) {
        out.append(MASK).append('@');
      }
      out.append(uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1));
      out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
      if (uri.getRawQuery() != null) {
        out.append('?').append(maskQuery(uri.getRawQuery()));
      }
      return out.toString();
    } catch (URISyntaxException | RuntimeException e) {
      // not a URL we can take apart: show nothing of it rather than a secret
      return MASK;
    }
  }

  private static String maskQuery(String query) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&")) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      out.append(eq < 0 ? pair : pair.substring(0, eq + 1) + MASK);
    }
    return out.toString();
  }

  /**
   * {@code incoming} with the stored secrets back where it carries their masks, so a definition
   * read from the admin API and sent back unchanged does not overwrite them with masks.
   */
  static ChannelDefinition restoreMasked(ChannelDefinition incoming, ChannelDefinition stored) {
    if (stored == null) {
      return incoming;
    }
    String baseUrl = incoming.baseUrl().equals(maskUrl(stored.baseUrl())) && !incoming.baseUrl().equals(stored.baseUrl())
        ? stored.baseUrl() : incoming.baseUrl();
    JsonObject settings = restore(incoming.settings(), stored.settings());
    return new ChannelDefinition(incoming.name(), incoming.type(), baseUrl,
        incoming.apiKey() == null ? stored.apiKey() : incoming.apiKey(), incoming.priority(),
        incoming.weight(), incoming.streamOnly(), incoming.wireApi(), incoming.enabled(), settings);
  }

  private static JsonObject restore(JsonObject incoming, JsonObject stored) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : incoming) {
      Object value = e.getValue();
      Object previous = stored == null ? null : stored.getValue(e.getKey());
      if (value instanceof JsonObject nested && previous instanceof JsonObject before) {
        value = restore(nested, before);
      } else if (value instanceof String text && previous != null && !(previous instanceof JsonObject)
          && secretName(e.getKey()) && text.equals(mask(String.valueOf(previous)))) {
        value = previous;
      }
      out.put(e.getKey(), value);
    }
    return out;
  }
}
