package gateway.router.edge;

import gateway.common.GatewayError;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a query string with a broken percent-escape ({@code ?model=50%}, {@code %zz}) before any handler reads
 * its parameters: Netty's decoder throws on the first read, which would otherwise end the request as the
 * gateway's 500 wherever a handler or the OpenAPI validator happened to ask. The 400 names the parameter.
 */
public final class UnreadableQueries {
  private UnreadableQueries() {
  }

  public static void check(RoutingContext ctx) {
    String query = ctx.request().query();
    if (query == null || query.indexOf('%') < 0) {
      ctx.next();
      return;
    }
    String broken = brokenParameter(query);
    if (broken == null) {
      ctx.next();
      return;
    }
    if (ctx.request().path().startsWith("/v1/messages")) {
      ErrorResponses.useDialect(ctx, ErrorResponses.Dialect.ANTHROPIC);
    }
    ctx.fail(GatewayError.INVALID_VALUE.exception("The query parameter '" + broken + "' has a broken percent-escape "
        + "(a '%' must be followed by two hexadecimal digits; write a literal '%' as %25).", broken));
  }

  /** The name (as far as it can be read) of the first parameter whose name or value does not decode; null if none. */
  static String brokenParameter(String query) {
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      if (!decodes(name)) {
        return printable(name);
      }
      if (!decodes(value)) {
        return name;
      }
    }
    return null;
  }

  private static boolean decodes(String component) {
    try {
      QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A name that itself does not decode, shown without its escapes' bytes (at most 64 characters). */
  private static String printable(String name) {
    String shown = name.replaceAll("[^A-Za-z0-9_.\\-\\[\\]]", "?");
    return shown.length() > 64 ? shown.substring(0, 64) : shown;
  }
}
