package gateway.auth;

/** Checks the operator's admin token by comparing SHA-256 digests in constant time. */
final class AdminToken {
  private final byte[] expectedHash;

  AdminToken(String token) {
    this.expectedHash = token == null || token.isBlank() ? null : KeySecret.sha256(token);
  }

  boolean matches(String presented) {
    if (expectedHash == null || presented == null) {
      return false;
    }
    return KeySecret.sameHash(expectedHash, KeySecret.sha256(presented));
  }
}
