package gateway.router.videos;

import gateway.media.storage.MediaStore;
import gateway.media.storage.StoredObject;
import gateway.router.media.MediaCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * Sends the calls the media mappers build. JSON answers are read whole (bounded); a download streams into the
 * {@link MediaStore} as it arrives, never held in memory, and follows redirects (Veo's download answers 302 to the
 * bytes), a few at most, the channel's credentials dropped on a hop to another origin.
 */
final class MediaHttp {
  private static final long MAX_JSON_BYTES = 1024 * 1024;
  private static final long CONNECT_MS = 10_000;
  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** A JSON call's answer: its status and body. */
  record Answer(int status, Buffer body) {
    boolean ok() {
      return status / 100 == 2;
    }
  }

  /** A download that did not succeed: the upstream's status and what it said (status 0: no answer). */
  static final class DownloadFailed extends RuntimeException {
    final int status;
    final Buffer body;

    DownloadFailed(int status, Buffer body, String message) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }

  /** A download that answered 2xx with something that is no MP4 (empty, an HTML page): nothing was delivered. */
  static final class NotAVideo extends RuntimeException {
    NotAVideo(String message) {
      super(message);
    }
  }

  private final HttpClient client;
  private final long idleMs;

  MediaHttp(HttpClient client, long idleMs) {
    this.client = client;
    this.idleMs = idleMs;
  }

  Future<Answer> send(MediaCall call) {
    return client.request(options(call)).compose(request -> {
      Future<HttpClientResponse> sent = call.body() == null ? request.send() : request.send(call.body());
      return sent.compose(response -> readBounded(response).map(body -> new Answer(response.statusCode(), body)));
    });
  }

  /**
   * Streams the file into the store; fails with {@link DownloadFailed} on a non-2xx answer, and with
   * {@link NotAVideo} when the 2xx body is not an MP4 (the stored copy is deleted again).
   */
  Future<StoredObject> download(MediaCall call, MediaStore store) {
    return download(call, store, 0);
  }

  private Future<StoredObject> download(MediaCall call, MediaStore store, int hops) {
    return client.request(options(call)).compose(request -> request.send().compose(response -> {
      String location = response.getHeader("location");
      if (REDIRECTS.contains(response.statusCode()) && location != null && hops < MAX_REDIRECTS) {
        return readBounded(response).compose(ignored -> download(redirected(call, location), store, hops + 1));
      }
      if (response.statusCode() / 100 != 2) {
        return readBounded(response).compose(body -> Future.failedFuture(new DownloadFailed(response.statusCode(),
            body, "the download answered " + response.statusCode())));
      }
      String type = response.getHeader("content-type");
      String contentType = type == null || !type.toLowerCase().startsWith("video/") ? "video/mp4" : type;
      response.pause();
      Mp4Check checked = new Mp4Check(response);
      return store.put(checked, contentType).compose(stored -> {
        String problem = checked.problem();
        if (problem == null) {
          return Future.succeededFuture(stored);
        }
        return store.delete(stored.id()).otherwise(false)
            .compose(deleted -> Future.failedFuture(new NotAVideo(problem)));
      });
    }));
  }

  /** The GET a redirect asks for; on another origin only {@code accept} goes along (no key leaves its host). */
  static MediaCall redirected(MediaCall call, String location) {
    URI from = URI.create(call.url());
    URI to = from.resolve(location.strip());
    boolean sameOrigin = Objects.equals(from.getScheme(), to.getScheme()) && Objects.equals(from.getHost(), to.getHost())
        && from.getPort() == to.getPort();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (sameOrigin) {
      headers.addAll(call.headers());
    } else if (call.headers().get("accept") != null) {
      headers.add("accept", call.headers().get("accept"));
    }
    return MediaCall.get(to.toString(), headers);
  }

  private RequestOptions options(MediaCall call) {
    return new RequestOptions().setMethod(call.method()).setAbsoluteURI(call.url()).setHeaders(call.headers())
        .setConnectTimeout(CONNECT_MS).setIdleTimeout(idleMs);
  }

  private static Future<Buffer> readBounded(HttpClientResponse response) {
    Buffer body = Buffer.buffer();
    io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
    response.handler(chunk -> {
      if (body.length() < MAX_JSON_BYTES) {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(body));
    return done.future();
  }
}
