package gateway.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HandedOverJsonTest {
  private static final JsonObject BODY = new JsonObject().put("settles", new JsonArray()
      .add(new JsonObject().put("request_id", "r1").put("cost_micros", 900).put("model", "ü \"quoted\""))
      .add(new JsonObject().put("request_id", "r2").putNull("channel")));

  @Test
  @DisplayName("in one process the consumer gets the very object sent, not a copy (Vert.x's own codec copies it)")
  void handedOverLocally() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HandedOverJson.register(vertx.eventBus());
      HandedOverJson.register(vertx.eventBus()); // a second verticle registering is harmless
      AtomicReference<Object> received = new AtomicReference<>();
      vertx.eventBus().<JsonObject>consumer("handed-over-test", message -> {
        received.set(message.body());
        message.reply("ok");
      });
      JsonObject sent = BODY.copy();
      Message<Object> handedOver = vertx.eventBus().request("handed-over-test", sent, HandedOverJson.options(5_000))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(handedOver.body()).isEqualTo("ok");
      assertThat(received.get()).isSameAs(sent);

      vertx.eventBus().request("handed-over-test", sent).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(received.get()).as("the default codec still copies").isNotSameAs(sent).isEqualTo(sent);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("between processes it travels as JSON and reads back equal, also behind other bytes in the buffer")
  void wireRoundTrip() {
    HandedOverJson codec = new HandedOverJson();
    Buffer wire = Buffer.buffer("header");
    codec.encodeToWire(wire, BODY);
    wire.appendString("trailer");
    JsonObject decoded = codec.decodeFromWire("header".length(), wire);
    assertThat(decoded).isEqualTo(BODY).isNotSameAs(BODY);
  }
}
