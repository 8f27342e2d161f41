package gateway.router.provider;

import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.media.ImageRequest;
import gateway.router.media.ImageResult;
import gateway.router.media.MediaCall;
import gateway.router.provider.gemini.images.GeminiImageRequest;
import gateway.router.provider.gemini.images.GeminiImageResponse;
import gateway.router.provider.openai.images.OpenAiImagesRequest;
import gateway.router.provider.openai.images.OpenAiImagesResponse;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Channel {@code type} → the image API it speaks: OpenAI's Images API ({@code openai}, one call for {@code n}
 * images) and Gemini's image output ({@code gemini}, one {@code generateContent} call per image). Adding an image
 * provider adds a case here.
 */
public final class ImageProviders {

  private ImageProviders() {
  }

  /** Whether a channel of this type can draw images. */
  public static boolean speaks(Channel channel) {
    return "openai".equals(channel.type()) || "gemini".equals(channel.type());
  }

  /** Whether the channel's image API can take an edit's mask. */
  public static boolean takesMask(Channel channel) {
    return "openai".equals(channel.type());
  }

  /** The calls that draw the request's images on this route (several when the API draws one per call). */
  public static List<MediaCall> calls(ImageRequest request, Route route) {
    if ("gemini".equals(route.channel().type())) {
      // one image per call: each call asks for one, whatever n the client gave
      ImageRequest one = new ImageRequest(request.model(), request.prompt(), null, request.size(), request.quality(),
          request.responseFormat(), request.outputFormat(), request.extra(), request.images(), request.mask());
      List<MediaCall> calls = new ArrayList<>();
      for (int i = 0; i < GeminiImageRequest.callsFor(request); i++) {
        calls.add(GeminiImageRequest.generateContent(one, route));
      }
      return calls;
    }
    return List.of(request.isEdit() ? OpenAiImagesRequest.edit(request, route)
        : OpenAiImagesRequest.generation(request, route));
  }

  /** The images of a 2xx answer; {@link gateway.router.media.UnreadableAnswerException} when it is none. */
  public static ImageResult parse(Channel channel, Buffer body) {
    return "gemini".equals(channel.type()) ? GeminiImageResponse.parse(body) : OpenAiImagesResponse.parse(body);
  }

  /** A non-2xx answer in the provider's error shape. */
  public static UpstreamError error(Channel channel, int status, Buffer body) {
    return "gemini".equals(channel.type()) ? GeminiImageResponse.error(status, body)
        : OpenAiImagesResponse.error(status, body);
  }
}
