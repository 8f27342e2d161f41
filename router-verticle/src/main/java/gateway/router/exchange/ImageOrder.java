package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.router.media.ImageRequest;

/**
 * An image call fitted to its model: the request as it goes upstream (size and quality filled in where the model
 * prices them, so what is held and charged is what was asked) and the price of one such image.
 *
 * @param unitMicros micro-credits per image returned
 */
public record ImageOrder(ImageRequest request, long unitMicros) {

  /** The hold: every image asked for at the unit price; a 400 on {@code n} when that overflows. */
  HoldEstimator.Bound bound() {
    long max;
    try {
      max = Math.multiplyExact(unitMicros, (long) request.count());
    } catch (ArithmeticException e) {
      throw GatewayError.INVALID_VALUE.exception("The most this request could cost is beyond any balance; lower 'n'.",
          "n");
    }
    return new HoldEstimator.Bound(0, 0, 0, max);
  }

  /** What {@code images} images cost. */
  long costMicros(int images) {
    return unitMicros * images;
  }
}
