package gateway.common;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A Postgres URL as {@code GATEWAY_PG_URL} gives it ({@code postgresql://user:pass@host:port/db},
 * optionally {@code ?sslmode=require|verify-ca|verify-full} as libpq reads it), and the JDBC
 * form Flyway needs.
 */
public record PgUrl(String host, int port, String database, String user, String password, String sslMode) {

  public PgUrl(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, null);
  }

  public static PgUrl parse(String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException("GATEWAY_PG_URL must start with postgresql://");
    }
    String user = null;
    String password = null;
    String sslMode = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String query = uri.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv.length == 2 && kv[0].equals("user")) {
          user = decode(kv[1]);
        } else if (kv.length == 2 && kv[0].equals("password")) {
          password = decode(kv[1]);
        } else if (kv.length == 2 && kv[0].equals("sslmode")) {
          sslMode = decode(kv[1]);
        }
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    return new PgUrl(uri.getHost() == null ? "localhost" : uri.getHost(),
        uri.getPort() < 0 ? 5432 : uri.getPort(),
        database.isEmpty() ? "postgres" : database,
        user == null ? "postgres" : user,
        password,
        sslMode);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + (sslMode == null ? "" : "?sslmode=" + sslMode);
  }

  /** The URL form, password included: for handing to a verticle, never for a log. */
  public String url() {
    String auth = password == null ? user : user + ":" + password;
    return "postgresql://" + auth + "@" + host + ":" + port + "/" + database
        + (sslMode == null ? "" : "?sslmode=" + sslMode);
  }

  /** Safe to log. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
