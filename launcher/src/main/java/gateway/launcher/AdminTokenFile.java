package gateway.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin token when {@code GATEWAY_ADMIN_TOKEN} is unset: generated on first start,
 * kept (owner-readable only) in {@code <data dir>/admin-token}, reused afterwards.
 */
final class AdminTokenFile {
  static final String FILE_NAME = "admin-token";

  /** The token and whether this start created it (and so must print it). */
  record Token(String value, boolean created) {
  }

  private AdminTokenFile() {
  }

  static Token loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return new Token(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = "admin-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.createDirectories(dataDir);
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the data directory's own permissions protect it
    }
    return new Token(token, true);
  }
}
