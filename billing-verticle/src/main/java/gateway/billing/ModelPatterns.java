package gateway.billing;

import gateway.common.GatewayError;
import io.vertx.core.json.JsonArray;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Model whitelists of vouchers: alias patterns as the catalog writes them ({@code "*"} matching any
 * run of characters), read from a command and turned into SQL LIKE patterns.
 */
final class ModelPatterns {
  private static final int MAX_PATTERNS = 100;

  private ModelPatterns() {
  }

  /** A non-empty list of at most 100 aliases or patterns, each a printable name; a 400 on {@code field} otherwise. */
  static List<String> parse(Object value, String field) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_PATTERNS) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be a non-empty array of model aliases or "
          + "patterns ('*' matches any characters)", field);
    }
    List<String> models = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String pattern) || pattern.isBlank() || pattern.length() > 200
          || pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw GatewayError.INVALID_VALUE.exception("every entry of '" + field + "' must be a model alias or pattern",
            field);
      }
      models.add(pattern);
    }
    return List.copyOf(models);
  }

  /** An optional ISO-8601 instant with an offset; a 400 on {@code field} otherwise. */
  static OffsetDateTime instant(Object value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse((String) value);
    } catch (ClassCastException | DateTimeParseException e) {
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be an ISO-8601 timestamp with an offset, e.g. "
          + "2027-01-31T23:59:59Z", field);
    }
  }

  static String like(String glob) {
    StringBuilder like = new StringBuilder(glob.length() + 4);
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '\\', '%', '_' -> like.append('\\').append(c);
        case '*' -> like.append('%');
        default -> like.append(c);
      }
    }
    return like.toString();
  }
}
