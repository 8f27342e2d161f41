package gateway.common;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A {@link GatewayError} with an optional human detail and the offending request field.
 * Carried through futures inside a process and as a {@link ReplyException} across the bus,
 * whose message reads {@code code[@param]: detail}.
 */
public final class GatewayException extends RuntimeException {
  private static final String SEPARATOR = ": ";
  private static final String PARAM_MARK = "@";

  private final GatewayError error;
  private final String param;

  public GatewayException(GatewayError error, String detail, String param) {
    super(detail == null ? error.defaultMessage : detail, null, false, false);
    this.error = error;
    this.param = param;
  }

  public GatewayError error() {
    return error;
  }

  public String param() {
    return param;
  }

  /** Fails a bus message so that {@link #fromReply} on the other side rebuilds this. */
  public void failMessage(Message<?> message) {
    message.fail(error.status, wire());
  }

  /** The text a bus failure carries ({@code code[@param]: detail}); {@link #of} reads it back from a ReplyException. */
  public String wire() {
    String head = param == null ? error.code : error.code + PARAM_MARK + param;
    return head + SEPARATOR + getMessage();
  }

  /** Fails {@code message} with {@code error}, or with INTERNAL for anything unexpected. */
  public static void fail(Message<?> message, Throwable failure) {
    of(failure).failMessage(message);
  }

  /**
   * Turns any failure into a GatewayException: ours unchanged, a bus reply failure by its
   * machine code, a bus timeout or missing handler as 503, anything else as 500.
   */
  public static GatewayException of(Throwable failure) {
    if (failure instanceof GatewayException ge) {
      return ge;
    }
    if (failure instanceof ReplyException re) {
      return fromReply(re);
    }
    return new GatewayException(GatewayError.INTERNAL, null, null);
  }

  private static GatewayException fromReply(ReplyException re) {
    if (re.failureType() == ReplyFailure.TIMEOUT || re.failureType() == ReplyFailure.NO_HANDLERS) {
      return new GatewayException(GatewayError.SERVICE_UNAVAILABLE, null, null);
    }
    String text = re.getMessage() == null ? "" : re.getMessage();
    int cut = text.indexOf(SEPARATOR);
    String head = cut < 0 ? text : text.substring(0, cut);
    String detail = cut < 0 ? null : text.substring(cut + SEPARATOR.length());
    int mark = head.indexOf(PARAM_MARK);
    String code = mark < 0 ? head : head.substring(0, mark);
    String param = mark < 0 ? null : head.substring(mark + PARAM_MARK.length());
    GatewayError error = GatewayError.byCode(code);
    if (error == null) {
      return new GatewayException(GatewayError.INTERNAL, null, null);
    }
    return new GatewayException(error, detail, param);
  }
}
