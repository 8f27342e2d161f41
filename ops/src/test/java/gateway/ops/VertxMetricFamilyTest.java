package gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.micrometer.MetricsDomain;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VertxMetricFamilyTest {

  @Test
  void defaultKeepsThePoolsAndDropsTheHotPathFamilies() {
    Set<VertxMetricFamily> kept = VertxMetricFamily.parseList(null);
    assertEquals(EnumSet.of(VertxMetricFamily.POOLS, VertxMetricFamily.VERTICLES), kept);
    assertEquals(Set.of(MetricsDomain.HTTP_SERVER.toCategory(), MetricsDomain.HTTP_CLIENT.toCategory(),
        MetricsDomain.EVENT_BUS.toCategory(),
        MetricsDomain.NET_SERVER.toCategory(), MetricsDomain.NET_CLIENT.toCategory()),
        VertxMetricFamily.disabledCategories(kept));
  }

  @Test
  void listsAllAndNone() {
    assertEquals(EnumSet.of(VertxMetricFamily.HTTP_CLIENT, VertxMetricFamily.EVENT_BUS),
        VertxMetricFamily.parseList(" http_client , EVENT_BUS "));
    assertTrue(VertxMetricFamily.disabledCategories(VertxMetricFamily.parseList("all")).isEmpty());
    assertEquals(VertxMetricFamily.disabledCategories(EnumSet.noneOf(VertxMetricFamily.class)),
        VertxMetricFamily.disabledCategories(VertxMetricFamily.parseList("none")));
  }

  @Test
  void unknownFamilyNamesTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VertxMetricFamily.parseList("http_server,bogus"));
    assertTrue(e.getMessage().startsWith("GATEWAY_VERTX_METRICS: unknown family 'bogus'"), e.getMessage());
  }
}
