package gateway.router.media;

import gateway.common.money.Usage;
import java.util.List;

/**
 * What an image call produced: the images (possibly none), the token usage when the upstream reported one (null
 * otherwise: per-image prices need none), and why no image came when the upstream said (e.g. Gemini's
 * {@code SAFETY} or {@code IMAGE_SAFETY}; null otherwise).
 */
public record ImageResult(List<GeneratedImage> images, Usage usage, String refusal) {

  public ImageResult {
    images = List.copyOf(images);
  }

  public boolean isEmpty() {
    return images.isEmpty();
  }
}
