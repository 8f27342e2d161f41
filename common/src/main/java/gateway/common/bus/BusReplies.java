package gateway.common.bus;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers request/reply consumers whose handler returns a future: success becomes the
 * reply, a {@link GatewayException} becomes its failure code, a database that cannot be reached
 * ({@link Unreachable}) becomes {@code service_unavailable} (503), anything else is logged and
 * replied as {@code internal_error}. A handler that throws is treated like one that failed.
 */
public final class BusReplies {
  private static final Logger LOG = LoggerFactory.getLogger(BusReplies.class);

  private BusReplies() {
  }

  /** Completes once the consumer is registered (cluster-wide when clustered). */
  public static Future<Void> serve(EventBus bus, String address, Function<JsonObject, Future<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = bus.consumer(address, message -> answer(message, handler));
    return consumer.completion();
  }

  /** Like {@link #serve} for addresses only this process may call (health checks). */
  public static Future<Void> serveLocal(EventBus bus, String address,
                                        Function<JsonObject, Future<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = bus.localConsumer(address, message -> answer(message, handler));
    return consumer.completion();
  }

  private static void answer(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      JsonObject body = message.body() == null ? new JsonObject() : message.body();
      result = handler.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
        return;
      }
      failure(message.address(), done.cause()).failMessage(message);
    });
  }

  /**
   * What a failed handler answers: a {@link GatewayException} as it is, a database that cannot be reached as 503
   * (the client may retry), anything else logged and answered as 500.
   */
  public static GatewayException failure(String address, Throwable failure) {
    if (!(failure instanceof GatewayException) && Unreachable.isUnreachable(failure)) {
      // The service's own dependency (its database) is down: a 503 the client may retry, not a 500.
      LOG.warn("{} failed, its database is unreachable: {}", address, failure.toString());
      return GatewayError.SERVICE_UNAVAILABLE.exception();
    }
    if (!(failure instanceof GatewayException)) {
      LOG.error("{} failed", address, failure);
    }
    return GatewayException.of(failure);
  }
}
