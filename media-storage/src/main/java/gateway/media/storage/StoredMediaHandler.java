package gateway.media.storage;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Serves {@code GET} and {@code HEAD <prefix>/{id}} from a {@link MediaStore}: the stored {@code Content-Type},
 * {@code Cache-Control: public, max-age=31536000, immutable} (an id's bytes never change), a strong
 * {@code ETag} (304 for a matching {@code If-None-Match}), {@code Accept-Ranges: bytes} and one {@code Range}
 * per request (206 with {@code Content-Range}; 416 with {@code Content-Range: bytes *}/size when it starts past
 * the end). An unknown or malformed id is a 404 in the OpenAI error shape. No key is asked: the id is the
 * secret, so URLs can be hot-linked. Bodies are streamed with back-pressure, never held whole in memory.
 */
public final class StoredMediaHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(StoredMediaHandler.class);
  static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

  private final MediaStore store;

  public StoredMediaHandler(MediaStore store) {
    this.store = store;
  }

  /** Mounts the handler for {@code GET} and {@code HEAD <prefix>/:id} on {@code router}. */
  public static void mount(Router router, String prefix, MediaStore store) {
    StoredMediaHandler handler = new StoredMediaHandler(store);
    router.route(HttpMethod.GET, prefix + "/:id").handler(handler);
    router.route(HttpMethod.HEAD, prefix + "/:id").handler(handler);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!MediaIds.isValid(id)) {
      notFound(ctx.response());
      return;
    }
    store.stat(id).onComplete(ar -> {
      if (ar.failed()) {
        unavailable(ctx.response(), id, ar.cause());
      } else if (ar.result().isEmpty()) {
        notFound(ctx.response());
      } else {
        serve(ctx.request(), ctx.response(), ar.result().get());
      }
    });
  }

  private void serve(HttpServerRequest request, HttpServerResponse response, StoredObject object) {
    String etag = "\"" + object.id() + "\"";
    response.putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
        .putHeader(HttpHeaders.ETAG, etag)
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
        .putHeader(HttpHeaders.LAST_MODIFIED,
            DateTimeFormatter.RFC_1123_DATE_TIME.format(object.created().atOffset(ZoneOffset.UTC)))
        .putHeader("X-Content-Type-Options", "nosniff");
    if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      response.setStatusCode(304).end();
      return;
    }
    String ifRange = request.getHeader("If-Range");
    String rangeHeader = ifRange == null || ifRange.strip().equals(etag) ? request.getHeader("Range") : null;
    RangeHeader range = RangeHeader.parse(rangeHeader, object.size());
    if (range.kind() == RangeHeader.Kind.UNSATISFIABLE) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + object.size());
      sendError(response, 416, "the requested range is outside the " + object.size() + " bytes of this media",
          "invalid_request_error", "range_not_satisfiable", "Range");
      return;
    }
    ByteRange bytes = range.kind() == RangeHeader.Kind.PARTIAL ? range.range() : null;
    long length = bytes != null ? bytes.length() : object.size();
    response.putHeader(HttpHeaders.CONTENT_TYPE, object.contentType())
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    if (bytes != null) {
      response.setStatusCode(206)
          .putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + bytes.first() + "-" + bytes.last() + "/" + object.size());
    }
    if (request.method() == HttpMethod.HEAD || length == 0) {
      response.end();
      return;
    }
    store.get(object.id(), bytes).onComplete(ar -> {
      if (ar.failed() || ar.result().isEmpty()) {
        // the store failed or the object went between stat and get; nothing was sent yet
        response.headers().remove(HttpHeaders.CONTENT_RANGE).remove(HttpHeaders.CONTENT_LENGTH);
        if (ar.failed()) {
          unavailable(response, object.id(), ar.cause());
        } else {
          notFound(response);
        }
        return;
      }
      MediaContent content = ar.result().get();
      response.closeHandler(v -> content.close());
      content.body().pipeTo(response).onComplete(piped -> {
        content.close();
        if (piped.failed()) {
          log.debug("media {}: response ended early", object.id(), piped.cause());
        }
      });
    });
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.strip();
      if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  private static void notFound(HttpServerResponse response) {
    sendError(response, 404, "No media with this id exists (it may have expired).", "invalid_request_error",
        "not_found", "id");
  }

  private static void unavailable(HttpServerResponse response, String id, Throwable cause) {
    log.warn("media {}: the store failed", id, cause);
    sendError(response, 503, "Media storage is unavailable; try again.", "service_unavailable",
        "media_unavailable", null);
  }

  private static void sendError(HttpServerResponse response, int status, String message, String type, String code,
                                String param) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    JsonObject error = new JsonObject().put("message", message).put("type", type).put("code", code)
        .put("param", param);
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .headers().remove(HttpHeaders.CACHE_CONTROL).remove(HttpHeaders.ETAG).remove(HttpHeaders.LAST_MODIFIED);
    response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(new JsonObject().put("error", error).toBuffer());
  }
}
