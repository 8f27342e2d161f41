package gateway.router.inbound.images;

import gateway.common.GatewayError;
import gateway.router.media.MediaInput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code multipart/form-data} body of {@code POST /v1/images/edits} into memory, bounded: its text
 * fields, and its files ({@code image} or {@code image[]}, several allowed, and an optional {@code mask}). The
 * JSON body handler keeps no file parts, so this reads the form in its place; it runs after the key and the body
 * budget were checked. A body that is not a form is a 415; a form larger than {@code maxBytes} a 413.
 */
public final class ImageEditForm {
  private static final String KEY = "gateway.images.form";
  /** At most so many files in one edit (OpenAI takes up to 16 images). */
  static final int MAX_FILES = 17;

  /** What the form held. */
  record Form(JsonObject fields, List<MediaInput> images, MediaInput mask) {
  }

  private final long maxBytes;

  public ImageEditForm(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Reads the form, then passes the request on with it attached ({@link #of}). */
  public void read(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader("content-type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      ctx.fail(GatewayError.UNSUPPORTED_MEDIA_TYPE.exception(
          "An image edit is sent as multipart/form-data with the 'image' file and a 'prompt'."));
      return;
    }
    String declared = request.getHeader("content-length");
    if (declared != null && declared.strip().matches("\\d{1,18}") && Long.parseLong(declared.strip()) > maxBytes) {
      ctx.fail(GatewayError.REQUEST_TOO_LARGE.exception("The form is larger than " + maxBytes + " bytes."));
      return;
    }
    if (request.isEnded()) {
      ctx.fail(GatewayError.INVALID_VALUE.exception("The form is empty: 'image' and 'prompt' are required.", "image"));
      return;
    }
    List<MediaInput> images = new ArrayList<>();
    MediaInput[] mask = new MediaInput[1];
    long[] received = new long[1];
    boolean[] failed = new boolean[1];
    request.setExpectMultipart(true);
    request.handler(chunk -> {
      received[0] += chunk.length();
      if (received[0] > maxBytes && !failed[0]) {
        failed[0] = true;
        ctx.fail(GatewayError.REQUEST_TOO_LARGE.exception("The form is larger than " + maxBytes + " bytes."));
      }
    });
    request.uploadHandler(upload -> {
      Buffer bytes = Buffer.buffer();
      upload.handler(bytes::appendBuffer);
      upload.endHandler(v -> {
        if (failed[0]) {
          return;
        }
        MediaInput file = new MediaInput(upload.filename(), upload.contentType(), bytes);
        if (images.size() + (mask[0] == null ? 0 : 1) >= MAX_FILES) {
          failed[0] = true;
          ctx.fail(GatewayError.INVALID_VALUE.exception("An edit takes at most " + (MAX_FILES - 1) + " images.",
              "image"));
        } else if (upload.name().equals("mask")) {
          mask[0] = file;
        } else if (upload.name().equals("image") || upload.name().equals("image[]")) {
          images.add(file);
        }
      });
    });
    request.exceptionHandler(e -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(GatewayError.INVALID_VALUE.exception("The form could not be read as multipart/form-data.", "image"));
      }
    });
    request.endHandler(v -> {
      if (failed[0]) {
        return;
      }
      JsonObject fields = new JsonObject();
      request.formAttributes().forEach(entry -> fields.put(entry.getKey(), entry.getValue()));
      ctx.put(KEY, new Form(fields, images, mask[0]));
      ctx.next();
    });
    request.resume();
  }

  /** The form {@link #read} attached, or null. */
  static Form of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
