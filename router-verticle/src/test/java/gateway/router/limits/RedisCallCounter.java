package gateway.router.limits;

import static gateway.testsupport.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of the real Redis that counts what clients send through it: bytes, and script calls
 * ({@code EVALSHA}/{@code EVAL} command names in the RESP stream). Lets a test see how many round trips the limiter
 * makes without replacing Redis.
 */
final class RedisCallCounter implements AutoCloseable {
  private static final byte[] EVAL = "\r\nEVAL".getBytes(StandardCharsets.US_ASCII);

  private final NetServer server;
  private final AtomicInteger scriptCalls = new AtomicInteger();
  private final AtomicInteger bytes = new AtomicInteger();

  private RedisCallCounter(NetServer server) {
    this.server = server;
  }

  /** Relays 127.0.0.1:<free port> to the Redis at {@code host:port}. */
  static RedisCallCounter start(Vertx vertx, String host, int port) {
    RedisCallCounter[] counter = new RedisCallCounter[1];
    NetServer server = vertx.createNetServer().connectHandler(client -> counter[0].relay(vertx, client, host, port));
    counter[0] = new RedisCallCounter(server);
    result(server.listen(0, "127.0.0.1"));
    return counter[0];
  }

  String url() {
    return "redis://127.0.0.1:" + server.actualPort();
  }

  /** Script calls sent since the last {@link #reset}. */
  int scriptCalls() {
    return scriptCalls.get();
  }

  /** Bytes clients sent since the last {@link #reset}. */
  int bytes() {
    return bytes.get();
  }

  void reset() {
    scriptCalls.set(0);
    bytes.set(0);
  }

  private void relay(Vertx vertx, NetSocket client, String host, int port) {
    client.pause();
    vertx.createNetClient().connect(port, host).onSuccess(redis -> {
      byte[][] tail = {new byte[0]};
      client.handler(chunk -> {
        bytes.addAndGet(chunk.length());
        tail[0] = count(tail[0], chunk);
        redis.write(chunk);
      });
      redis.handler(client::write);
      client.closeHandler(v -> redis.close());
      redis.closeHandler(v -> client.close());
      client.resume();
    }).onFailure(e -> client.close());
  }

  /** Counts command names starting with EVAL in {@code chunk}, minding one split across chunks; returns the new tail. */
  private byte[] count(byte[] tail, Buffer chunk) {
    byte[] data = new byte[tail.length + chunk.length()];
    System.arraycopy(tail, 0, data, 0, tail.length);
    chunk.getBytes(0, chunk.length(), data, tail.length);
    for (int i = 0; i + EVAL.length <= data.length; i++) {
      boolean match = true;
      for (int j = 0; j < EVAL.length && match; j++) {
        match = Character.toUpperCase(data[i + j]) == EVAL[j];
      }
      if (match) {
        scriptCalls.incrementAndGet();
      }
    }
    int keep = Math.min(EVAL.length - 1, data.length);
    byte[] next = new byte[keep];
    System.arraycopy(data, data.length - keep, next, 0, keep);
    return next;
  }

  @Override
  public void close() {
    result(server.close());
  }
}
