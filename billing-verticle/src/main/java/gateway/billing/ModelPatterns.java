package gateway.billing;

/** Alias patterns as the catalog writes them ({@code "*"} matching any run of characters) as SQL LIKE patterns. */
final class ModelPatterns {
  private ModelPatterns() {
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
