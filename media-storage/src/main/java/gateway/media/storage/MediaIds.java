package gateway.media.storage;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Object ids: 192 random bits in URL-safe base64 (32 characters), then a file extension naming the type
 * ({@code .png}, {@code .mp4}) so that clients and CDNs that guess from the URL guess right. Nobody can list
 * objects or guess a neighbour's id; the id is the only key to a file.
 */
public final class MediaIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{32}\\.[a-z0-9]{1,5}");
  private static final Pattern CONTENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/webp", "webp"),
      Map.entry("image/gif", "gif"), Map.entry("video/mp4", "mp4"), Map.entry("video/webm", "webm"),
      Map.entry("video/quicktime", "mov"), Map.entry("audio/mpeg", "mp3"), Map.entry("audio/wav", "wav"),
      Map.entry("application/json", "json"));

  private MediaIds() {
  }

  /** A new id for an object of this content type. */
  public static String newId(String contentType) {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "." + extension(contentType);
  }

  /** Whether {@code id} has the shape of an id this class makes (so it is safe as a file name or key). */
  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /**
   * The content type lower-cased and without parameters, checked to be a plain {@code type/subtype};
   * throws {@link IllegalArgumentException} for anything else (it is sent back as a header).
   */
  public static String normalizeContentType(String contentType) {
    if (contentType == null) {
      throw new IllegalArgumentException("content type is required");
    }
    int semicolon = contentType.indexOf(';');
    String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    if (!CONTENT_TYPE.matcher(bare).matches()) {
      throw new IllegalArgumentException("not a media type: " + bare);
    }
    return bare;
  }

  static String extension(String contentType) {
    return EXTENSIONS.getOrDefault(contentType, "bin");
  }
}
