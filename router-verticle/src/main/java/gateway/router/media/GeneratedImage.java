package gateway.router.media;

import io.vertx.core.buffer.Buffer;
import java.util.Base64;

/**
 * One image an upstream returned: either a URL to fetch it from (often short-lived) or its bytes as base64, with
 * its media type when the upstream said or implied it (null: learn it from the download).
 */
public record GeneratedImage(String url, String base64, String mimeType, String revisedPrompt) {

  public GeneratedImage {
    if ((url == null) == (base64 == null)) {
      throw new IllegalArgumentException("an image has either a url or base64 bytes");
    }
  }

  public static GeneratedImage ofUrl(String url, String mimeType, String revisedPrompt) {
    return new GeneratedImage(url, null, mimeType, revisedPrompt);
  }

  public static GeneratedImage ofBase64(String base64, String mimeType, String revisedPrompt) {
    return new GeneratedImage(null, base64, mimeType, revisedPrompt);
  }

  public boolean hasBytes() {
    return base64 != null;
  }

  /** The decoded bytes; throws {@link IllegalArgumentException} for an image that has only a URL or bad base64. */
  public Buffer bytes() {
    if (base64 == null) {
      throw new IllegalArgumentException("this image is a URL; download it");
    }
    return Buffer.buffer(Base64.getMimeDecoder().decode(base64));
  }
}
