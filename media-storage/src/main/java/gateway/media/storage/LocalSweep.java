package gateway.media.storage;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The blocking walk behind {@link LocalMediaStore#deleteCreatedBefore}: run it on a worker thread. Temp files of
 * puts that died are deleted once they are a day old (a put in progress is never that old); the S3 store's spool
 * gets the same.
 */
final class LocalSweep {

  private static final Logger log = LoggerFactory.getLogger(LocalSweep.class);

  private LocalSweep() {
  }

  static int run(Path root, Instant cutoff) throws IOException {
    int deleted = 0;
    for (Path meta : descriptions(root)) {
      String name = meta.getFileName().toString();
      String id = name.substring(0, name.length() - LocalMediaStore.META_SUFFIX.length());
      try {
        StoredObject object = LocalMediaStore.fromMeta(id, new JsonObject(Files.readString(meta)));
        if (object.created().isBefore(cutoff)) {
          Files.deleteIfExists(meta);
          Files.deleteIfExists(meta.resolveSibling(id));
          deleted++;
        }
      } catch (IOException | RuntimeException e) {
        log.warn("media {}: retention sweep skipped it", id, e);
      }
    }
    deleteStaleTemps(root.resolve(LocalMediaStore.TMP_DIR), cutoff);
    if (deleted > 0) {
      log.info("media retention: deleted {} object(s) created before {}", deleted, cutoff);
    }
    return deleted;
  }

  private static List<Path> descriptions(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root, 2)) {
      return files.filter(p -> p.getFileName().toString().endsWith(LocalMediaStore.META_SUFFIX)
          && !p.getParent().getFileName().toString().equals(LocalMediaStore.TMP_DIR)).toList();
    }
  }

  /** Temp files of puts that died: older than {@code cutoff} and at least a day old (no put lasts that long). */
  static void deleteStaleTemps(Path tmp, Instant cutoff) throws IOException {
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
    Instant before = cutoff.isBefore(dayAgo) ? cutoff : dayAgo;
    if (!Files.isDirectory(tmp)) {
      return;
    }
    try (Stream<Path> files = Files.list(tmp)) {
      files.filter(p -> {
        try {
          return Files.getLastModifiedTime(p).toInstant().isBefore(before);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          log.warn("media retention: cannot delete temp file {}", p.getFileName(), e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
