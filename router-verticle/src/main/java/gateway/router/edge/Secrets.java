package gateway.router.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A presented secret's SHA-256 in base64: the cache key (no cache holds a key in clear) and what
 * {@code auth.verify} is asked about (no secret crosses the bus).
 */
public final class Secrets {
  private Secrets() {
  }

  public static String digest(String secret) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
