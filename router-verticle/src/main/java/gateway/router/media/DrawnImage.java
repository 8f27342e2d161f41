package gateway.router.media;

import io.vertx.core.buffer.Buffer;

/**
 * One image an upstream drew, its bytes in hand (decoded from base64, or downloaded from the upstream's URL) and
 * its media type read from the bytes themselves where they say, so the stored copy is served as what it is.
 */
public record DrawnImage(Buffer bytes, String contentType, String revisedPrompt) {

  /** The type the bytes' magic numbers say (PNG, JPEG, WebP, GIF), else {@code declared} when it is an image type, else PNG. */
  public static String typeOf(Buffer bytes, String declared) {
    if (starts(bytes, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (starts(bytes, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(bytes, 'R', 'I', 'F', 'F') && bytes.length() >= 12 && bytes.getString(8, 12).equals("WEBP")) {
      return "image/webp";
    }
    if (starts(bytes, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (declared != null) {
      String plain = declared.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
      if (plain.matches("image/[a-z0-9.+-]{1,64}")) {
        return plain;
      }
    }
    return "image/png";
  }

  private static boolean starts(Buffer bytes, int... magic) {
    if (bytes.length() < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((bytes.getByte(i) & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
