package gateway.billing;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * The text of redemption codes: 20 characters of Crockford's base32 (no I, L, O or U, so nothing
 * reads as something else) in four groups of five, 100 random bits, e.g. {@code 7QK2M-9XH4T-...}.
 * What a customer types is normalised the way Crockford's alphabet means (case, dashes and spaces
 * ignored; O read as 0, I and L as 1) before it is hashed; only the SHA-256 is stored.
 */
final class CodeText {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final int GROUPS = 4;
  private static final int GROUP_LENGTH = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private CodeText() {
  }

  static String generate() {
    StringBuilder code = new StringBuilder(GROUPS * (GROUP_LENGTH + 1));
    for (int group = 0; group < GROUPS; group++) {
      if (group > 0) {
        code.append('-');
      }
      for (int i = 0; i < GROUP_LENGTH; i++) {
        code.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
      }
    }
    return code.toString();
  }

  /** The code as its 20 characters, or null when the text cannot be a code. */
  static String normalise(String typed) {
    if (typed == null || typed.length() > 64) {
      return null;
    }
    StringBuilder code = new StringBuilder(GROUPS * GROUP_LENGTH);
    for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      char mapped = switch (c) {
        case 'O' -> '0';
        case 'I', 'L' -> '1';
        case '-', ' ' -> 0;
        default -> c;
      };
      if (mapped == 0) {
        continue;
      }
      if (new String(ALPHABET).indexOf(mapped) < 0) {
        return null;
      }
      code.append(mapped);
    }
    return code.length() == GROUPS * GROUP_LENGTH ? code.toString() : null;
  }

  static Buffer sha256(String normalised) {
    try {
      return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The last four characters, shown in reports so an operator can tell codes apart. */
  static String hint(String normalised) {
    return normalised.substring(normalised.length() - 4);
  }
}
