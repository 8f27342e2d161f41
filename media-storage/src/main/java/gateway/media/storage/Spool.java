package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;

/** Copies a stream into a file with back-pressure and a size limit. */
final class Spool {

  private Spool() {
  }

  /**
   * Writes everything {@code source} emits to {@code file} and closes the file; completes with the number of
   * bytes. Past {@code maxBytes} the source is paused (the caller should drop its connection) and the copy
   * fails with {@link MediaTooLargeException}.
   */
  static Future<Long> copy(ReadStream<Buffer> source, AsyncFile file, long maxBytes) {
    Promise<Long> done = Promise.promise();
    long[] size = {0};
    file.exceptionHandler(e -> {
      source.pause();
      done.tryFail(e);
    });
    source.exceptionHandler(done::tryFail);
    source.endHandler(v -> file.flush().compose(f -> file.close())
        .onSuccess(c -> done.tryComplete(size[0]))
        .onFailure(done::tryFail));
    source.handler(buffer -> {
      if (done.future().isComplete()) {
        return;
      }
      size[0] += buffer.length();
      if (size[0] > maxBytes) {
        source.pause();
        done.tryFail(new MediaTooLargeException(maxBytes));
        return;
      }
      file.write(buffer);
      if (file.writeQueueFull()) {
        source.pause();
        file.drainHandler(d -> source.resume());
      }
    });
    source.resume();
    return done.future().recover(e -> file.close().otherwiseEmpty().compose(v -> Future.failedFuture(e)));
  }
}
