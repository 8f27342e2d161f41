package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link MediaStore} does; a subclass per implementation supplies the store. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
abstract class MediaStoreContractTest {

  /** The store under test, fresh for each test. */
  abstract MediaStore store();

  static Buffer randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  static Future<Buffer> read(MediaStore store, String id, ByteRange range) {
    return store.get(id, range).compose(found -> found.orElseThrow().readAll());
  }

  @Test
  @DisplayName("put gives a new unguessable id with the type's extension; stat and get return the same bytes and type")
  void putThenGet(Vertx vertx, VertxTestContext ctx) {
    Buffer png = randomBytes(3000, 1);
    Future<StoredObject> first = store().put(png, "image/png");
    Future<StoredObject> second = first.compose(o -> store().put(png, "image/png"));
    second.compose(o -> Future.all(store().stat(first.result().id()), read(store(), first.result().id(), null)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          StoredObject stored = first.result();
          assertThat(stored.id()).matches("[A-Za-z0-9_-]{32}\\.png");
          assertThat(second.result().id()).isNotEqualTo(stored.id());
          assertThat(stored.size()).isEqualTo(3000);
          assertThat(stored.contentType()).isEqualTo("image/png");
          Optional<StoredObject> stat = all.resultAt(0);
          assertThat(stat).isPresent();
          assertThat(stat.get().contentType()).isEqualTo("image/png");
          assertThat(stat.get().size()).isEqualTo(3000);
          assertThat(stat.get().created().toEpochMilli()).isEqualTo(stored.created().toEpochMilli());
          assertThat(all.<Buffer>resultAt(1)).isEqualTo(png);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("get with a range returns exactly those bytes, a range past the size is cut, one past the end fails")
  void ranges(Vertx vertx, VertxTestContext ctx) {
    Buffer video = randomBytes(200_000, 2);
    store().put(video, "video/mp4").compose(o -> Future.all(
            read(store(), o.id(), new ByteRange(10, 19)),
            read(store(), o.id(), new ByteRange(199_990, 500_000)),
            store().get(o.id(), new ByteRange(200_000, 200_001)).map(x -> "no failure").otherwise(e -> e.getClass().getSimpleName()),
            store().get(o.id(), new ByteRange(5, 150_004)).map(c -> {
              c.orElseThrow().close();
              return c.get().range();
            })))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<Buffer>resultAt(0)).isEqualTo(video.getBuffer(10, 20));
          assertThat(all.<Buffer>resultAt(1)).isEqualTo(video.getBuffer(199_990, 200_000));
          assertThat(all.<String>resultAt(2)).isEqualTo("IllegalArgumentException");
          assertThat(all.<ByteRange>resultAt(3)).isEqualTo(new ByteRange(5, 150_004));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a streamed put stores every byte of a multi-chunk stream")
  void streamedPut(Vertx vertx, VertxTestContext ctx) {
    Buffer bytes = randomBytes(1_000_000, 3);
    Future<StoredObject> stored = store().put(chunks(vertx, bytes, 8192), "video/mp4");
    stored.compose(o -> read(store(), o.id(), null)).onComplete(ctx.succeeding(read -> ctx.verify(() -> {
      assertThat(stored.result().size()).isEqualTo(1_000_000);
      assertThat(stored.result().id()).endsWith(".mp4");
      assertThat(read).isEqualTo(bytes);
      ctx.completeNow();
    })));
  }

  /** The store's maximum object size, which {@link #tooLarge} needs below 1 MB. */
  abstract long maxObjectBytes();

  @Test
  @DisplayName("a stream longer than the maximum fails with MediaTooLargeException and keeps nothing")
  void tooLarge(Vertx vertx, VertxTestContext ctx) {
    Buffer bytes = randomBytes((int) maxObjectBytes() + 1, 4);
    Future.all(
            store().put(chunks(vertx, bytes, 4096), "video/mp4").map("stored").otherwise(e -> e.getClass().getSimpleName()),
            store().put(bytes, "video/mp4").map("stored").otherwise(e -> e.getClass().getSimpleName()))
        .compose(all -> leftovers().map(left -> new Object[] {all, left}))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          var all = (io.vertx.core.CompositeFuture) pair[0];
          assertThat(all.<String>resultAt(0)).isEqualTo("MediaTooLargeException");
          assertThat(all.<String>resultAt(1)).isEqualTo("MediaTooLargeException");
          assertThat((Integer) pair[1]).isZero();
          ctx.completeNow();
        })));
  }

  /** How many objects or temp files the store holds (for the too-large test: none may be left). */
  abstract Future<Integer> leftovers();

  @Test
  @DisplayName("unknown, malformed and path-like ids are simply absent; delete removes an object once")
  void absentAndDelete(Vertx vertx, VertxTestContext ctx) {
    String unknown = MediaIds.newId("image/png");
    store().put(Buffer.buffer("x"), "image/png").compose(o -> Future.all(
            store().stat(unknown), store().stat("../../etc/passwd"), store().get("..%2F..", null),
            store().delete(o.id()).compose(first -> store().delete(o.id()).map(second -> List.of(first, second))))
        .compose(all -> store().stat(o.id()).map(after -> new Object[] {all, after})))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          var all = (io.vertx.core.CompositeFuture) pair[0];
          assertThat(all.<Optional<?>>resultAt(0)).isEmpty();
          assertThat(all.<Optional<?>>resultAt(1)).isEmpty();
          assertThat(all.<Optional<?>>resultAt(2)).isEmpty();
          assertThat(all.<List<Boolean>>resultAt(3)).containsExactly(true, false);
          assertThat((Optional<?>) pair[1]).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a content type that is not a plain type/subtype is refused; parameters are dropped")
  void contentTypes(Vertx vertx, VertxTestContext ctx) {
    Future.all(
            store().put(Buffer.buffer("x"), "text/html\r\nSet-Cookie: a=b").map("stored").otherwise(e -> e.getClass().getSimpleName()),
            store().put(Buffer.buffer("x"), "Image/JPEG; charset=binary").map(StoredObject::contentType))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<String>resultAt(0)).isEqualTo("IllegalArgumentException");
          assertThat(all.<String>resultAt(1)).isEqualTo("image/jpeg");
          ctx.completeNow();
        })));
  }

  /** {@code bytes} as a stream of {@code chunk}-byte buffers, emitted asynchronously and respecting pause. */
  static ReadStream<Buffer> chunks(Vertx vertx, Buffer bytes, int chunk) {
    return new ChunkedStream(vertx, bytes, chunk);
  }
}
