package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Images stored in an S3-compatible bucket: a router configured with {@code GATEWAY_MEDIA_STORE=s3} against
 * s3proxy (a real S3-protocol server in the test's JVM, AWS signatures checked) puts every image in the bucket
 * and serves it at its own URL from there, after the upstream's link expired.
 */
@ExtendWith(VertxExtension.class)
class ImagesS3Test {
  private static final String ACCESS_KEY = "test-access-key";
  private static final String SECRET_KEY = "test-secret-key-do-not-log";
  private static final String BUCKET = "gateway-images";

  private S3Proxy proxy;
  private URI endpoint;
  private GatewayUnderTest gateway;
  private Customer customer;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("jclouds.identity", ACCESS_KEY);
    properties.setProperty("jclouds.credential", SECRET_KEY);
    proxy = S3Proxy.builder().blobStore(BlobStores.create("transient", properties))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0")).ignoreUnknownHeaders(true).build();
    proxy.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> "STARTED".equals(proxy.getState()));
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    try (S3Client s3 = s3()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    gateway = GatewayUnderTest.start(vertx, env -> env.with("GATEWAY_MEDIA_STORE", "s3")
        .with("GATEWAY_S3_BUCKET", BUCKET).with("GATEWAY_S3_ENDPOINT", endpoint.toString())
        .with("GATEWAY_S3_ACCESS_KEY_ID", ACCESS_KEY).with("GATEWAY_S3_SECRET_ACCESS_KEY", SECRET_KEY)
        .with("GATEWAY_S3_PATH_STYLE", "true").with("GATEWAY_S3_PREFIX", "images/"));
    ImagesTest.imageModels(gateway);
    customer = gateway.customer("100", ImagesTest.PAINTER);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.stop();
  }

  @Test
  @DisplayName("each image is an object in the bucket, served at the gateway's URL with its type after the upstream's expired")
  void storedInTheBucket() throws Exception {
    gateway.fake.script(ImagesTest.UPSTREAM, Behavior.images().asUrls().urlsExpireAfter(Duration.ofSeconds(2)));

    List<Image> data = gateway.sdk(customer.key()).images().generate(ImageGenerateParams.builder()
        .model(ImagesTest.PAINTER).prompt("a harbour").n(2).responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON)
        .build()).data().orElseThrow();

    assertThat(data).hasSize(2);
    List<String> upstreamUrls = gateway.fake.requests().stream().filter(r -> r.path().startsWith("/files/"))
        .map(r -> "http://127.0.0.1:" + gateway.fake.port() + r.path() + "?" + r.query()).toList();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> ImagesTest.fetch(upstreamUrls.get(0)).statusCode() == 403);
    try (S3Client s3 = s3()) {
      List<S3Object> objects = s3.listObjectsV2(b -> b.bucket(BUCKET)).contents();
      assertThat(objects).hasSize(2).allMatch(o -> o.key().startsWith("images/"));
      for (Image image : data) {
        String url = image.url().orElseThrow();
        String id = url.substring(url.lastIndexOf('/') + 1);
        HttpResponse<byte[]> served = ImagesTest.fetch(url);
        byte[] inline = Base64.getDecoder().decode(image.b64Json().orElseThrow());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(served.body()).isEqualTo(inline);
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("images/" + id));
        assertThat(object.asByteArray()).isEqualTo(inline);
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.heldMicros(customer.accountId()) == 0
        && gateway.usageRowCount(customer.accountId()) == 1);
    assertThat(gateway.usageCostMicros(customer.accountId())).isEqualTo(2 * 4_000_000);
  }

  private S3Client s3() {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .forcePathStyle(true).build();
  }
}
