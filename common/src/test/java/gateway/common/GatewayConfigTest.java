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
  @DisplayName("self-service settings: closed sign-up and no sign-up voucher by default; read, checked and round-tripped")
  void selfServiceSettings() {
    SelfServiceConfig defaults = GatewayConfig.defaults().selfService();
    assertThat(defaults.signupOpen()).isFalse();
    assertThat(defaults.signupVoucherMicros()).isZero();
    assertThat(defaults.cookieSecure()).isFalse();
    assertThat(defaults.loginMaxFailures()).isEqualTo(10);
    GatewayConfig config = GatewayConfig.fromEnv(Map.of(
        "GATEWAY_SIGNUP", "open",
        "GATEWAY_SIGNUP_VOUCHER_CREDITS", "2.5",
        "GATEWAY_SIGNUP_VOUCHER_MODELS", "gpt-*, claude-*",
        "GATEWAY_SIGNUP_VOUCHER_DAYS", "14",
        "GATEWAY_COOKIE_SECURE", "true",
        "GATEWAY_LOGIN_MAX_FAILURES", "5",
        "GATEWAY_LINK_WEBHOOK_URL", "https://hooks.example.com/links"));
    SelfServiceConfig self = config.selfService();
    assertThat(self.signupOpen()).isTrue();
    assertThat(self.signupVoucherMicros()).isEqualTo(2_500_000);
    assertThat(self.signupVoucherModels()).containsExactly("gpt-*", "claude-*");
    assertThat(self.signupVoucherDays()).isEqualTo(14);
    assertThat(self.cookieSecure()).isTrue();
    assertThat(self.loginMaxFailures()).isEqualTo(5);
    assertThat(GatewayConfig.fromJson(config.toJson())).isEqualTo(config);
    assertThat(config.with("signup", "closed").selfService().signupOpen()).isFalse();
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_SIGNUP", "maybe")))
        .hasMessageContaining("GATEWAY_SIGNUP");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(Map.of("GATEWAY_SIGNUP_VOUCHER_CREDITS", "lots")))
        .hasMessageContaining("GATEWAY_SIGNUP_VOUCHER_CREDITS");
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
