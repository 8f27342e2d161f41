package gateway.media.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How media is stored, read once from the environment ({@link #fromEnv}). The README's configuration table lists
 * every variable. {@link #toString()} never shows the S3 secret.
 *
 * @param store           where objects go: {@link Kind#LOCAL} (default) or {@link Kind#S3}
 * @param directory       the local store's directory ({@code GATEWAY_MEDIA_DIR}, default
 *                        {@code $GATEWAY_DATA_DIR/media}); S3 spools streamed uploads under its {@code .tmp}
 * @param publicBaseUrl   absolute base of the URLs handed to clients (a CDN or the bucket's public address),
 *                        without a trailing slash; null: the gateway serves them at {@link #servePath}
 * @param servePath       the gateway's own path prefix for {@link StoredMediaHandler}, {@code /media}
 * @param s3              the object store's settings; null unless {@code store} is S3
 * @param retentionDays   objects older than this are deleted by the local store's sweeper; 0 keeps forever
 * @param maxObjectBytes  the largest object a streamed put accepts
 */
public record MediaStorageConfig(Kind store, Path directory, String publicBaseUrl, String servePath, S3 s3,
                                 int retentionDays, long maxObjectBytes) {

  /** Where objects are kept. */
  public enum Kind { LOCAL, S3 }

  public static final String DEFAULT_SERVE_PATH = "/media";
  public static final long DEFAULT_MAX_OBJECT_BYTES = 512L * 1024 * 1024;

  /**
   * An S3-compatible store (AWS, MinIO, Cloudflare R2, Alibaba OSS in S3 mode).
   *
   * @param bucket          the bucket, which must exist
   * @param endpoint        endpoint override (e.g. {@code http://minio:9000}); null: AWS's endpoint for the region
   * @param region          signing region; {@code us-east-1} by default ({@code auto} for R2)
   * @param accessKeyId     null: the AWS SDK's default credential chain (environment, profile, instance role)
   * @param secretAccessKey paired with {@code accessKeyId}; never logged
   * @param pathStyle       {@code http://host/bucket/key} instead of {@code http://bucket.host/key} (MinIO)
   * @param keyPrefix       prepended to every object key, e.g. {@code media/}; empty for none
   */
  public record S3(String bucket, URI endpoint, String region, String accessKeyId, String secretAccessKey,
                   boolean pathStyle, String keyPrefix) {

    public S3 {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(region, "region");
      keyPrefix = keyPrefix == null ? "" : keyPrefix;
      if ((accessKeyId == null) != (secretAccessKey == null)) {
        throw new IllegalArgumentException(
            "GATEWAY_S3_ACCESS_KEY_ID and GATEWAY_S3_SECRET_ACCESS_KEY are set together or not at all");
      }
    }

    @Override
    public String toString() {
      return "S3[bucket=" + bucket + ", endpoint=" + endpoint + ", region=" + region + ", accessKeyId="
          + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? "null" : "***") + ", pathStyle="
          + pathStyle + ", keyPrefix=" + keyPrefix + "]";
    }
  }

  public MediaStorageConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(servePath, "servePath");
    if (store == Kind.S3 && s3 == null) {
      throw new IllegalArgumentException("GATEWAY_MEDIA_STORE=s3 needs GATEWAY_S3_BUCKET");
    }
    if (retentionDays < 0) {
      throw new IllegalArgumentException("GATEWAY_MEDIA_RETENTION_DAYS must be 0 (keep forever) or more");
    }
    if (maxObjectBytes <= 0) {
      throw new IllegalArgumentException("GATEWAY_MEDIA_MAX_OBJECT_BYTES must be positive");
    }
    publicBaseUrl = stripTrailingSlash(publicBaseUrl);
    servePath = stripTrailingSlash(servePath);
  }

  /** A local store under {@code directory} with every other setting at its default. */
  public static MediaStorageConfig local(Path directory) {
    return new MediaStorageConfig(Kind.LOCAL, directory, null, DEFAULT_SERVE_PATH, null, 0, DEFAULT_MAX_OBJECT_BYTES);
  }

  public static MediaStorageConfig fromEnv(Map<String, String> env) {
    String dataDir = value(env, "GATEWAY_DATA_DIR", "./data");
    Path directory = Path.of(value(env, "GATEWAY_MEDIA_DIR", Path.of(dataDir, "media").toString()));
    Kind store = switch (value(env, "GATEWAY_MEDIA_STORE", "local").toLowerCase(Locale.ROOT)) {
      case "local" -> Kind.LOCAL;
      case "s3" -> Kind.S3;
      default -> throw new IllegalArgumentException("GATEWAY_MEDIA_STORE must be local or s3");
    };
    S3 s3 = null;
    if (store == Kind.S3) {
      String bucket = value(env, "GATEWAY_S3_BUCKET", null);
      if (bucket == null) {
        throw new IllegalArgumentException("GATEWAY_MEDIA_STORE=s3 needs GATEWAY_S3_BUCKET");
      }
      String endpoint = value(env, "GATEWAY_S3_ENDPOINT", null);
      s3 = new S3(bucket, endpoint == null ? null : endpoint(endpoint), value(env, "GATEWAY_S3_REGION", "us-east-1"),
          value(env, "GATEWAY_S3_ACCESS_KEY_ID", null), value(env, "GATEWAY_S3_SECRET_ACCESS_KEY", null),
          bool(env, "GATEWAY_S3_PATH_STYLE"), value(env, "GATEWAY_S3_PREFIX", ""));
    }
    String publicBase = value(env, "GATEWAY_MEDIA_PUBLIC_BASE_URL", null);
    if (publicBase != null) {
      endpoint(publicBase);
    }
    return new MediaStorageConfig(store, directory, publicBase, DEFAULT_SERVE_PATH, s3,
        integer(env, "GATEWAY_MEDIA_RETENTION_DAYS", 0),
        longValue(env, "GATEWAY_MEDIA_MAX_OBJECT_BYTES", DEFAULT_MAX_OBJECT_BYTES));
  }

  public MediaStorageConfig withPublicBaseUrl(String url) {
    return new MediaStorageConfig(store, directory, url, servePath, s3, retentionDays, maxObjectBytes);
  }

  public MediaStorageConfig withRetentionDays(int days) {
    return new MediaStorageConfig(store, directory, publicBaseUrl, servePath, s3, days, maxObjectBytes);
  }

  public MediaStorageConfig withMaxObjectBytes(long max) {
    return new MediaStorageConfig(store, directory, publicBaseUrl, servePath, s3, retentionDays, max);
  }

  public MediaStorageConfig withS3(S3 settings) {
    return new MediaStorageConfig(Kind.S3, directory, publicBaseUrl, servePath, settings, retentionDays,
        maxObjectBytes);
  }

  /** The URL for object {@code id}: on the public base when one is set, else on the gateway's serve path. */
  public String urlFor(String id) {
    return (publicBaseUrl != null ? publicBaseUrl : servePath) + "/" + id;
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  private static boolean bool(Map<String, String> env, String name) {
    String v = value(env, name, "false");
    if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
      throw new IllegalArgumentException(name + " must be true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    return Math.toIntExact(longValue(env, name, fallback));
  }

  private static long longValue(Map<String, String> env, String name, long fallback) {
    String v = value(env, name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  private static URI endpoint(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + url);
    }
    return uri;
  }

  private static String stripTrailingSlash(String s) {
    return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
