package gateway.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.Role;
import gateway.common.bus.RateLimits;
import gateway.router.RouterConfig;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Moved from {@code common} with the configuration: the same assertions, on the records that hold each setting now. */
class GatewayConfigTest {
  @Test
  @DisplayName("an empty environment gives the documented defaults: port 8080, ./data, every role, no cluster")
  void defaults() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of());
    assertThat(config.process().httpPort()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo("./data");
    assertThat(config.process().roles()).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.pg().url()).isNull();
    assertThat(config.router().redisUrl()).isNull();
  }

  @Test
  @DisplayName("variables are read and reach the record of every module that uses them")
  void readsAndReachesEachModule() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of(
        "GATEWAY_HTTP_PORT", "9090",
        "GATEWAY_ROLES", "router, billing",
        "GATEWAY_CLUSTER", "true",
        "GATEWAY_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
        "GATEWAY_PG_URL", "postgresql://u:p@db:5432/gw",
        "GATEWAY_HOLD_MAX_AGE_SECONDS", "600"));
    assertThat(config.process().httpPort()).isEqualTo(9090);
    assertThat(config.process().roles()).containsExactlyInAnyOrder(Role.ROUTER, Role.BILLING);
    assertThat(config.cluster().members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(config.router().process()).isEqualTo(config.process());
    assertThat(config.billing().pg()).isEqualTo(config.pg()).isEqualTo(config.auth().pg())
        .isEqualTo(config.catalog().pg());
    assertThat(config.pg().url()).isEqualTo("postgresql://u:p@db:5432/gw");
    assertThat(config.billing().holds()).isEqualTo(config.router().holds());
    assertThat(config.router().requestLifeMs()).isEqualTo(480_000);
  }

  @Test
  @DisplayName("the edge's timeouts, caps and count_tokens bounds are read and refuse nonsense")
  void edgeSettings() {
    RouterConfig config = GatewayConfig.fromEnv(Map.of(
        "GATEWAY_HEADER_TIMEOUT_SECONDS", "5",
        "GATEWAY_BODY_TIMEOUT_SECONDS", "30",
        "GATEWAY_KEEP_ALIVE_TIMEOUT_SECONDS", "15",
        "GATEWAY_MAX_CONNECTIONS", "2000",
        "GATEWAY_MAX_BODY_BYTES_IN_FLIGHT", "104857600",
        "GATEWAY_COUNT_TOKENS_MAX_BODY_BYTES", "1048576",
        "GATEWAY_COUNT_TOKENS_PER_MINUTE", "60",
        "GATEWAY_HTTP2_CLEARTEXT", "true")).router();
    assertThat(config.headerTimeoutSeconds()).isEqualTo(5);
    assertThat(config.bodyTimeoutSeconds()).isEqualTo(30);
    assertThat(config.keepAliveTimeoutSeconds()).isEqualTo(15);
    assertThat(config.maxConnections()).isEqualTo(2000);
    assertThat(config.maxBodyBytesInFlight()).isEqualTo(104_857_600L);
    assertThat(config.countTokensMaxBodyBytes()).isEqualTo(1_048_576L);
    assertThat(config.countTokensPerMinute()).isEqualTo(60);
    assertThat(config.http2Cleartext()).isTrue();
    assertThat(GatewayConfig.defaults().router().http2Cleartext()).isFalse();
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_HEADER_TIMEOUT_SECONDS", "0")))
        .hasMessageContaining("GATEWAY_HEADER_TIMEOUT_SECONDS");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_MAX_BODY_BYTES_IN_FLIGHT", "1000")))
        .hasMessageContaining("GATEWAY_MAX_BODY_BYTES_IN_FLIGHT");
  }

  @Test
  @DisplayName("a malformed variable is an error naming it")
  void malformedVariablesAreNamed() {
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_HTTP_PORT", "eighty")))
        .hasMessageContaining("GATEWAY_HTTP_PORT");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_ROLES", "router,cashier")))
        .hasMessageContaining("cashier");
  }

  @Test
  @DisplayName("failure modes and discovery are enums read from their documented words, anything else refused by name")
  void modesAreEnums() {
    assertThat(GatewayConfig.defaults().router().rateLimitRedisFailure()).isEqualTo(RouterConfig.RedisFailure.ALLOW);
    assertThat(GatewayConfig.fromEnv(Map.of("GATEWAY_RATE_LIMIT_REDIS_FAILURE", "deny")).router()
        .rateLimitRedisFailure()).isEqualTo(RouterConfig.RedisFailure.DENY);
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_RATE_LIMIT_REDIS_FAILURE", "maybe")))
        .hasMessageContaining("GATEWAY_RATE_LIMIT_REDIS_FAILURE must be allow or deny");
    assertThat(GatewayConfig.defaults().cluster().discovery()).isEqualTo(ClusterConfig.Discovery.TCP);
    assertThat(GatewayConfig.fromEnv(Map.of("GATEWAY_CLUSTER_DISCOVERY", "kubernetes")).cluster().discovery())
        .isEqualTo(ClusterConfig.Discovery.KUBERNETES);
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_CLUSTER_DISCOVERY", "consul")))
        .hasMessageContaining("GATEWAY_CLUSTER_DISCOVERY");
    assertThat(GatewayConfig.fromEnv(Map.of("GATEWAY_KEY_LIMITS", "rpm=60,concurrency=2")).router().keyLimits())
        .isEqualTo(new RateLimits(60, null, null, null, 2));
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_KEY_LIMITS", "rpm=lots")))
        .hasMessageContaining("GATEWAY_KEY_LIMITS");
  }

  @Test
  @DisplayName("the launcher migrates exactly the schemas of the roles its process runs")
  void schemasOfTheRoles() {
    assertThat(Gateway.schemas(GatewayConfig.defaults())).containsExactly("catalog", "auth", "billing", "videos");
    assertThat(Gateway.schemas(GatewayConfig.fromEnv(Map.of("GATEWAY_ROLES", "router")))).containsExactly("videos");
    assertThat(Gateway.schemas(GatewayConfig.fromEnv(Map.of("GATEWAY_ROLES", "billing,router"))))
        .containsExactly("billing", "videos");
  }
}
