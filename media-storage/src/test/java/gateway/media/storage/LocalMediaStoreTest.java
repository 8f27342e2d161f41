package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Local media store")
class LocalMediaStoreTest extends MediaStoreContractTest {

  private static final long MAX = 2_000_000;

  @TempDir
  Path dir;
  private LocalMediaStore store;

  @BeforeEach
  void open(Vertx vertx, VertxTestContext ctx) {
    new LocalMediaStore(vertx, MediaStorageConfig.local(dir.resolve("media")).withMaxObjectBytes(MAX)).open()
        .onComplete(ctx.succeeding(s -> {
          store = s;
          ctx.completeNow();
        }));
  }

  @Override
  MediaStore store() {
    return store;
  }

  @Override
  long maxObjectBytes() {
    return MAX;
  }

  @Override
  Future<Integer> leftovers() {
    try (Stream<Path> files = Files.walk(dir.resolve("media"))) {
      return Future.succeededFuture((int) files.filter(Files::isRegularFile).count());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  @Test
  @DisplayName("bytes and their description sit side by side on disk, no temp file remains, and a new store on the"
      + " same directory (a restart) reads them back with their type")
  void layoutAndRestart(Vertx vertx, VertxTestContext ctx) {
    Buffer gif = randomBytes(512, 9);
    store.put(gif, "image/gif").compose(o -> {
      LocalMediaStore restarted = new LocalMediaStore(vertx, MediaStorageConfig.local(dir.resolve("media")));
      return restarted.stat(o.id()).compose(stat -> read(restarted, o.id(), null)
          .map(bytes -> new Object[] {o, stat.orElseThrow(), bytes}));
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      StoredObject o = (StoredObject) r[0];
      Path data = store.dataPath(o.id());
      assertThat(data).exists().hasBinaryContent(gif.getBytes());
      assertThat(Files.readString(store.metaPath(o.id()))).contains("\"content_type\":\"image/gif\"");
      assertThat(data.getParent().getFileName().toString()).isEqualTo(o.id().substring(0, 2));
      try (Stream<Path> tmp = Files.list(dir.resolve("media").resolve(LocalMediaStore.TMP_DIR))) {
        assertThat(tmp).isEmpty();
      }
      assertThat(((StoredObject) r[1]).contentType()).isEqualTo("image/gif");
      assertThat((Buffer) r[2]).isEqualTo(gif);
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("bytes without a description (a put that died between the two renames) are not an object")
  void dataWithoutDescription(Vertx vertx, VertxTestContext ctx) throws IOException {
    String id = MediaIds.newId("image/png");
    Files.createDirectories(store.dataPath(id).getParent());
    Files.write(store.dataPath(id), new byte[] {1, 2, 3});
    store.stat(id).onComplete(ctx.succeeding(stat -> ctx.verify(() -> {
      assertThat(stat).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @DisplayName("the public URL is the gateway's serve path by default and the public base URL when one is set")
  void publicUrls(Vertx vertx) {
    String id = MediaIds.newId("image/png");
    assertThat(store.publicUrl(id)).isEqualTo("/media/" + id);
    LocalMediaStore cdn = new LocalMediaStore(vertx,
        MediaStorageConfig.local(dir).withPublicBaseUrl("https://cdn.example.com/m/"));
    assertThat(cdn.publicUrl(id)).isEqualTo("https://cdn.example.com/m/" + id);
  }
}
