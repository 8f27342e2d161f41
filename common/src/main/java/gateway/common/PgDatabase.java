package gateway.common;

import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The Postgres schemas modules own. {@link #migrate} runs the modules' Flyway migrations
 * ({@code classpath:db/<schema>}, history kept inside the schema) once per process, before any
 * verticle deploys: the launcher does it, and so does every test that deploys verticles itself.
 * Verticles only open {@link #pool pools}. Each module owns one schema; no module touches another's.
 */
public final class PgDatabase {
  private PgDatabase() {
  }

  /** Brings each schema up to its latest migration. Blocking: call it off the event loop. */
  public static void migrate(PgSettings pg, List<String> schemas) {
    PgUrl url = PgUrl.parse(pg.url());
    for (String schema : schemas) {
      Flyway.configure()
          .dataSource(url.jdbcUrl(), url.user(), url.password())
          .schemas(schema)
          .locations("classpath:db/" + schema)
          // A session lock, not one held in an open transaction: CREATE INDEX CONCURRENTLY waits for every
          // open transaction to end, so under the transactional lock it would wait for Flyway itself.
          .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
          .load()
          .migrate();
    }
  }

  public static void migrate(PgSettings pg, String... schemas) {
    migrate(pg, List.of(schemas));
  }

  /** A module's pool on the database. */
  public static Pool pool(Vertx vertx, PgSettings pg, String name) {
    return pool(vertx, pg, name, Map.of());
  }

  /**
   * A pool whose sessions start with the given settings (sent in the startup message, e.g.
   * {@code synchronous_commit=off}).
   */
  public static Pool pool(Vertx vertx, PgSettings pg, String name, Map<String, String> sessionSettings) {
    PgConnectOptions options = connectOptions(PgUrl.parse(pg.url()));
    sessionSettings.forEach(options::addProperty);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(pg.poolSize()).setName("pg-" + name).setShared(true))
        .connectingTo(options)
        .using(vertx)
        .build();
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
