package gateway.router.media;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/** A file a client uploaded for a media request: an image to edit, a mask, a video's reference frame. */
public record MediaInput(String filename, String contentType, Buffer bytes) {

  public MediaInput {
    Objects.requireNonNull(bytes, "bytes");
    filename = filename == null || filename.isBlank() ? "file" : filename;
    contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
  }
}
