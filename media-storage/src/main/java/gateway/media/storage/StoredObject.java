package gateway.media.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored file: its id (the last segment of its URL), the media type it is served with, its length in bytes
 * and when it was stored.
 */
public record StoredObject(String id, String contentType, long size, Instant created) {

  public StoredObject {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(created, "created");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }
}
