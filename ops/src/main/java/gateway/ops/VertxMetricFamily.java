package gateway.ops;

import io.vertx.micrometer.MetricsDomain;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Vert.x's own meter families. Each costs meter lookups on every request, response or message it
 * counts; the gateway's own meters already count answers by status ({@code gateway_http_responses_total}),
 * upstream attempts ({@code gateway_upstream_attempts_total}) and bus round trips
 * ({@code gateway_bus_reply_seconds}), so by default only the pools and verticles are kept. The benchmark
 * showed the client and event-bus families at about 4 % of the router's CPU and the HTTP server's at 13 %.
 */
public enum VertxMetricFamily {
  HTTP_SERVER(MetricsDomain.HTTP_SERVER),
  HTTP_CLIENT(MetricsDomain.HTTP_CLIENT),
  NET(MetricsDomain.NET_SERVER, MetricsDomain.NET_CLIENT),
  EVENT_BUS(MetricsDomain.EVENT_BUS),
  POOLS(MetricsDomain.NAMED_POOLS),
  VERTICLES(MetricsDomain.VERTICLES);

  static final Set<VertxMetricFamily> DEFAULT = EnumSet.of(POOLS, VERTICLES);

  private final MetricsDomain[] domains;

  VertxMetricFamily(MetricsDomain... domains) {
    this.domains = domains;
  }

  /** Comma-separated names ({@code http_server,http_client,net,event_bus,pools,verticles}), {@code all} or {@code none}. */
  public static Set<VertxMetricFamily> parseList(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    String list = value.trim().toLowerCase(Locale.ROOT);
    if (list.equals("all")) {
      return EnumSet.allOf(VertxMetricFamily.class);
    }
    EnumSet<VertxMetricFamily> families = EnumSet.noneOf(VertxMetricFamily.class);
    if (list.equals("none")) {
      return families;
    }
    for (String name : list.split(",")) {
      try {
        families.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("GATEWAY_VERTX_METRICS: unknown family '" + name.trim()
            + "' (known: http_server, http_client, net, event_bus, pools, verticles, all, none)");
      }
    }
    return families;
  }

  /** The Vert.x metric categories to switch off when only {@code kept} are wanted. */
  public static Set<String> disabledCategories(Set<VertxMetricFamily> kept) {
    Set<String> off = new java.util.HashSet<>();
    for (VertxMetricFamily family : values()) {
      if (!kept.contains(family)) {
        for (MetricsDomain domain : family.domains) {
          off.add(domain.toCategory());
        }
      }
    }
    return off;
  }
}
