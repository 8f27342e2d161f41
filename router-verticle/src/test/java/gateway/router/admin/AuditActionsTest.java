package gateway.router.admin;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.config.Env;
import gateway.router.selfservice.SelfServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every route of the admin API has a name in the audit log; a new route without one fails here. */
@ExtendWith(VertxExtension.class)
class AuditActionsTest {
  @Test
  @DisplayName("every admin route maps to its own audit action, never 'unknown'")
  void everyRouteIsNamed(Vertx vertx) {
    Router admin = Router.router(vertx);
    new AdminApi(vertx.eventBus()).mount(admin);
    new UsersAdminApi(vertx.eventBus(), SelfServiceConfig.fromEnv(Env.empty()),
        new LinkDelivery(vertx, SelfServiceConfig.fromEnv(Env.empty()))).mount(admin);
    List<String> names = new ArrayList<>();
    Set<String> calls = new HashSet<>();
    for (Route route : admin.getRoutes()) {
      if (route.getPath() == null || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        String path = "/admin" + route.getPath().replaceAll(":[a-z]+", "7");
        String name = AuditActions.match(vertx.eventBus(), method.name(), path).name();
        assertThat(name).as(method + " " + path).isNotEqualTo("unknown");
        names.add(name);
        calls.add(method + " " + route.getPath());
      }
    }
    assertThat(calls).hasSizeGreaterThanOrEqualTo(29);
    assertThat(new HashSet<>(names)).as("one action per route").hasSize(names.size());
  }
}
