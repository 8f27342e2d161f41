package gateway.router.provider.openai.videos;

import gateway.common.bus.Route;
import gateway.router.media.MediaCall;
import gateway.router.media.MultipartBody;
import gateway.router.media.VideoJobRequest;
import gateway.router.provider.ChannelHeaders;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds OpenAI Videos calls: create ({@code POST {base_url}/videos}: JSON, or {@code multipart/form-data} when a
 * reference image is uploaded, as {@code input_reference}), retrieve ({@code GET /videos/{id}}) and download
 * ({@code GET /videos/{id}/content}). {@code seconds} is sent as the string OpenAI's schema names
 * ({@code "8"}), always: the duration held is the one asked, never an upstream default. A DashScope-style
 * {@code resolution}/{@code ratio} has no OpenAI field; the endpoint turns them into a {@code size} first.
 */
public final class OpenAiVideosRequest {

  private OpenAiVideosRequest() {
  }

  public static MediaCall create(VideoJobRequest request, Route route) {
    JsonObject fields = request.extra().copy();
    fields.put("model", route.upstreamModel() != null ? route.upstreamModel() : request.model());
    if (request.prompt() != null) {
      fields.put("prompt", request.prompt());
    }
    fields.put("seconds", Integer.toString(request.seconds()));
    if (request.size() != null) {
      fields.put("size", request.size());
    }
    MultiMap headers = ChannelHeaders.of(route.channel(), false);
    if (request.inputReference() == null) {
      return MediaCall.post(base(route) + "/videos", headers, fields.toBuffer());
    }
    MultipartBody form = new MultipartBody();
    fields.forEach(field -> form.field(field.getKey(), field.getValue() instanceof JsonObject
        || field.getValue() instanceof JsonArray ? field.getValue().toString() : String.valueOf(field.getValue())));
    form.file("input_reference", request.inputReference());
    headers.set("content-type", form.contentType());
    return MediaCall.post(base(route) + "/videos", headers, form.build());
  }

  public static MediaCall retrieve(Route route, String videoId) {
    return MediaCall.get(base(route) + "/videos/" + encode(videoId), ChannelHeaders.of(route.channel(), false));
  }

  /** The finished MP4; needs the channel's key, unlike DashScope's signed links. */
  public static MediaCall content(Route route, String videoId) {
    MultiMap headers = ChannelHeaders.of(route.channel(), false).set("accept", "video/mp4, application/octet-stream");
    return MediaCall.get(contentUrl(route, videoId), headers);
  }

  static String contentUrl(Route route, String videoId) {
    return base(route) + "/videos/" + encode(videoId) + "/content";
  }

  private static String encode(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static String base(Route route) {
    String base = route.channel().baseUrl();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
