package gateway.media.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.Optional;

/**
 * Where the gateway keeps the images and videos it hands out, so a client's URL outlives the upstream's
 * temporary link. Every object gets a new unguessable id on {@link #put}; objects are immutable. Every method
 * returns at once and does its I/O off the event loop.
 *
 * <p>Implementations: {@link LocalMediaStore} (files under a directory, served by the gateway itself) and
 * {@link S3MediaStore} (any S3-compatible object store). {@link MediaStores#create} picks one from a
 * {@link MediaStorageConfig}.
 */
public interface MediaStore {

  /** Stores {@code bytes} under a new id. {@code contentType} must be a plain {@code type/subtype}. */
  Future<StoredObject> put(Buffer bytes, String contentType);

  /**
   * Stores everything {@code source} emits under a new id, e.g. an upstream's download as it arrives. The store
   * sets the stream's handlers and resumes it; pass it paused if it may already be flowing. Fails with
   * {@link MediaTooLargeException} past the configured maximum, keeping nothing.
   */
  Future<StoredObject> put(ReadStream<Buffer> source, String contentType);

  /** The object's description, or empty when there is none under this id (malformed ids included). */
  Future<Optional<StoredObject>> stat(String id);

  /**
   * Opens the object for reading: the whole of it when {@code range} is null, else that range cut to the
   * object's size. Empty when there is no such object. Fails with {@link IllegalArgumentException} when the
   * range starts past the end (the caller should have checked against {@link #stat}).
   */
  Future<Optional<MediaContent>> get(String id, ByteRange range);

  /** Deletes the object; true when there was one. */
  Future<Boolean> delete(String id);

  /**
   * Deletes every object stored before {@code cutoff} (the retention sweep, {@link MediaRetentionSweeper}); returns
   * how many went. Off the event loop; safe to run on several instances at once (a delete of a gone object is
   * nothing).
   */
  Future<Integer> deleteCreatedBefore(java.time.Instant cutoff);

  /**
   * The URL a client fetches the object from: the configured public base URL + {@code /} + id when one is set
   * (e.g. a CDN in front of the bucket), else the gateway's own serving path ({@code /media/<id>} by default),
   * which the caller makes absolute with the gateway's address.
   */
  String publicUrl(String id);

  /** Releases clients and timers; the store must not be used afterwards. */
  Future<Void> close();
}
