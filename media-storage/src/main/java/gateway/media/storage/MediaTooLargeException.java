package gateway.media.storage;

/** A {@link MediaStore#put} refused because the object grew past the configured maximum. */
public final class MediaTooLargeException extends RuntimeException {

  private final long maxBytes;

  public MediaTooLargeException(long maxBytes) {
    super("media object larger than the maximum of " + maxBytes + " bytes");
    this.maxBytes = maxBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }
}
