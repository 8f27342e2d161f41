package gateway.media.storage;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Media storage configuration")
class MediaStorageConfigTest {

  @Test
  @DisplayName("an empty environment keeps media forever in files under the data dir's media/, served by the gateway")
  void defaults() {
    MediaStorageConfig config = MediaStorageConfig.fromEnv(Map.of());
    assertThat(config.store()).isEqualTo(MediaStorageConfig.Kind.LOCAL);
    assertThat(config.directory()).isEqualTo(Path.of("./data", "media"));
    assertThat(config.retentionDays()).isZero();
    assertThat(config.publicBaseUrl()).isNull();
    assertThat(config.urlFor("abc.png")).isEqualTo("/media/abc.png");
    assertThat(MediaStorageConfig.fromEnv(Map.of("GATEWAY_DATA_DIR", "/var/gw")).directory())
        .isEqualTo(Path.of("/var/gw/media"));
    assertThat(MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_DIR", "/srv/media")).directory())
        .isEqualTo(Path.of("/srv/media"));
  }

  @Test
  @DisplayName("every S3 variable is read, and the secret never shows in toString")
  void s3() {
    MediaStorageConfig config = MediaStorageConfig.fromEnv(Map.of(
        "GATEWAY_MEDIA_STORE", "s3", "GATEWAY_S3_BUCKET", "media", "GATEWAY_S3_ENDPOINT", "http://minio:9000",
        "GATEWAY_S3_REGION", "auto", "GATEWAY_S3_ACCESS_KEY_ID", "AKIDEXAMPLE",
        "GATEWAY_S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG", "GATEWAY_S3_PATH_STYLE", "true",
        "GATEWAY_S3_PREFIX", "gw/", "GATEWAY_MEDIA_PUBLIC_BASE_URL", "https://cdn.example.com/",
        "GATEWAY_MEDIA_RETENTION_DAYS", "30"));
    MediaStorageConfig.S3 s3 = config.s3();
    assertThat(config.store()).isEqualTo(MediaStorageConfig.Kind.S3);
    assertThat(s3.bucket()).isEqualTo("media");
    assertThat(s3.endpoint()).isEqualTo(URI.create("http://minio:9000"));
    assertThat(s3.region()).isEqualTo("auto");
    assertThat(s3.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(s3.secretAccessKey()).isEqualTo("wJalrXUtnFEMI/K7MDENG");
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.keyPrefix()).isEqualTo("gw/");
    assertThat(config.retentionDays()).isEqualTo(30);
    assertThat(config.urlFor("abc.png")).isEqualTo("https://cdn.example.com/abc.png");
    assertThat(config.toString()).doesNotContain("wJalrXUtnFEMI").contains("AKIDEXAMPLE");
    assertThat(s3.toString()).doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  @DisplayName("without keys the SDK's default credentials apply; region defaults to us-east-1, path style to off")
  void s3Defaults() {
    MediaStorageConfig.S3 s3 = MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_STORE", "S3",
        "GATEWAY_S3_BUCKET", "b")).s3();
    assertThat(s3.accessKeyId()).isNull();
    assertThat(s3.region()).isEqualTo("us-east-1");
    assertThat(s3.pathStyle()).isFalse();
    assertThat(s3.endpoint()).isNull();
    assertThat(s3.keyPrefix()).isEmpty();
  }

  @Test
  @DisplayName("wrong values fail at start with the variable's name, never echoing a secret")
  void invalid() {
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_STORE", "ftp")))
        .hasMessageContaining("GATEWAY_MEDIA_STORE");
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_STORE", "s3")))
        .hasMessageContaining("GATEWAY_S3_BUCKET");
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_RETENTION_DAYS", "-1")))
        .hasMessageContaining("GATEWAY_MEDIA_RETENTION_DAYS");
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_RETENTION_DAYS", "soon")))
        .hasMessageContaining("GATEWAY_MEDIA_RETENTION_DAYS");
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_PUBLIC_BASE_URL", "cdn.example.com")))
        .hasMessageContaining("cdn.example.com");
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_STORE", "s3",
        "GATEWAY_S3_BUCKET", "b", "GATEWAY_S3_PATH_STYLE", "yes"))).hasMessageContaining("GATEWAY_S3_PATH_STYLE");
    assertThatThrownBy(() -> MediaStorageConfig.fromEnv(Map.of("GATEWAY_MEDIA_STORE", "s3",
        "GATEWAY_S3_BUCKET", "b", "GATEWAY_S3_SECRET_ACCESS_KEY", "topsecret")))
        .hasMessageContaining("GATEWAY_S3_ACCESS_KEY_ID").message().doesNotContain("topsecret");
  }
}
