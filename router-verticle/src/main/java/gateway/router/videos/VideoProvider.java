package gateway.router.videos;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Route;
import gateway.router.media.MediaCall;
import gateway.router.media.VideoJobRequest;
import gateway.router.media.VideoJobState;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.dashscope.DashScopeVideoRequest;
import gateway.router.provider.dashscope.DashScopeVideoResponse;
import gateway.router.provider.gemini.videos.GeminiVideoRequest;
import gateway.router.provider.gemini.videos.GeminiVideoResponse;
import gateway.router.provider.openai.videos.OpenAiVideosRequest;
import gateway.router.provider.openai.videos.OpenAiVideosResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The asynchronous video API of a channel's type: how a job is created, polled and its file fetched. A
 * {@code dashscope} channel speaks DashScope's task API, a {@code gemini} channel Veo's long-running operations
 * (Gemini API); every other channel type OpenAI's Videos API (OpenAI and the resellers that copy it).
 */
interface VideoProvider {

  MediaCall create(VideoJobRequest request, Route route);

  MediaCall poll(Route route, String upstreamJobId);

  /** The state in a 2xx answer to create or poll; {@link gateway.router.media.UnreadableAnswerException} otherwise. */
  VideoJobState read(Buffer body, Route route);

  /** The state in a 2xx answer to create, where an API tells "just created" from "running" only by the call. */
  default VideoJobState readCreated(Buffer body, Route route) {
    return read(body, route);
  }

  /** Why this API cannot take the request at all (a 400 naming the field, before anything is sent), or null. */
  default GatewayException refusal(VideoJobRequest request, Route route) {
    return null;
  }

  /** The download of a finished job's file. */
  MediaCall download(Route route, VideoJobState finished);

  UpstreamError error(int status, Buffer body);

  static VideoProvider forRoute(Route route) {
    return switch (route.channel().type()) {
      case "dashscope" -> DASHSCOPE;
      case "gemini" -> GEMINI;
      default -> OPENAI;
    };
  }

  VideoProvider OPENAI = new VideoProvider() {
    @Override
    public MediaCall create(VideoJobRequest request, Route route) {
      return OpenAiVideosRequest.create(request, route);
    }

    @Override
    public MediaCall poll(Route route, String upstreamJobId) {
      return OpenAiVideosRequest.retrieve(route, upstreamJobId);
    }

    @Override
    public VideoJobState read(Buffer body, Route route) {
      return OpenAiVideosResponse.parse(body, route);
    }

    @Override
    public MediaCall download(Route route, VideoJobState finished) {
      return OpenAiVideosRequest.content(route, finished.upstreamJobId());
    }

    @Override
    public UpstreamError error(int status, Buffer body) {
      return OpenAiVideosResponse.error(status, body);
    }
  };

  VideoProvider DASHSCOPE = new VideoProvider() {
    @Override
    public MediaCall create(VideoJobRequest request, Route route) {
      return DashScopeVideoRequest.create(request, route);
    }

    @Override
    public MediaCall poll(Route route, String upstreamJobId) {
      return DashScopeVideoRequest.poll(route, upstreamJobId);
    }

    @Override
    public VideoJobState read(Buffer body, Route route) {
      return DashScopeVideoResponse.parse(body);
    }

    @Override
    public MediaCall download(Route route, VideoJobState finished) {
      // A signed object-store link: it carries its own authorization, and must not get the channel's key.
      return MediaCall.get(finished.videoUrl(), MultiMap.caseInsensitiveMultiMap().add("accept", "video/mp4"));
    }

    @Override
    public UpstreamError error(int status, Buffer body) {
      return DashScopeVideoResponse.error(status, body);
    }
  };

  VideoProvider GEMINI = new VideoProvider() {
    @Override
    public MediaCall create(VideoJobRequest request, Route route) {
      return GeminiVideoRequest.create(request, route);
    }

    @Override
    public MediaCall poll(Route route, String upstreamJobId) {
      return GeminiVideoRequest.poll(route, upstreamJobId);
    }

    @Override
    public VideoJobState read(Buffer body, Route route) {
      return GeminiVideoResponse.parse(body);
    }

    @Override
    public VideoJobState readCreated(Buffer body, Route route) {
      return GeminiVideoResponse.created(body);
    }

    @Override
    public GatewayException refusal(VideoJobRequest request, Route route) {
      // Veo takes a first frame's bytes, not a link; fetching a client's URL ourselves would let it aim us anywhere
      return request.imageUrl() == null ? null : GatewayError.INVALID_VALUE.exception("channel '"
          + route.channel().name() + "' (Gemini Veo) cannot take an 'image_url': Veo takes a first frame as"
          + " image bytes, not a link", "image_url");
    }

    @Override
    public MediaCall download(Route route, VideoJobState finished) {
      return GeminiVideoRequest.download(route, finished.videoUrl());
    }

    @Override
    public UpstreamError error(int status, Buffer body) {
      return GeminiVideoResponse.error(status, body);
    }
  };
}
