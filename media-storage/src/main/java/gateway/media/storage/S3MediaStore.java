package gateway.media.storage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Objects in an S3-compatible bucket under {@code <prefix><id>}, with the content type as the object's
 * {@code Content-Type} and the creation time as user metadata {@code created} (epoch milliseconds). Uses AWS
 * SDK v2's synchronous client on a worker pool of its own, so a slow store never holds an event loop or starves
 * other blocking work. Checksums are sent only where S3 requires them, which every S3-compatible store accepts.
 * A streamed put is spooled to a temp file first, since S3 wants the length up front. Retention is swept by
 * listing the prefix ({@link S3Sweep}).
 */
public final class S3MediaStore implements MediaStore {

  private static final Logger log = LoggerFactory.getLogger(S3MediaStore.class);
  private static final String CREATED = "created";
  private static final int WORKERS = 8;

  private final Vertx vertx;
  private final MediaStorageConfig config;
  private final MediaStorageConfig.S3 s3;
  private final S3Client client;
  private final WorkerExecutor worker;
  private final Path spoolDir;
  private final Clock clock;
  private final int sweepPage;

  public S3MediaStore(Vertx vertx, MediaStorageConfig config, Clock clock) {
    this(vertx, config, clock, S3Sweep.PAGE);
  }

  /** {@code sweepPage}: keys listed (and deleted) per call of a retention sweep, at most 1000. */
  S3MediaStore(Vertx vertx, MediaStorageConfig config, Clock clock, int sweepPage) {
    this.sweepPage = sweepPage;
    this.vertx = vertx;
    this.config = config;
    this.s3 = config.s3();
    this.clock = clock;
    this.client = buildClient(s3);
    this.worker = vertx.createSharedWorkerExecutor("media-s3-" + s3.bucket(), WORKERS);
    this.spoolDir = config.directory().toAbsolutePath().resolve(LocalMediaStore.TMP_DIR);
  }

