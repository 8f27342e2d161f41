package gateway.router.e2e;

import gateway.router.e2e.HostileForms.Part;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The valid bodies the media fuzzing starts from: each media endpoint's JSON body or form, served as it is. */
final class MediaBodies {
  static final String SORA = "sora";
  static final String WAN = "wan";

  private MediaBodies() {
  }

  /** A JSON endpoint and its valid body. */
  enum JsonEndpoint {
    VIDEOS("/v1/videos", new JsonObject().put("model", SORA).put("prompt", "a lighthouse").put("seconds", "8")
        .put("size", "1280x720")),
    VIDEO_GENERATIONS("/v1/videos/generations", new JsonObject().put("model", WAN).put("prompt", "a cat surfing")
        .put("resolution", "720P").put("duration", 5).put("ratio", "16:9"));

    final String path;
    final JsonObject base;

    JsonEndpoint(String path, JsonObject base) {
      this.path = path;
      this.base = base;
    }
  }

  /** A multipart endpoint and its valid form. */
  enum FormEndpoint {
    VIDEOS("/v1/videos", List.of(Part.field("model", SORA), Part.field("prompt", "a paper boat"),
        Part.field("seconds", "4"), Part.field("size", "720x1280"))),
    IMAGE_EDITS("/v1/images/edits", List.of(Part.field("model", ImagesTest.PAINTER),
        Part.field("prompt", "add a hat"),
        Part.field("n", "1"), Part.field("size", "1024x1024"), Part.field("response_format", "b64_json"),
        Part.file("image", "cat.png", "image/png", ImagesTest.fetchablePng()),
        Part.file("mask", "mask.png", "image/png", ImagesTest.fetchablePng())));

    final String path;
    final List<Part> base;

    FormEndpoint(String path, List<Part> base) {
      this.path = path;
      this.base = base;
    }
  }
}
