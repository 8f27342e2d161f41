package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the store a {@link MediaStorageConfig} names, with its directories in place. */
public final class MediaStores {

  private static final Logger log = LoggerFactory.getLogger(MediaStores.class);

  private MediaStores() {
  }

  public static Future<MediaStore> create(Vertx vertx, MediaStorageConfig config) {
    log.info("media storage: {}", config.store() == MediaStorageConfig.Kind.S3 ? config.s3() : config.directory());
    return switch (config.store()) {
      case LOCAL -> new LocalMediaStore(vertx, config).open().map(store -> store);
      case S3 -> new S3MediaStore(vertx, config).open().map(store -> store);
    };
  }
}
