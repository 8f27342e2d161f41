package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.bus.Route;
import gateway.common.money.Usage;
import gateway.router.media.DrawnImage;
import gateway.router.media.GeneratedImage;
import gateway.router.media.ImageRequest;
import gateway.router.media.ImageResult;
import gateway.router.media.MediaCall;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.provider.ImageProviders;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.UpstreamRequest;
import gateway.router.upstream.BoundedBody;
import gateway.router.upstream.ChannelTimeouts;
import gateway.router.upstream.UpstreamCall;
import gateway.router.upstream.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One image call to one route, ending in one {@link AttemptOutcome}: the provider's call(s) sent under the channel's
 * timeouts (all at once when its API draws one image per call), each answer read (bounded) and parsed, and every
 * image's bytes brought in hand: decoded from base64, or downloaded from the upstream's URL (bounded in size and
 * time) before anything is answered, since such URLs expire. Some images drawn is {@link AttemptOutcome.Drawn}
 * (those are delivered); none drawn and a call failed is {@link AttemptOutcome.Failed} (another route may serve).
 */
final class ImageAttempt {
  private static final Logger LOG = LoggerFactory.getLogger(ImageAttempt.class);
  /** The most of an image answer or image download read: far above any image, bounded against a hostile upstream. */
  static final long MAX_IMAGE_BYTES = 64L * 1024 * 1024;
  private static final long DOWNLOAD_CONNECT_MS = 10_000;
  private static final long DOWNLOAD_IDLE_MS = 30_000;
  private static final long DOWNLOAD_TOTAL_MS = 120_000;

  private final ExchangeServices services;
  private final Route route;
  private final ImageRequest request;
  private final List<UpstreamCall> calls = new ArrayList<>();
  private long deadlineNanos;

  ImageAttempt(ExchangeServices services, Route route, ImageRequest request) {
    this.services = services;
    this.route = route;
    this.request = request;
  }

  Future<AttemptOutcome> run(long remainingMs) {
    deadlineNanos = System.nanoTime() + remainingMs * 1_000_000;
    if (request.mask() != null && !ImageProviders.takesMask(route.channel())) {
      return Future.succeededFuture(new AttemptOutcome.Refused(GatewayError.INVALID_VALUE.exception("channel '"
          + route.channel().name() + "' (type " + route.channel().type() + ") cannot take a 'mask'", "mask")));
    }
    List<MediaCall> built;
    try {
      built = ImageProviders.calls(request, route);
    } catch (RuntimeException e) {
      LOG.error("building the image call to channel '{}' failed", route.channel().name(), e);
      return Future.succeededFuture(new AttemptOutcome.Refused(GatewayError.INTERNAL.exception(
          "The gateway could not build the call to channel '" + route.channel().name() + "'.")));
    }
    ChannelTimeouts timeouts = ChannelTimeouts.of(route.channel(), services.config()).forAttempt(false, remainingMs);
    List<Future<Batch>> results = new ArrayList<>();
    for (MediaCall call : built) {
      results.add(send(call, timeouts));
    }
    return Future.join(results).transform(all -> collect(results));
  }

  /** Stops every call still running: the request ended otherwise. */
  void abandon() {
    calls.forEach(UpstreamCall::cancel);
  }

  private Future<Batch> send(MediaCall call, ChannelTimeouts timeouts) {
    UpstreamCall upstream = UpstreamCall.start(services.deadlines(), services.http(), route.channel().name(),
        new UpstreamRequest(call.url(), call.headers(), call.body()), timeouts);
    calls.add(upstream);
    return upstream.response().compose(response -> read(upstream, response))
        .compose(this::withBytes);
  }

  private Future<ImageResult> read(UpstreamCall upstream, HttpClientResponse response) {
    int status = response.statusCode();
    if (status >= 300) {
      return BoundedBody.read(response, BoundedBody.MAX_ERROR_BYTES, true).transform(body -> {
        upstream.done();
        UpstreamError error = ImageProviders.error(route.channel(), status,
            body.succeeded() ? body.result() : Buffer.buffer());
        return Future.failedFuture(new UpstreamFailure(error));
      });
    }
    return BoundedBody.read(response, MAX_IMAGE_BYTES, false).transform(read -> {
      upstream.done();
      if (read.failed()) {
        String why = read.cause() instanceof BoundedBody.TooLarge ? "answered more than " + MAX_IMAGE_BYTES + " bytes"
            : "broke off its answer: " + read.cause().getMessage();
        return Future.failedFuture(upstream.failure("channel '" + route.channel().name() + "' " + why));
      }
      try {
        return Future.succeededFuture(ImageProviders.parse(route.channel(), read.result()));
      } catch (UnreadableAnswerException e) {
        return Future.failedFuture(new UpstreamFailure(e.error()));
      }
    });
  }

