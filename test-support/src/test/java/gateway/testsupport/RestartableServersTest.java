package gateway.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.common.PgUrl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Restartable Postgres and Redis: down means refused, back means the same port (and data, for Postgres)")
class RestartableServersTest {

  @Test
  @DisplayName("Postgres stopped refuses connections; started again on the same port it has the committed rows")
  void postgres() throws Exception {
    try (RestartablePostgres postgres = RestartablePostgres.start()) {
      PgUrl url = PgUrl.parse(postgres.freshDatabase());
      execute(url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
      postgres.stop();
      assertThat(postgres.isRunning()).isFalse();
      assertThatThrownBy(() -> execute(url, "SELECT 1")).isInstanceOf(SQLException.class);
      postgres.startAgain();
      try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
           Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
      assertThat(url.port()).isEqualTo(postgres.port());
    }
  }

  @Test
  @DisplayName("Redis stopped refuses connections; started again on the same port it answers, empty")
  void redis() throws Exception {
    try (RestartableRedis redis = RestartableRedis.start()) {
      int port = Integer.parseInt(redis.url().substring(redis.url().lastIndexOf(':') + 1));
      assertThat(command(port, "SET k v")).startsWith("+OK");
      assertThat(redis.keyCount()).isEqualTo(1);
      redis.stop();
      assertThatThrownBy(() -> command(port, "PING")).isInstanceOf(IOException.class);
      redis.startAgain();
      assertThat(command(port, "PING")).startsWith("+PONG");
      assertThat(command(port, "GET k")).startsWith("$-1");
      assertThat(redis.keyCount()).isZero();
    }
  }

  private static void execute(PgUrl url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** One inline Redis command, its first reply line. */
  private static String command(int port, String command) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        line.append((char) b);
      }
      return line.toString();
    }
  }
}
