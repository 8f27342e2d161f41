package gateway.router.edge;

import gateway.common.GatewayError;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Answers a known path called with a method it does not serve with 405 and an {@code Allow} header, before any key
 * or token is checked: which methods a path takes is no secret, and "not found" would send a client looking for a
 * typo. The known paths and their methods are read from the router's own routes, so a route added later is covered
 * without touching this class.
 */
public final class MethodGate {
  private final List<Served> served;
  /** The methods of each path without parameters, looked up before the patterns are tried (most calls hit one). */
  private final Map<String, Set<HttpMethod>> literal;

  private record Served(Pattern path, Set<HttpMethod> methods) {
  }

  private MethodGate(List<Served> served, Map<String, Set<HttpMethod>> literal) {
    this.served = served;
    this.literal = literal;
  }

  /**
   * Call once every route of {@code router} is mounted: puts the gate in front of every route of default order (a
   * route given an order below -1 runs before it).
   */
  public static void install(Router router) {
    List<Served> served = new ArrayList<>();
    Map<String, Set<HttpMethod>> literal = new HashMap<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.methods() != null && !route.methods().isEmpty()) {
        served.add(new Served(pattern(route.getPath()), route.methods()));
        if (!route.getPath().contains(":")) {
          literal.computeIfAbsent(route.getPath(), p -> new HashSet<>()).addAll(route.methods());
        }
      }
    }
    MethodGate gate = new MethodGate(List.copyOf(served), Map.copyOf(literal));
    router.route().order(-1).handler(gate::check);
  }

  private void check(RoutingContext ctx) {
    String path = relativePath(ctx);
    Set<HttpMethod> known = literal.get(path);
    if (known != null && known.contains(ctx.request().method())) {
      ctx.next(); // what the walk below would find too: a route of this path serves the method
      return;
    }
    Set<String> allowed = new TreeSet<>();
    for (Served s : served) {
      if (s.path().matcher(path).matches()) {
        if (s.methods().contains(ctx.request().method())) {
          ctx.next();
          return;
        }
        s.methods().forEach(m -> allowed.add(m.name()));
      }
    }
    if (allowed.isEmpty()) {
      ctx.next(); // an unknown path: the 404 further on
      return;
    }
    String allow = String.join(", ", allowed);
    ctx.response().putHeader("allow", allow);
    ctx.fail(GatewayError.METHOD_NOT_ALLOWED.exception(
        ctx.request().method().name() + " is not allowed on " + ctx.request().path() + "; use " + allow + "."));
  }

  private static String relativePath(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String mount = ctx.mountPoint();
    if (mount != null && !mount.equals("/") && path.startsWith(mount)) {
      path = path.substring(mount.endsWith("/") ? mount.length() - 1 : mount.length());
    }
    return path;
  }

  /** vertx-web's path syntax ({@code /keys/:id}) as a regular expression; a trailing slash is allowed. */
  private static Pattern pattern(String path) {
    StringBuilder regex = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (!regex.isEmpty() || !segment.isEmpty()) {
        regex.append('/');
      }
      regex.append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(regex.append("/?").toString());
  }
}
