package gateway.media.storage;

/**
 * Bytes {@code first} to {@code last} of an object, both inclusive, as HTTP's {@code Range: bytes=first-last}
 * counts them.
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
    }
  }

  /** The whole of an object of {@code size} bytes (at least one byte). */
  public static ByteRange whole(long size) {
    return new ByteRange(0, size - 1);
  }

  public long length() {
    return last - first + 1;
  }

  /** This range cut to an object of {@code size} bytes; null when it starts past the end. */
  public ByteRange within(long size) {
    if (first >= size) {
      return null;
    }
    return new ByteRange(first, Math.min(last, size - 1));
  }
}
