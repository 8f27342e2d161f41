package gateway.router.selfservice;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle) in PHC form, {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}:
 * OWASP's baseline of 19 MiB, two passes, one lane, a 16-byte random salt. Verification reads the
 * parameters from the stored hash, so they can be raised later without invalidating old hashes.
 * Every hash runs on a small pool of worker threads of its own (never an event loop), which also
 * bounds the memory hashing may take at once. Comparisons are constant-time.
 *
 * <p>Hashing happens in the router, so a password never crosses the event bus; auth stores and
 * returns only these strings.
 */
public final class PasswordHasher {
  static final int MIN_LENGTH = 10;
  static final int MAX_LENGTH = 200;
  private static final String PREFIX = "$argon2id$";
  private static final int MEMORY_KIB = 19 * 1024;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int MAX_MEMORY_KIB = 1024 * 1024;
  private static final int MAX_ITERATIONS = 20;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private final WorkerExecutor workers;
  private final Future<String> dummy;

  public PasswordHasher(Vertx vertx, int threads) {
    this.workers = vertx.createSharedWorkerExecutor("password-hashing", threads);
    // What an unknown email is checked against, so it costs what a known one does.
    this.dummy = hash("no user has this password " + RANDOM.nextLong());
  }

  /** Completes with the PHC string of a fresh salted hash. */
  public Future<String> hash(String password) {
    return workers.executeBlocking(() -> encode(password), false);
  }

  /** Whether {@code password} matches {@code phc}; a null or unreadable {@code phc} costs a full hash and fails. */
  public Future<Boolean> verify(String password, String phc) {
    if (phc == null || !phc.startsWith(PREFIX)) {
      return dummy.compose(fake -> workers.executeBlocking(() -> {
        matches(password, fake);
        return false;
      }, false));
    }
    return workers.executeBlocking(() -> matches(password, phc), false);
  }

  public Future<Void> close() {
    return workers.close();
  }

  /** A password the API accepts: 10 to 200 characters. */
  static boolean acceptable(String password) {
    return password != null && password.length() >= MIN_LENGTH && password.length() <= MAX_LENGTH;
  }

  private static String encode(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return PREFIX + "v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
        + "$" + B64.encodeToString(hash);
  }

  private static boolean matches(String password, String phc) {
    String[] parts = phc.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[2].equals("v=19")) {
      return false;
    }
    int memory = 0;
    int iterations = 0;
    int parallelism = 0;
    try {
      for (String setting : parts[3].split(",")) {
        int value = Integer.parseInt(setting.substring(2));
        switch (setting.substring(0, 2)) {
          case "m=" -> memory = value;
          case "t=" -> iterations = value;
          case "p=" -> parallelism = value;
          default -> {
            return false;
          }
        }
      }
      byte[] salt = Base64.getDecoder().decode(parts[4]);
      byte[] expected = Base64.getDecoder().decode(parts[5]);
      if (memory <= 0 || memory > MAX_MEMORY_KIB || iterations <= 0 || iterations > MAX_ITERATIONS
          || parallelism <= 0 || parallelism > 16 || expected.length < 16 || expected.length > 64) {
        return false;
      }
      byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                               int length) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(parallelism)
        .withSalt(salt)
        .build());
    byte[] out = new byte[length];
    byte[] secret = password.getBytes(StandardCharsets.UTF_8);
    try {
      generator.generateBytes(secret, out);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    return out;
  }
}
