package gateway.router.inbound.images;

import gateway.common.GatewayError;
import gateway.media.storage.MediaStore;
import gateway.router.exchange.ClientCall;
import gateway.router.exchange.ExchangeHandler;
import gateway.router.fields.ClientBodies;
import gateway.router.media.ImageRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/images/generations} (a JSON body) and {@code POST /v1/images/edits} (a form read by
 * {@link ImageEditForm}), for models of {@code type: text2image}, in OpenAI's shape. The request is read here
 * (a 400 naming the field), fitted to the model's allow-lists and priced by {@link ImageOptions}, and served by
 * the exchange over the model's OpenAI and Gemini channels; the images are stored and answered by
 * {@link ImageAnswers}.
 */
public final class ImagesHandler {
  private final ExchangeHandler exchanges;
  private final MediaStore store;
  private final String publicUrl;

  /** @param publicUrl the gateway's public base URL ({@code GATEWAY_PUBLIC_URL}); null: the request's own origin */
  public ImagesHandler(ExchangeHandler exchanges, MediaStore store, String publicUrl) {
    this.exchanges = exchanges;
    this.store = store;
    this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
  }

  public void generations(RoutingContext ctx) {
    JsonObject body = ClientBodies.jsonObject(ctx.body().buffer());
    String model = ImageFields.model(body);
    serve(ctx, body, model, ImageFields.request(body, false, List.of(), null));
  }

  public void edits(RoutingContext ctx) {
    ImageEditForm.Form form = ImageEditForm.of(ctx);
    if (form == null) {
      throw GatewayError.UNSUPPORTED_MEDIA_TYPE.exception("An image edit is sent as multipart/form-data.");
    }
    String model = ImageFields.model(form.fields());
    if (form.images().isEmpty()) {
      throw GatewayError.MISSING_FIELD.exception("'image' is required: the image file to edit", "image");
    }
    serve(ctx, form.fields(), model, ImageFields.request(form.fields(), true, form.images(), form.mask()));
  }

  private void serve(RoutingContext ctx, JsonObject fields, String model, ImageRequest request) {
    exchanges.serveImages(ctx, ClientCall.images(fields, model, request.prompt()),
        new ImageAnswers(store, origin(ctx), request));
  }

  /** Where the gateway's own media URLs start: the configured public URL, else the origin the client called. */
  private String origin(RoutingContext ctx) {
    if (publicUrl != null) {
      return publicUrl;
    }
    var authority = ctx.request().authority();
    String host = authority == null ? "localhost" : authority.host()
        + (authority.port() > 0 ? ":" + authority.port() : "");
    return ctx.request().scheme() + "://" + host;
  }
}
