package gateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  @Test
  @DisplayName("an empty environment gives the documented defaults: port 8080, ./data, every role, no cluster")
  void defaults() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of());
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo("./data");
    assertThat(config.roles()).isEqualTo(EnumSet.allOf(Role.class));
    assertThat(config.cluster()).isFalse();
    assertThat(config.pgUrl()).isNull();
    assertThat(config.redisUrl()).isNull();
  }

  @Test
  @DisplayName("variables are read and survive the JSON round trip to a verticle")
  void readsAndRoundTrips() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of(
        "GATEWAY_HTTP_PORT", "9090",
        "GATEWAY_ROLES", "router, billing",
        "GATEWAY_CLUSTER", "true",
        "GATEWAY_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
        "GATEWAY_PG_URL", "postgresql://u:p@db:5432/gw"));
    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.roles()).containsExactlyInAnyOrder(Role.ROUTER, Role.BILLING);
    assertThat(config.clusterMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(GatewayConfig.fromJson(config.toJson())).isEqualTo(config);
  }

  @Test
  @DisplayName("the edge's timeouts, caps and count_tokens bounds are read, round-trip, and refuse nonsense")
  void edgeSettings() {
    GatewayConfig config = GatewayConfig.fromEnv(Map.of(
        "GATEWAY_HEADER_TIMEOUT_SECONDS", "5",
        "GATEWAY_BODY_TIMEOUT_SECONDS", "30",
        "GATEWAY_KEEP_ALIVE_TIMEOUT_SECONDS", "15",
        "GATEWAY_MAX_CONNECTIONS", "2000",
        "GATEWAY_MAX_BODY_BYTES_IN_FLIGHT", "104857600",
        "GATEWAY_COUNT_TOKENS_MAX_BODY_BYTES", "1048576",
        "GATEWAY_COUNT_TOKENS_PER_MINUTE", "60",
        "GATEWAY_HTTP2_CLEARTEXT", "true"));
    assertThat(config.headerTimeoutSeconds()).isEqualTo(5);
    assertThat(config.bodyTimeoutSeconds()).isEqualTo(30);
    assertThat(config.keepAliveTimeoutSeconds()).isEqualTo(15);
    assertThat(config.maxConnections()).isEqualTo(2000);
    assertThat(config.maxBodyBytesInFlight()).isEqualTo(104_857_600L);
    assertThat(config.countTokensMaxBodyBytes()).isEqualTo(1_048_576L);
    assertThat(config.countTokensPerMinute()).isEqualTo(60);
    assertThat(config.http2Cleartext()).isTrue();
    assertThat(GatewayConfig.fromJson(config.toJson())).isEqualTo(config);
    assertThat(GatewayConfig.defaults().http2Cleartext()).isFalse();
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
  @DisplayName("a Postgres URL gives its JDBC form and credentials, and hides the password when printed")
  void pgUrl() {
    PgUrl url = PgUrl.parse("postgresql://gw:s%40cret@db.internal:6543/ledger");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/ledger");
    assertThat(url.user()).isEqualTo("gw");
    assertThat(url.password()).isEqualTo("s@cret");
    assertThat(url.toString()).doesNotContain("cret");
    assertThat(PgUrl.parse("postgresql://127.0.0.1/test?user=root").user()).isEqualTo("root");
  }

  @Test
  @DisplayName("sslmode in the Postgres URL reaches both the pool and Flyway's JDBC URL")
  void pgUrlSslMode() {
    PgUrl url = PgUrl.parse("postgresql://gw:pw@db.example.com:5432/ledger?sslmode=require");
    assertThat(url.sslMode()).isEqualTo("require");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/ledger?sslmode=require");
    assertThat(PgUrl.parse(url.url())).isEqualTo(url);
  }
}
