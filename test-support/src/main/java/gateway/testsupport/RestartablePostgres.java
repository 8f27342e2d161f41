package gateway.testsupport;

import gateway.common.PgUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Postgres server of a test's own, which the test may stop and start again, for fault tests: the machine's
 * shared server must never be restarted under other test runs. Zonky's embedded server on a fixed port with a
 * data directory that is kept across restarts (so what was committed before a stop is there after the start);
 * {@link #close()} stops it and deletes the directory. Stopping is Postgres' "fast" shutdown: sessions are
 * ended, open transactions rolled back, committed ones kept.
 */
public final class RestartablePostgres implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestartablePostgres.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres running;

  private RestartablePostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** A new server on a free port, started, with an empty data directory under the system's temp directory. */
  public static RestartablePostgres start() {
    try {
      RestartablePostgres postgres = new RestartablePostgres(Files.createTempDirectory("gw-restartable-pg"),
          TestServices.freePort());
      postgres.startAgain();
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server on its port and data directory; it must be stopped. */
  public synchronized void startAgain() {
    if (running != null) {
      throw new IllegalStateException("Postgres is already running on port " + port);
    }
    try {
      running = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setPort(port)
          .setRegisterShutdownHook(false)
          .setPGStartupWait(STARTUP_WAIT)
          .start();
      LOG.info("restartable Postgres up on 127.0.0.1:{}", port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Postgres on port " + port, e);
    }
  }

  /** Stops the server (fast shutdown) and waits until it is down; its data stays. */
  public synchronized void stop() {
    if (running == null) {
      return;
    }
    try {
      running.close();
      LOG.info("restartable Postgres on 127.0.0.1:{} stopped", port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop Postgres on port " + port, e);
    } finally {
      running = null;
    }
  }

  public synchronized boolean isRunning() {
    return running != null;
  }

  public int port() {
    return port;
  }

  /** Creates an empty database on this server and returns its URL (the server must be running). */
  public String freshDatabase() {
    String name = "gw_fault_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT);
    PgUrl server = new PgUrl("127.0.0.1", port, "postgres", "postgres", null);
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " on port " + port, e);
    }
    return new PgUrl("127.0.0.1", port, name, "postgres", null).url();
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public synchronized void close() {
    stop();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}", dataDir, e);
    }
  }
}
