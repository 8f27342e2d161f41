package gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API key secrets: {@code sk-} and 256 random bits from {@link SecureRandom} in URL-safe
 * base64. Only the SHA-256 of a secret is ever stored; the prefix identifies a key in lists.
 */
final class KeySecret {
  static final String SCHEME = "sk-";
  static final int HASH_BYTES = 32;
  private static final int RANDOM_BYTES = 32;
  private static final int PREFIX_LENGTH = SCHEME.length() + 6;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecret() {
  }

  static String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** What lists show instead of the secret: {@code sk-AbC12x…}. */
  static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(PREFIX_LENGTH, secret.length())) + "…";
  }

  /** Constant-time equality, so a comparison never reveals how much of a hash matched. */
  static boolean sameHash(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
