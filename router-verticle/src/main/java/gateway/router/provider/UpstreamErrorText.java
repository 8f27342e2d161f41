package gateway.router.provider;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What of a provider's error text may be kept. Providers echo credentials back (OpenAI's
 * {@code Incorrect API key provided: sk-abc***wxyz}), and transport failures name internal
 * hosts and ports ({@code Connection refused: /10.0.3.7:8443}). {@link #redactSecrets} makes a
 * text safe for logs and usage rows; {@link #forClient} also drops every address and caps the
 * length, for the text a customer sees.
 */
public final class UpstreamErrorText {
  /** Longest upstream message a client gets; the full text stays in the server's log. */
  public static final int MAX_CLIENT_CHARS = 400;
  static final String REDACTED = "[redacted]";
  static final String ADDRESS = "[address]";

  private static final Pattern SECRET = Pattern.compile(
      // a credential header echoed back, with its scheme
      "(?i)\\b(?:x-api-key|api-key|x-goog-api-key|authorization)\\s*:\\s*(?:(?:bearer|basic)\\s+)?[^\\s\"',;]{3,}"
          // authorization header values
          + "|\\b(?:bearer|basic)\\s+[A-Za-z0-9._~+/=*-]{4,}"
          // OpenAI, Anthropic and most resellers' keys, masked echoes (sk-abc****wxyz) included
          + "|\\b(?:sk|rk|pk)-[A-Za-z0-9_*.-]{3,}"
          // Google API keys
          + "|\\bAIza[0-9A-Za-z_-]{10,}"
          // key=value in query strings
          + "|\\b(?:api[_-]?key|key|token|access[_-]?token|secret|password|signature|sig)=[^\\s&\"',;]{3,}");
  private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s\"'<>]+");
  private static final Pattern IP_V4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b");
  private static final Pattern IP_V6 = Pattern.compile(
      "\\[[0-9a-fA-F.%]*:[0-9a-fA-F:.%]*](?::\\d{1,5})?|\\b(?:[0-9a-fA-F]{1,4}:){3,8}[0-9a-fA-F]{1,5}\\b");
  private static final Pattern JAVA_CLASS = Pattern.compile(
      "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?");
  private static final Pattern HOST = Pattern.compile(
      "(?i)\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{1,62}\\b(?::\\d{1,5}\\b)?"
          + "|\\blocalhost(?::\\d{1,5})?\\b");
  /** Top-level names that make a two-label word a host name rather than, say, a file name. */
  private static final Set<String> HOST_SUFFIXES = Set.of("com", "net", "org", "io", "ai", "dev", "app", "cloud",
      "local", "localdomain", "internal", "lan", "corp", "svc", "cluster", "co", "us", "eu", "uk", "de", "cn", "jp");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n]]|\\n");
  private static final Pattern SPACES = Pattern.compile("\\s{2,}");

  private UpstreamErrorText() {
  }

  /** The text without anything that looks like a credential; null stays null. */
  public static String redactSecrets(String text) {
    return text == null ? null : SECRET.matcher(text).replaceAll(REDACTED);
  }

  /**
   * The text a client may see: no credentials, URLs, host names, IP addresses, ports or Java
   * class names, no control characters, at most {@link #MAX_CLIENT_CHARS} characters.
   */
  public static String forClient(String text) {
    if (text == null || text.isBlank()) {
      return "the upstream gave no reason";
    }
    String safe = redactSecrets(text);
    safe = CONTROL.matcher(safe).replaceAll(" ");
    safe = URL.matcher(safe).replaceAll(ADDRESS);
    safe = JAVA_CLASS.matcher(safe).replaceAll("");
    safe = IP_V6.matcher(safe).replaceAll(ADDRESS);
    safe = IP_V4.matcher(safe).replaceAll(ADDRESS);
    safe = hosts(safe);
    safe = safe.replace("/" + ADDRESS, ADDRESS);
    safe = SPACES.matcher(safe).replaceAll(" ").strip();
    if (safe.length() > MAX_CLIENT_CHARS) {
      safe = safe.substring(0, MAX_CLIENT_CHARS - 1) + "…";
    }
    return safe.isEmpty() ? "the upstream gave no reason" : safe;
  }

  private static String hosts(String text) {
    Matcher matcher = HOST.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String candidate = matcher.group();
      matcher.appendReplacement(out, Matcher.quoteReplacement(looksLikeHost(candidate) ? ADDRESS : candidate));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static boolean looksLikeHost(String candidate) {
    String lower = candidate.toLowerCase(Locale.ROOT);
    if (lower.startsWith("localhost") || lower.matches(".*:\\d+")) {
      return true;
    }
    String[] labels = lower.split("\\.");
    return labels.length >= 3 || HOST_SUFFIXES.contains(labels[labels.length - 1]);
  }
}
