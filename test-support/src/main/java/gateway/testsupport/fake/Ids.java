package gateway.testsupport.fake;

import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers shaped like each provider's (prefix + base62 or hex body). */
final class Ids {

  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {
  }

  static String base62(String prefix, int length) {
    return random(prefix, length, BASE62);
  }

  static String hex(String prefix, int length) {
    return random(prefix, length, HEX);
  }

  private static String random(String prefix, int length, char[] alphabet) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(prefix.length() + length).append(prefix);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  /** OpenAI's stream obfuscation padding: a short random string of varying length. */
  static String obfuscation() {
    return base62("", 1 + ThreadLocalRandom.current().nextInt(12));
  }
}
