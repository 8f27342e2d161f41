package gateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PgUrlTest {
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
