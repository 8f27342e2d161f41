package gateway.media.storage;

/** What a requested range means for an object of a given size. */
final class Ranges {

  private Ranges() {
  }

  /**
   * The bytes to read: the whole object for a null range, else the range cut to the size; null for an empty
   * object read whole. Throws {@link IllegalArgumentException} for a range that starts past the end.
   */
  static ByteRange resolve(ByteRange requested, long size) {
    if (requested == null) {
      return size == 0 ? null : ByteRange.whole(size);
    }
    ByteRange cut = requested.within(size);
    if (cut == null) {
      throw new IllegalArgumentException("range " + requested.first() + "-" + requested.last()
          + " starts past the end of " + size + " bytes");
    }
    return cut;
  }
}
