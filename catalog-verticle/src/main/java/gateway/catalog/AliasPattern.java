package gateway.catalog;

/**
 * A model alias that may hold {@code *} wildcards ({@code "*"}, {@code "claude-*"}).
 * When several patterns match a name, the one with more literal characters wins.
 */
final class AliasPattern {
  private AliasPattern() {
  }

  static boolean isWildcard(String alias) {
    return alias.indexOf('*') >= 0;
  }

  static int specificity(String alias) {
    return alias.length() - (int) alias.chars().filter(c -> c == '*').count();
  }

  /** Glob match where {@code *} stands for any run of characters, without regular expressions. */
  static boolean matches(String pattern, String name) {
    String[] parts = pattern.split("\\*", -1);
    if (parts.length == 1) {
      return pattern.equals(name);
    }
    if (!name.startsWith(parts[0])) {
      return false;
    }
    int at = parts[0].length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = name.indexOf(parts[i], at);
      if (found < 0) {
        return false;
      }
      at = found + parts[i].length();
    }
    String last = parts[parts.length - 1];
    return name.length() - at >= last.length() && name.endsWith(last);
  }
}
