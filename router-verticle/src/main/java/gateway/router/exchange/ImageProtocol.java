package gateway.router.exchange;

import gateway.common.bus.ResolvedModel;
import gateway.router.media.DrawnImage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What an image endpoint brings to its exchange: how its request fits a model, and how its answer is made. */
public interface ImageProtocol {

  /** The request fitted to the model's allow-lists and priced; throws a 400 naming the field when it does not fit. */
  ImageOrder order(ResolvedModel model);

  /**
   * The client's answer for the images drawn: each stored first (a failure fails the future, and the call is free),
   * then written in the client's format with the cost.
   */
  Future<JsonObject> answer(ImageOrder order, List<DrawnImage> images, Priced priced);
}
