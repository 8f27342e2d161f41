package gateway.testsupport;

import gateway.common.config.Env;
import gateway.common.PgUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * The real Postgres and Redis every test runs on: the servers named by
 * {@code GATEWAY_PG_URL} / {@code GATEWAY_REDIS_URL} when set (CI sets them), else embedded
 * ones started once per test JVM. Each test gets a database of its own, dropped at exit.
 */
public final class TestServices {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  private static EmbeddedPostgres embeddedPostgres;
  private static RedisServer embeddedRedis;
  private static String postgresServerUrl;
  private static String redisUrl;
  private static final List<String> CREATED_DATABASES = new ArrayList<>();

  private TestServices() {
  }

  /**
   * A gateway environment on a fresh database, the test Redis under a key prefix of its own (so
   * test runs sharing one Redis never see each other's limits), a free port and a known admin token;
   * each module's config record reads its part ({@code BillingConfig.fromEnv(env)}, ...). The
   * database is empty: whoever deploys verticles on it migrates their schemas first
   * ({@code PgDatabase.migrate}), as the launcher does.
   */
  public static Env env() {
    return Env.empty()
        .with("GATEWAY_PG_URL", freshDatabase())
        .with("GATEWAY_REDIS_URL", redisUrl())
        .with("GATEWAY_REDIS_PREFIX", "gwt" + UUID.randomUUID().toString().substring(0, 8))
        .with("GATEWAY_ADMIN_TOKEN", ADMIN_TOKEN)
        .with("GATEWAY_HTTP_PORT", freePort())
        .with("GATEWAY_METRICS_PORT", freePort())
        .with("GATEWAY_HTTP_HOST", "127.0.0.1")
        .with("GATEWAY_PG_POOL_SIZE", 4)
        // stored media of each test under target/, never in the module's ./data
        .with("GATEWAY_MEDIA_DIR", java.nio.file.Path.of("target", "test-media", UUID.randomUUID().toString())
            .toAbsolutePath().toString());
  }

  /** Creates an empty database on the test server and returns its URL. */
  public static synchronized String freshDatabase() {
    PgUrl server = PgUrl.parse(postgresServerUrl());
    String name = "gw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    execute(server, "CREATE DATABASE " + name);
    CREATED_DATABASES.add(name);
    return new PgUrl(server.host(), server.port(), name, server.user(), server.password()).url();
  }

  public static synchronized String postgresServerUrl() {
    if (postgresServerUrl == null) {
      String fromEnv = System.getenv("GATEWAY_PG_URL");
      postgresServerUrl = fromEnv != null && !fromEnv.isBlank() ? fromEnv : startEmbeddedPostgres();
      Runtime.getRuntime().addShutdownHook(new Thread(TestServices::dropDatabases, "drop-test-databases"));
    }
    return postgresServerUrl;
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      String fromEnv = System.getenv("GATEWAY_REDIS_URL");
      redisUrl = fromEnv != null && !fromEnv.isBlank() ? fromEnv : startEmbeddedRedis();
    }
    return redisUrl;
  }

  /** A TCP port free right now on 127.0.0.1. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String startEmbeddedPostgres() {
    try {
      embeddedPostgres = EmbeddedPostgres.builder().start();
      return "postgresql://postgres@127.0.0.1:" + embeddedPostgres.getPort() + "/postgres";
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Postgres; set GATEWAY_PG_URL to a server instead", e);
    }
  }

  private static String startEmbeddedRedis() {
    try {
      int port = freePort();
      embeddedRedis = RedisServer.newRedisServer().bind("127.0.0.1").port(port).build();
      embeddedRedis.start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopRedis, "stop-embedded-redis"));
      return "redis://127.0.0.1:" + port;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Redis; set GATEWAY_REDIS_URL to a server instead", e);
    }
  }

  private static void stopRedis() {
    try {
      embeddedRedis.stop();
    } catch (IOException e) {
      // the JVM is exiting; the process dies with it
    }
  }

  /** One connection for all of them: a connection per database made the JVM's exit outlast Surefire's patience. */
  private static synchronized void dropDatabases() {
    if (embeddedPostgres != null || CREATED_DATABASES.isEmpty()) {
      return; // the embedded server and its data go away with the JVM
    }
    PgUrl server = PgUrl.parse(postgresServerUrl);
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
         Statement s = c.createStatement()) {
      for (String name : CREATED_DATABASES) {
        try {
          s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
          // best effort: a leftover test database harms nothing
        }
      }
    } catch (SQLException e) {
      // the server is gone: nothing to drop
    }
  }

  private static void execute(PgUrl server, String sql) {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
         Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + server, e);
    }
  }
}
