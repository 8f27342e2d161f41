package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.function.Supplier;

/**
 * The bytes of one object being read: the object, the range being read (null for an empty object) and the
 * bytes as a stream, paused until the reader sets its handler or pipes it. The reader calls {@link #close()}
 * once done, whether it read to the end or not.
 */
public final class MediaContent {

  private final StoredObject object;
  private final ByteRange range;
  private final ReadStream<Buffer> body;
  private final Supplier<Future<Void>> closer;

  MediaContent(StoredObject object, ByteRange range, ReadStream<Buffer> body, Supplier<Future<Void>> closer) {
    this.object = object;
    this.range = range;
    this.body = body;
    this.closer = closer;
  }

  public StoredObject object() {
    return object;
  }

  /** The bytes being read; null when the object is empty. */
  public ByteRange range() {
    return range;
  }

  public ReadStream<Buffer> body() {
    return body;
  }

  /** Releases the file or connection behind the stream; safe to call more than once. */
  public Future<Void> close() {
    return closer.get();
  }

  /** Reads the whole stream into one buffer and closes it: for small objects and tests. */
  public Future<Buffer> readAll() {
    Promise<Buffer> done = Promise.promise();
    Buffer all = Buffer.buffer();
    body.exceptionHandler(done::tryFail);
    body.endHandler(v -> done.tryComplete(all));
    body.handler(all::appendBuffer);
    body.resume();
    return done.future().eventually(this::close);
  }
}
