package gateway.media.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.util.List;

/**
 * The blocking walk behind {@link S3MediaStore#deleteCreatedBefore}: run it on a worker thread. Lists the keys
 * under the store's prefix page by page (ListObjectsV2) and deletes those last modified before the cutoff, a page
 * at a time (DeleteObjects, quiet). Only keys shaped like our ids are touched, so a bucket shared with other data
 * (or a prefix left empty) loses nothing else.
 */
final class S3Sweep {

  private static final Logger log = LoggerFactory.getLogger(S3Sweep.class);
  /** ListObjectsV2's largest page and DeleteObjects' largest batch. */
  static final int PAGE = 1000;

  private S3Sweep() {
  }

  static int run(S3Client client, String bucket, String prefix, Instant cutoff, int pageSize) {
    int deleted = 0;
    ListObjectsV2Request.Builder list = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(pageSize);
    while (true) {
      ListObjectsV2Response page = client.listObjectsV2(list.build());
      List<ObjectIdentifier> old = page.contents().stream()
          .filter(object -> isOurs(object, prefix) && object.lastModified() != null
              && object.lastModified().isBefore(cutoff))
          .map(object -> ObjectIdentifier.builder().key(object.key()).build())
          .toList();
      deleted += delete(client, bucket, old);
      if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextContinuationToken() == null) {
        break;
      }
      list.continuationToken(page.nextContinuationToken());
    }
    if (deleted > 0) {
      log.info("media retention: deleted {} object(s) from bucket {} last modified before {}", deleted, bucket, cutoff);
    }
    return deleted;
  }

  private static boolean isOurs(S3Object object, String prefix) {
    return object.key().startsWith(prefix) && MediaIds.isValid(object.key().substring(prefix.length()));
  }

  /** Deletes one page's keys in one call; returns how many went (a key the store refused is logged and kept). */
  private static int delete(S3Client client, String bucket, List<ObjectIdentifier> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket)
        .delete(d -> d.objects(keys).quiet(true)));
    List<S3Error> errors = response.errors();
    for (S3Error error : errors) {
      log.warn("media retention: bucket {} did not delete {}: {} {}", bucket, error.key(), error.code(),
          error.message());
    }
    return keys.size() - errors.size();
  }
}
