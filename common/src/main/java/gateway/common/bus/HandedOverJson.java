package gateway.common.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A JSON body handed over to a consumer in the same process instead of copied: Vert.x's own codec copies every
 * {@link JsonObject} it delivers locally, so that sender and receiver never share a mutable object. For a large body
 * made for one message (the settle batch: up to 256 usage reports) the copy showed in profiles. A sender using this
 * codec must not change the body, nor anything in it, after sending; a receiver must only read it. Between
 * processes it travels as JSON, as Vert.x's codec sends it; both sides register it ({@link #register}).
 */
public final class HandedOverJson implements MessageCodec<JsonObject, JsonObject> {
  public static final String NAME = "gateway.json.handed-over";

  /** Registers the codec on {@code bus}, once however many verticles ask. */
  public static void register(EventBus bus) {
    try {
      bus.registerCodec(new HandedOverJson());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this process did it first
    }
  }

  /** Delivery options sending a body handed over, with {@code sendTimeoutMs}. */
  public static DeliveryOptions options(long sendTimeoutMs) {
    return new DeliveryOptions().setCodecName(NAME).setSendTimeout(sendTimeoutMs);
  }

  @Override
  public void encodeToWire(Buffer buffer, JsonObject body) {
    Buffer encoded = body.toBuffer();
    buffer.appendInt(encoded.length());
    buffer.appendBuffer(encoded);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return new JsonObject(buffer.slice(pos + 4, pos + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject body) {
    return body;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
