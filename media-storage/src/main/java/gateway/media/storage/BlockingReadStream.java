package gateway.media.storage;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blocking {@link InputStream} (an S3 object's body) as a Vert.x {@link ReadStream}: each chunk is read on a
 * worker and handed over on the caller's context, one read at a time and only while there is demand. Starts
 * paused; ends after {@code length} bytes or at the stream's end.
 */
final class BlockingReadStream implements ReadStream<Buffer> {

  private static final int CHUNK = 64 * 1024;

  private final Context context;
  private final WorkerExecutor worker;
  private final InputStream in;
  private long remaining;
  private long demand;
  private boolean reading;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  BlockingReadStream(Context context, WorkerExecutor worker, InputStream in, long length) {
    this.context = context;
    this.worker = worker;
    this.in = in;
    this.remaining = length;
  }

  @Override
  public synchronized BlockingReadStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public BlockingReadStream handler(Handler<Buffer> handler) {
    synchronized (this) {
      this.handler = handler;
    }
    if (handler != null) {
      resume();
    }
    return this;
  }

  @Override
  public BlockingReadStream pause() {
    synchronized (this) {
      demand = 0;
    }
    return this;
  }

  @Override
  public BlockingReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BlockingReadStream fetch(long amount) {
    synchronized (this) {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    }
    context.runOnContext(v -> readNext());
    return this;
  }

  @Override
  public synchronized BlockingReadStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void readNext() {
    synchronized (this) {
      if (reading || ended || demand == 0 || handler == null) {
        return;
      }
      reading = true;
    }
    if (remaining == 0) {
      finish();
      return;
    }
    int want = (int) Math.min(CHUNK, remaining);
    worker.<byte[]>executeBlocking(() -> in.readNBytes(want), true).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      byte[] bytes = ar.result();
      if (bytes.length == 0) {
        finish();
        return;
      }
      Handler<Buffer> h;
      synchronized (this) {
        remaining -= bytes.length;
        reading = false;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        h = handler;
      }
      if (h != null) {
        h.handle(Buffer.buffer(bytes));
      }
      readNext();
    });
  }

  private void finish() {
    Handler<Void> h;
    synchronized (this) {
      ended = true;
      reading = false;
      h = endHandler;
    }
    if (h != null) {
      h.handle(null);
    }
  }

  private void fail(Throwable e) {
    Handler<Throwable> h;
    synchronized (this) {
      ended = true;
      reading = false;
      h = exceptionHandler;
    }
    if (h != null) {
      h.handle(e instanceof IOException ? e : new IOException(e));
    }
  }
}
