package gateway.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Opens the Postgres schema a module owns: runs that module's Flyway migrations
 * ({@code classpath:db/<schema>}, history kept inside the schema) on a worker thread,
 * then builds the connection pool. Each module owns one schema; no module touches another's.
 */
public final class PgDatabase {
  private PgDatabase() {
  }

  public static Future<Pool> open(Vertx vertx, GatewayConfig config, String schema) {
    PgUrl url = PgUrl.parse(config.pgUrl());
    return vertx.executeBlocking(() -> migrate(url, schema)).map(ignored -> pool(vertx, config, schema, Map.of()));
  }

  /**
   * A further pool on the same database whose sessions start with the given settings
   * (sent in the startup message, e.g. {@code synchronous_commit=off}).
   */
  public static Pool pool(Vertx vertx, GatewayConfig config, String name, Map<String, String> sessionSettings) {
    PgConnectOptions options = connectOptions(PgUrl.parse(config.pgUrl()));
    sessionSettings.forEach(options::addProperty);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.pgPoolSize()).setName("pg-" + name).setShared(true))
        .connectingTo(options)
        .using(vertx)
        .build();
  }

  private static Void migrate(PgUrl url, String schema) {
    Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .schemas(schema)
        .locations("classpath:db/" + schema)
        // A session lock, not one held in an open transaction: CREATE INDEX CONCURRENTLY waits for every
        // open transaction to end, so under the transactional lock it would wait for Flyway itself.
        .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
        .load()
        .migrate();
    return null;
  }

  private static PgConnectOptions connectOptions(PgUrl url) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPipeliningLimit(256)
        .setCachePreparedStatements(true);
    if (url.sslMode() != null) {
      // libpq semantics: require encrypts without checking the certificate; verify-* check it
      // against the JVM's trust store.
      options.setSslMode(SslMode.of(url.sslMode()));
      if (options.getSslMode() == SslMode.REQUIRE) {
        options.setSslOptions(new ClientSSLOptions().setTrustAll(true));
      }
    }
    return url.password() == null ? options : options.setPassword(url.password());
  }
}
