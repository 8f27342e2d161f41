package gateway.media.storage;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import static org.awaitility.Awaitility.await;

/**
 * A real S3-protocol server in the test's JVM: s3proxy over its in-memory ("transient") blob store, with AWS
 * signature checking on, so the SDK's requests go over HTTP, signed, as they would to AWS or MinIO.
 */
final class S3ProxyServer implements AutoCloseable {

  static final String ACCESS_KEY = "test-access-key";
  static final String SECRET_KEY = "test-secret-key-do-not-log";
  static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyServer(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  static S3ProxyServer start() throws Exception {
    return start("transient", new Properties());
  }

  /**
   * The same server over its file-system blob store under {@code basedir}: {@code <basedir>/<bucket>/<key>}, whose
   * file times are the objects' {@code LastModified}, so a test can make an object as old as it needs
   * ({@link #backdate}).
   */
  static S3ProxyServer onDisk(Path basedir) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", basedir.toString());
    return start("filesystem", properties);
  }

  private static S3ProxyServer start(String provider, Properties properties) throws Exception {
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(BlobStores.create(provider, properties))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .ignoreUnknownHeaders(true)
        .build();
    proxy.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(proxy.getState()));
    return new S3ProxyServer(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
  }

  URI endpoint() {
    return endpoint;
  }

  MediaStorageConfig.S3 settings(String bucket, String prefix) {
    return new MediaStorageConfig.S3(bucket, endpoint, REGION, ACCESS_KEY, SECRET_KEY, true, prefix);
  }

  /** A plain SDK client to look at the bucket behind the store's back. */
  S3Client rawClient() {
    return S3MediaStore.buildClient(settings("unused", ""));
  }

  void createBucket(String bucket) {
    try (S3Client client = rawClient()) {
      client.createBucket(b -> b.bucket(bucket));
    }
  }

  /**
   * Sets an object's {@code LastModified} on a server started {@link #onDisk}, as if it had been uploaded at
   * {@code when}: the file-system store reports its file's modification time.
   */
  static void backdate(Path basedir, String bucket, String key, Instant when) throws IOException {
    Path file = basedir.resolve(bucket).resolve(key);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no file for " + bucket + "/" + key + " under " + basedir);
    }
    Files.setLastModifiedTime(file, FileTime.from(when));
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
