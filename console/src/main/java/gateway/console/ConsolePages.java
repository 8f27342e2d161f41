package gateway.console;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CSPHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.XFrameHandler;

/**
 * The two consoles as static pages from this jar: the customer's at {@code /dashboard/}, the
 * operator's at {@code /console/}. The pages hold no data: their scripts call {@code /api} and
 * {@code /admin} with the session cookie and the CSRF token. Every answer carries a strict
 * Content-Security-Policy (scripts and styles only from this origin, nothing inline, no framing).
 */
public final class ConsolePages {
  /** Where the pages live on the classpath. */
  static final String WEBROOT = "gateway-console";
  /** The pages fetch only this origin; SVG charts are drawn by script, images only from here or data URLs. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
      + "media-src 'self' blob:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
      + "frame-ancestors 'none'";

  private ConsolePages() {
  }

  /** Mounts {@code /dashboard/*}, {@code /console/*} and the invitation and reset pages the admin API's links name. */
  public static void mount(Router root) {
    CSPHandler csp = CSPHandler.create();
    for (String directive : POLICY.split("; ")) {
      int space = directive.indexOf(' ');
      csp.setDirective(directive.substring(0, space), directive.substring(space + 1));
    }
    XFrameHandler frames = XFrameHandler.create(XFrameHandler.DENY);
    for (String base : new String[] {"/dashboard", "/console"}) {
      // Vert.x matches "/dashboard" for "/dashboard/" too: only the bare path is sent to the folder.
      root.route(base).method(HttpMethod.GET).handler(ctx -> {
        if (ctx.request().path().equals(base)) {
          ctx.redirect(base + "/");
        } else {
          ctx.next();
        }
      });
      root.route(base + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(csp).handler(frames)
          .handler(ConsolePages::headers);
    }
    // The links in invitations and password resets (see the admin API) land on one page that takes the token.
    root.get("/console/invitation").handler(ctx -> ctx.reroute("/console/link.html"));
    root.get("/console/reset-password").handler(ctx -> ctx.reroute("/console/link.html"));
    root.route("/dashboard/common/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files("common"));
    root.route("/console/common/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files("common"));
    root.route("/dashboard/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files("dashboard"));
    root.route("/console/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files("console"));
  }

  private static StaticHandler files(String folder) {
    return StaticHandler.create(WEBROOT + "/" + folder)
        .setIndexPage("index.html")
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setDefaultContentEncoding("UTF-8")
        // Revalidated on every load (ETag / Last-Modified): a new release is seen at once, an unchanged page costs a 304.
        .setMaxAgeSeconds(0);
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin")
        .putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    ctx.next();
  }
}