  public S3MediaStore(Vertx vertx, MediaStorageConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  static S3Client buildClient(MediaStorageConfig.S3 s3) {
    AwsCredentialsProvider credentials = s3.accessKeyId() != null
        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey()))
        : DefaultCredentialsProvider.builder().build();
    var builder = S3Client.builder()
        .httpClient(Apache5HttpClient.builder().maxConnections(WORKERS * 2).build())
        .region(Region.of(s3.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(s3.pathStyle())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (s3.endpoint() != null) {
      builder.endpointOverride(s3.endpoint());
    }
    return builder.build();
  }

  /** Creates the spool directory for streamed puts. */
  public Future<S3MediaStore> open() {
    return vertx.fileSystem().mkdirs(spoolDir.toString()).map(v -> this);
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
    byte[] data = bytes.getBytes();
    return upload(type, data.length, () -> RequestBody.fromBytes(data));
  }

  @Override
  public Future<StoredObject> put(ReadStream<Buffer> source, String contentType) {
    String type;
    try {
      type = MediaIds.normalizeContentType(contentType);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Path spool = spoolDir.resolve(UUID.randomUUID() + ".part");
    var fs = vertx.fileSystem();
    return fs.open(spool.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
        .compose(file -> Spool.copy(source, file, config.maxObjectBytes()))
        .compose(size -> upload(type, size, () -> RequestBody.fromFile(spool)))
        .eventually(() -> fs.delete(spool.toString()).otherwiseEmpty());
  }

  private Future<StoredObject> upload(String contentType, long size, Callable<RequestBody> body) {
    String id = MediaIds.newId(contentType);
    StoredObject object = new StoredObject(id, contentType, size, clock.instant());
    PutObjectRequest request = PutObjectRequest.builder()
        .bucket(s3.bucket()).key(key(id)).contentType(contentType).contentLength(size)
        .metadata(Map.of(CREATED, Long.toString(object.created().toEpochMilli())))
        .build();
    return blocking(() -> client.putObject(request, body.call()))
        .map(response -> {
          log.debug("media {} stored in bucket {}: {} bytes of {}", id, s3.bucket(), size, contentType);
          return object;
        })
        .onFailure(e -> log.warn("media: upload of {} bytes to bucket {} failed", size, s3.bucket(), e));
  }

  @Override
  public Future<Optional<StoredObject>> stat(String id) {
    if (!MediaIds.isValid(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return blocking(() -> {
      try {
        HeadObjectResponse head = client.headObject(b -> b.bucket(s3.bucket()).key(key(id)));
        return Optional.of(new StoredObject(id, contentType(head.contentType()), head.contentLength(),
            created(head.metadata(), head.lastModified())));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return Optional.<StoredObject>empty();
        }
        throw e;
      }
    });
  }

  @Override
  public Future<Optional<MediaContent>> get(String id, ByteRange range) {
    if (!MediaIds.isValid(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    Context context = vertx.getOrCreateContext();
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(s3.bucket()).key(key(id));
    if (range != null) {
      request.range("bytes=" + range.first() + "-" + range.last());
    }
    return blocking(() -> {
      try {
        return Optional.of(client.getObject(request.build()));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return Optional.<ResponseInputStream<GetObjectResponse>>empty();
        }
        if (e.statusCode() == 416) {
          throw new IllegalArgumentException("range " + range.first() + "-" + range.last() + " starts past the end");
        }
        throw e;
      }
    }).map(found -> found.map(in -> content(context, id, range, in)));
  }

  private MediaContent content(Context context, String id, ByteRange requested,
                               ResponseInputStream<GetObjectResponse> in) {
    GetObjectResponse response = in.response();
    long length = response.contentLength();
    long size = totalSize(response.contentRange(), length);
    StoredObject object = new StoredObject(id, contentType(response.contentType()), size,
        created(response.metadata(), response.lastModified()));
    ByteRange served = length == 0 ? null
        : requested == null ? ByteRange.whole(size) : new ByteRange(requested.first(), requested.first() + length - 1);
    AtomicBoolean closed = new AtomicBoolean();
    return new MediaContent(object, served, new BlockingReadStream(context, worker, in, length),
        () -> closed.compareAndSet(false, true)
            ? worker.executeBlocking(() -> {
              in.abort();
              in.close();
              return null;
            }, false)
            : Future.succeededFuture());
  }

  @Override
  public Future<Boolean> delete(String id) {
    if (!MediaIds.isValid(id)) {
      return Future.succeededFuture(false);
    }
    return stat(id).compose(found -> found.isEmpty()
        ? Future.succeededFuture(false)
        : blocking(() -> client.deleteObject(b -> b.bucket(s3.bucket()).key(key(id)))).map(r -> true));
  }

  /**
   * Deletes the objects under the prefix whose {@code LastModified} (the store's own upload time) is before
   * {@code cutoff}, paging through the bucket, and the spool's temp files of puts that died; on the worker pool.
   */
  @Override
  public Future<Integer> deleteCreatedBefore(Instant cutoff) {
    return blocking(() -> {
      int deleted = S3Sweep.run(client, s3.bucket(), s3.keyPrefix(), cutoff, sweepPage);
      LocalSweep.deleteStaleTemps(spoolDir, cutoff);
      return deleted;
    });
  }

  @Override
  public String publicUrl(String id) {
    return config.urlFor(id);
  }

  @Override
  public Future<Void> close() {
    return worker.close().eventually(() -> vertx.executeBlocking(() -> {
      client.close();
      return null;
    }, false)).mapEmpty();
  }

  String key(String id) {
    return s3.keyPrefix() + id;
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return worker.executeBlocking(call, false);
  }

  private static String contentType(String header) {
    try {
      return MediaIds.normalizeContentType(header);
    } catch (IllegalArgumentException e) {
      return "application/octet-stream";
    }
  }

  private static Instant created(Map<String, String> metadata, Instant lastModified) {
    String millis = metadata == null ? null : metadata.get(CREATED);
    if (millis != null) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(millis));
      } catch (NumberFormatException ignored) {
        // written by someone else: fall back to the store's own time
      }
    }
    return lastModified != null ? lastModified : Instant.EPOCH;
  }

  /** The object's size from {@code Content-Range: bytes a-b/size}, or the body length without one. */
  static long totalSize(String contentRange, long length) {
    if (contentRange != null) {
      int slash = contentRange.lastIndexOf('/');
      if (slash >= 0 && !contentRange.endsWith("*")) {
        try {
          return Long.parseLong(contentRange.substring(slash + 1).strip());
        } catch (NumberFormatException ignored) {
          // fall through to the length
        }
      }
    }
    return length;
  }
}
