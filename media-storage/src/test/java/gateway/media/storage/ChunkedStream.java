package gateway.media.storage;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A test source: a buffer emitted in chunks, one per event-loop task, honouring pause and fetch. */
final class ChunkedStream implements ReadStream<Buffer> {

  private final Context context;
  private final Buffer bytes;
  private final int chunk;
  private int position;
  private long demand;
  private boolean scheduled;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;

  ChunkedStream(Vertx vertx, Buffer bytes, int chunk) {
    this.context = vertx.getOrCreateContext();
    this.bytes = bytes;
    this.chunk = chunk;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public synchronized ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public synchronized ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public synchronized ReadStream<Buffer> fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  @Override
  public synchronized ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private synchronized void schedule() {
    if (!scheduled && !ended && demand > 0) {
      scheduled = true;
      context.runOnContext(v -> emit());
    }
  }

  private void emit() {
    Handler<Buffer> h;
    Handler<Void> end = null;
    Buffer next = null;
    synchronized (this) {
      scheduled = false;
      if (ended || demand == 0 || handler == null) {
        return;
      }
      h = handler;
      if (position >= bytes.length()) {
        ended = true;
        end = endHandler;
      } else {
        int to = Math.min(bytes.length(), position + chunk);
        next = bytes.getBuffer(position, to);
        position = to;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
      }
    }
    if (end != null) {
      end.handle(null);
      return;
    }
    h.handle(next);
    schedule();
  }
}
