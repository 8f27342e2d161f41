package gateway.router.videos;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;

/**
 * A download passed through unchanged while its first bytes are kept, to tell afterwards whether it was an MP4 at
 * all: an ISO BMFF file opens with its {@code ftyp} box, so bytes 4..7 are {@code ftyp}. An upstream that answers
 * 200 with an empty body or an HTML error page delivered no video, and such a job must not be charged.
 */
final class Mp4Check implements ReadStream<Buffer> {
  private static final int HEAD = 8;

  private final ReadStream<Buffer> source;
  private final Buffer head = Buffer.buffer(HEAD);
  private long bytes;

  Mp4Check(ReadStream<Buffer> source) {
    this.source = source;
  }

  /** Why what passed is no MP4, or null when it opens like one. Ask once the stream ended. */
  String problem() {
    if (bytes == 0) {
      return "the upstream's file was empty";
    }
    if (head.length() < HEAD || !"ftyp".equals(head.getString(4, 8, StandardCharsets.US_ASCII.name()))) {
      return "the upstream's file (" + bytes + " bytes) is not an MP4 video";
    }
    return null;
  }

  @Override
  public Mp4Check handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> {
      bytes += chunk.length();
      if (head.length() < HEAD) {
        head.appendBuffer(chunk, 0, Math.min(HEAD - head.length(), chunk.length()));
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public Mp4Check exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public Mp4Check pause() {
    source.pause();
    return this;
  }

  @Override
  public Mp4Check resume() {
    source.resume();
    return this;
  }

  @Override
  public Mp4Check fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public Mp4Check endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
