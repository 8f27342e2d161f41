package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consoles as served by the router: every page and asset with its security headers, nothing else. */
@ExtendWith(VertxExtension.class)
class ConsolePagesTest {
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    http = new RawHttp(GatewayUnderTest.start(vertx).baseUrl());
  }

  @Test
  @DisplayName("every console page and asset carries a strict CSP without unsafe-inline, no framing and no referrer")
  void securityHeadersOnEveryPage() {
    for (String path : List.of("/dashboard/", "/console/", "/dashboard/index.html", "/dashboard/keys.js",
        "/dashboard/common/strings.js", "/console/common/style.css", "/console/invitation", "/console/reset-password")) {
      HttpResponse<String> page = http.get(path, null);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      String csp = page.headers().firstValue("content-security-policy").orElse("");
      assertThat(csp).as(path).contains("script-src 'self'").contains("style-src 'self'").contains("frame-ancestors 'none'")
          .contains("default-src 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
      assertThat(page.headers().firstValue("x-frame-options")).as(path).hasValue("DENY");
      assertThat(page.headers().firstValue("referrer-policy")).as(path).hasValue("no-referrer");
      assertThat(page.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
    }
    assertThat(http.get("/console/invitation", null).body()).contains("link.js");
    assertThat(http.get("/dashboard/", null).headers().firstValue("content-type").orElse("")).startsWith("text/html");
  }

  @Test
  @DisplayName("the bare paths redirect to the folders; unknown files and listings are 404s in the error shape")
  void redirectsAndMissingFiles() {
    HttpResponse<String> bare = http.get("/dashboard", null);
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("location")).hasValue("/dashboard/");
    HttpResponse<String> missing = http.get("/console/no-such-file.js", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"error\"").doesNotContain("Exception");
    assertThat(http.get("/dashboard/common/", null).statusCode()).isEqualTo(404);
    assertThat(http.get("/dashboard/../pom.xml", null).statusCode()).isIn(400, 404);
  }
}