  /** The result with every image's bytes in hand; a download that fails fails the call (nothing was delivered). */
  private Future<Batch> withBytes(ImageResult result) {
    List<Future<DrawnImage>> images = new ArrayList<>();
    for (GeneratedImage image : result.images()) {
      images.add(bytesOf(image));
    }
    return Future.all(images).map(all -> new Batch(all.list(), result.usage(), result.refusal()));
  }

  private Future<DrawnImage> bytesOf(GeneratedImage image) {
    if (image.hasBytes()) {
      try {
        Buffer bytes = image.bytes();
        return Future.succeededFuture(new DrawnImage(bytes, DrawnImage.typeOf(bytes, image.mimeType()),
            image.revisedPrompt()));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new UpstreamFailure(UpstreamError.transport("channel '" + route.channel().name()
            + "' answered an image that is not valid base64")));
      }
    }
    return download(image.url()).map(downloaded -> new DrawnImage(downloaded.bytes(),
        DrawnImage.typeOf(downloaded.bytes(), downloaded.contentType() != null ? downloaded.contentType()
            : image.mimeType()), image.revisedPrompt()));
  }

  private record Downloaded(Buffer bytes, String contentType) {
  }

  /** GET of the upstream's image URL, bounded in bytes and time; any failure is the channel's. */
  private Future<Downloaded> download(String url) {
    String channel = route.channel().name();
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      return Future.failedFuture(new UpstreamFailure(UpstreamError.transport("channel '" + channel
          + "' answered an image URL that is not http(s)")));
    }
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
          .setConnectTimeout(DOWNLOAD_CONNECT_MS).setIdleTimeout(DOWNLOAD_IDLE_MS);
    } catch (RuntimeException e) {
      return Future.failedFuture(new UpstreamFailure(UpstreamError.transport("channel '" + channel
          + "' answered an unreadable image URL")));
    }
    Promise<Downloaded> done = Promise.promise();
    services.http().request(options)
        .compose(req -> req.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            response.request().reset();
            return Future.failedFuture("its image URL answered " + response.statusCode());
          }
          String type = response.getHeader("content-type");
          return BoundedBody.read(response, MAX_IMAGE_BYTES, false).map(bytes -> new Downloaded(bytes, type));
        })
        // within the request's life too, so its settle lands while its hold still exists
        .timeout(Math.max(1, Math.min(DOWNLOAD_TOTAL_MS, (deadlineNanos - System.nanoTime()) / 1_000_000)),
            TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.succeeded()) {
            done.complete(ar.result());
          } else {
            // the URL is the upstream's and may be signed: it stays in the log, never in the client's answer
            LOG.warn("downloading an image of channel '{}' failed: {}", channel, ar.cause().getMessage());
            done.fail(new UpstreamFailure(UpstreamError.transport("channel '" + channel
                + "' answered an image the gateway could not download")));
          }
        });
    return done.future();
  }

  /** The outcome of all the calls: the images drawn by those that succeeded, else the first call's failure. */
  private Future<AttemptOutcome> collect(List<Future<Batch>> results) {
    List<DrawnImage> images = new ArrayList<>();
    Usage usage = null;
    String refusal = null;
    UpstreamError failure = null;
    for (Future<Batch> result : results) {
      if (result.failed()) {
        if (failure == null) {
          failure = result.cause() instanceof UpstreamFailure f ? f.error()
              : UpstreamError.transport(String.valueOf(result.cause()));
        }
        continue;
      }
      Batch drawn = result.result();
      images.addAll(drawn.drawn);
      usage = plus(usage, drawn.usage());
      refusal = refusal != null ? refusal : drawn.refusal();
    }
    if (images.isEmpty() && failure != null) {
      return Future.succeededFuture(new AttemptOutcome.Failed(failure));
    }
    if (images.isEmpty() && refusal == null) {
      return Future.succeededFuture(new AttemptOutcome.Failed(UpstreamError.transport("channel '"
          + route.channel().name() + "' answered no image")));
    }
    return Future.succeededFuture(new AttemptOutcome.Drawn(images, usage, images.isEmpty() ? refusal : null));
  }

  private static Usage plus(Usage a, Usage b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return new Usage(a.inputTokens() + b.inputTokens(), a.cacheReadTokens() + b.cacheReadTokens(),
        a.cacheWriteTokens() + b.cacheWriteTokens(), a.outputTokens() + b.outputTokens(),
        a.reasoningTokens() + b.reasoningTokens());
  }

  /** One call's images in hand (the parsed result's URLs downloaded), its usage and refusal. */
  private record Batch(List<DrawnImage> drawn, Usage usage, String refusal) {
  }
}
