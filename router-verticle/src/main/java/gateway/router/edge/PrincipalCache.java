package gateway.router.edge;

import gateway.common.bus.Principal;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Verified keys of one router instance, by the SHA-256 of the secret, for a short time.
 * Every {@code auth.keys.changed} event drops the entries it names (and all refusals), so a
 * disabled key stops working cluster-wide at once, not when its entry ages out.
 *
 * <p>Every change also starts a new generation: an answer to a lookup started in an earlier
 * generation is not stored, since auth may have read the key before the change (a verify in
 * flight while the key was disabled would otherwise cache it as valid for the whole TTL).
 * Confined to its verticle's event loop.
 */
final class PrincipalCache {
  private static final int MAX_ENTRIES = 100_000;
  private static final long REFUSAL_TTL_NANOS = 5_000_000_000L;

  private record Entry(Principal principal, long expiresAtNanos) {
  }

  private final long ttlNanos;
  private final Map<String, Entry> verified = new HashMap<>();
  private final Map<String, Long> refused = new HashMap<>();
  private long generation;

  PrincipalCache(long ttlSeconds) {
    this.ttlNanos = ttlSeconds * 1_000_000_000L;
  }

  /** The cached principal, or null when unknown or aged out. */
  Principal verified(String digest) {
    Entry entry = verified.get(digest);
    if (entry == null) {
      return null;
    }
    if (entry.expiresAtNanos - System.nanoTime() < 0) {
      verified.remove(digest);
      return null;
    }
    return entry.principal;
  }

  /** Whether this secret was refused a moment ago (spares auth a flood of bad keys). */
  boolean recentlyRefused(String digest) {
    Long until = refused.get(digest);
    if (until == null) {
      return false;
    }
    if (until - System.nanoTime() < 0) {
      refused.remove(digest);
      return false;
    }
    return true;
  }

  /** The current generation: take it before asking auth, hand it back with the answer. */
  long generation() {
    return generation;
  }

  /** Stores an answer, unless a change arrived since its lookup started in {@code lookupGeneration}. */
  void putVerified(String digest, Principal principal, long lookupGeneration) {
    if (lookupGeneration != generation) {
      return;
    }
    if (verified.size() >= MAX_ENTRIES) {
      verified.clear();
    }
    verified.put(digest, new Entry(principal, System.nanoTime() + ttlNanos));
  }

  void putRefused(String digest, long lookupGeneration) {
    if (lookupGeneration != generation) {
      return;
    }
    if (refused.size() >= MAX_ENTRIES) {
      refused.clear();
    }
    refused.put(digest, System.nanoTime() + REFUSAL_TTL_NANOS);
  }

  /** Applies an {@code auth.keys.changed} event: {key_id} or {account_id}. */
  void invalidate(JsonObject change) {
    generation++;
    Long keyId = change.getLong("key_id");
    Long accountId = change.getLong("account_id");
    verified.values().removeIf(e -> (keyId != null && e.principal.keyId() == keyId)
        || (accountId != null && e.principal.accountId() == accountId));
    refused.clear();
  }
}
