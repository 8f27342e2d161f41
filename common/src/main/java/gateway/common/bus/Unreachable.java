package gateway.common.bus;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure to reach a service's database from any other failure: the connection was refused, reset,
 * lost or timed out (any I/O failure of the transport), or Postgres said it is shutting down, starting up or
 * not accepting connections (SQLSTATE class 08, {@code 57P01}-{@code 57P03}). Such a failure is temporary and
 * no fault of the request.
 */
final class Unreachable {
  private static final int MAX_CAUSES = 8;

  private Unreachable() {
  }

  static boolean isUnreachable(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
      if (cause instanceof IOException || cause instanceof ClosedConnectionException
          || cause instanceof TimeoutException
          || cause.getClass().getSimpleName().contains("TimeoutException")) {
        return true;
      }
      if (cause instanceof PgException pg && pg.getSqlState() != null
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }
}
