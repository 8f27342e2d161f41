package gateway.common.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UnreachableTest {

  @Test
  @DisplayName("a refused, lost or timed-out database connection, or a Postgres shutting down, is unreachable")
  void unreachable() {
    assertThat(Unreachable.isUnreachable(new ConnectException("Connection refused"))).isTrue();
    assertThat(Unreachable.isUnreachable(new RuntimeException(new ConnectException("refused")))).isTrue();
    assertThat(Unreachable.isUnreachable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(Unreachable.isUnreachable(new java.net.SocketException("Connection reset"))).isTrue();
    assertThat(Unreachable.isUnreachable(new TimeoutException("pool"))).isTrue();
    assertThat(Unreachable.isUnreachable(new PgException("terminating connection due to administrator command",
        "FATAL", "57P01", null))).isTrue();
    assertThat(Unreachable.isUnreachable(new PgException("the database system is starting up", "FATAL", "57P03",
        null))).isTrue();
    assertThat(Unreachable.isUnreachable(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
  }

  @Test
  @DisplayName("a failed statement or a bug is not: it stays a 500 and is logged as an error")
  void reachable() {
    assertThat(Unreachable.isUnreachable(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
    assertThat(Unreachable.isUnreachable(new PgException("invalid byte sequence", "ERROR", "22021", null)))
        .isFalse();
    assertThat(Unreachable.isUnreachable(new IllegalStateException("bug"))).isFalse();
  }
}
