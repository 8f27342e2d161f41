package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Objects as files under one directory: {@code <dir>/<first two id characters>/<id>} holds the bytes and
 * {@code <id>.meta.json} beside it the content type, size and creation time. Both are written under
 * {@code <dir>/.tmp} and renamed into place (bytes first, then the description), so a reader never sees half a
 * file and an object exists exactly when its description does. All I/O goes through Vert.x's file system, which
 * runs it on worker threads.
 */
public final class LocalMediaStore implements MediaStore {

  private static final Logger log = LoggerFactory.getLogger(LocalMediaStore.class);
  static final String META_SUFFIX = ".meta.json";
  static final String TMP_DIR = ".tmp";

  private final Vertx vertx;
  private final FileSystem fs;
  private final MediaStorageConfig config;
  private final Path root;
  private final Clock clock;

  public LocalMediaStore(Vertx vertx, MediaStorageConfig config, Clock clock) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.config = config;
    this.root = config.directory().toAbsolutePath().normalize();
    this.clock = clock;
  }

  public LocalMediaStore(Vertx vertx, MediaStorageConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  /** Creates the directory (and its temp folder) if missing. */
  public Future<LocalMediaStore> open() {
    return fs.mkdirs(root.resolve(TMP_DIR).toString()).map(v -> this);
  }

  Path root() {
    return root;
  }

  @Override
  public Future<StoredObject> put(Buffer bytes, String contentType) {
    String type;
    try {
      type = MediaIds.normalizeContentType(contentType);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (bytes.length() > config.maxObjectBytes()) {
      return Future.failedFuture(new MediaTooLargeException(config.maxObjectBytes()));
    }
    String tmp = tempFile();
    return fs.writeFile(tmp, bytes).compose(v -> commit(tmp, type, bytes.length()));
  }

  @Override
  public Future<StoredObject> put(ReadStream<Buffer> source, String contentType) {
    String type;
    try {
      type = MediaIds.normalizeContentType(contentType);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String tmp = tempFile();
    return fs.open(tmp, new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(file -> Spool.copy(source, file, config.maxObjectBytes())
            .compose(size -> commit(tmp, type, size))
            .recover(e -> fs.delete(tmp).otherwiseEmpty().compose(v -> Future.failedFuture(e))));
  }

  @Override
  public Future<Optional<StoredObject>> stat(String id) {
    if (!MediaIds.isValid(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return fs.readFile(metaPath(id).toString())
        .map(buffer -> Optional.of(fromMeta(id, buffer.toJsonObject())))
        .recover(e -> {
          if (!isMissing(e)) {
            log.warn("media {}: cannot read its description", id, e);
            return Future.failedFuture(e);
          }
          return Future.succeededFuture(Optional.empty());
        });
  }

  @Override
  public Future<Optional<MediaContent>> get(String id, ByteRange range) {
    return stat(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      StoredObject object = found.get();
      ByteRange served;
      try {
        served = Ranges.resolve(range, object.size());
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return fs.open(dataPath(id).toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
          .map(file -> {
            file.pause();
            if (served == null) {
              file.setReadLength(0);
            } else {
              file.setReadPos(served.first()).setReadLength(served.length());
            }
            return Optional.of(new MediaContent(object, served, file, closeOnce(file)));
          });
    });
  }

  @Override
  public Future<Boolean> delete(String id) {
    if (!MediaIds.isValid(id)) {
      return Future.succeededFuture(false);
    }
    String meta = metaPath(id).toString();
    return fs.exists(meta).compose(existed -> fs.delete(meta).otherwiseEmpty()
        .compose(v -> fs.delete(dataPath(id).toString()).otherwiseEmpty())
        .map(v -> existed));
  }

  @Override
  public String publicUrl(String id) {
    return config.urlFor(id);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /**
   * Deletes every object created before {@code cutoff}, and temp files older than it left by puts that died;
   * returns how many objects went. Runs on a worker thread.
   */
  @Override
  public Future<Integer> deleteCreatedBefore(Instant cutoff) {
    return vertx.executeBlocking(() -> LocalSweep.run(root, cutoff), false);
  }

  private Future<StoredObject> commit(String tmpData, String contentType, long size) {
    String id = MediaIds.newId(contentType);
    StoredObject object = new StoredObject(id, contentType, size, clock.instant());
    Path dir = dataPath(id).getParent();
    String tmpMeta = tempFile();
    CopyOptions atomic = new CopyOptions().setAtomicMove(true).setReplaceExisting(false);
    return fs.mkdirs(dir.toString())
        .compose(v -> fs.move(tmpData, dataPath(id).toString(), atomic))
        .compose(v -> fs.writeFile(tmpMeta, toMeta(object).toBuffer()))
        .compose(v -> fs.move(tmpMeta, metaPath(id).toString(), atomic))
        .map(v -> {
          log.debug("media {} stored: {} bytes of {}", id, size, contentType);
          return object;
        })
        .recover(e -> fs.delete(tmpData).otherwiseEmpty()
            .compose(v -> fs.delete(tmpMeta).otherwiseEmpty())
            .compose(v -> Future.failedFuture(e)));
  }

  private String tempFile() {
    return root.resolve(TMP_DIR).resolve(UUID.randomUUID() + ".part").toString();
  }

  Path dataPath(String id) {
    return root.resolve(id.substring(0, 2)).resolve(id);
  }

  Path metaPath(String id) {
    return root.resolve(id.substring(0, 2)).resolve(id + META_SUFFIX);
  }

  static JsonObject toMeta(StoredObject object) {
    return new JsonObject().put("content_type", object.contentType()).put("size", object.size())
        .put("created", object.created().toEpochMilli());
  }

  static StoredObject fromMeta(String id, JsonObject meta) {
    return new StoredObject(id, meta.getString("content_type"), meta.getLong("size"),
        Instant.ofEpochMilli(meta.getLong("created")));
  }

  private static Supplier<Future<Void>> closeOnce(AsyncFile file) {
    AtomicBoolean closed = new AtomicBoolean();
    return () -> closed.compareAndSet(false, true) ? file.close() : Future.succeededFuture();
  }

  private static boolean isMissing(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.file.NoSuchFileException) {
        return true;
      }
    }
    return false;
  }
}
