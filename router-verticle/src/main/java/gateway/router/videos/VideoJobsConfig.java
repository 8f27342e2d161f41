package gateway.router.videos;

import gateway.common.PgSettings;
import gateway.common.config.Env;

/**
 * How the router keeps and polls video jobs (the README's configuration table names each variable).
 *
 * @param pg                  the database holding the {@code videos} schema ({@code GATEWAY_PG_URL})
 * @param pollIntervalMs      {@code GATEWAY_VIDEO_POLL_INTERVAL_MS}: the first wait between two status polls of a job
 * @param pollMaxIntervalMs   {@code GATEWAY_VIDEO_POLL_MAX_INTERVAL_MS}: the wait doubles per poll up to this
 * @param tickMs              {@code GATEWAY_VIDEO_POLLER_TICK_MS}: how often a router looks for jobs that are due
 * @param leaseSeconds        {@code GATEWAY_VIDEO_LEASE_SECONDS}: how long a router's claim on a job lasts; another
 *                            router takes the job over once it lapsed (its poller died)
 * @param jobTimeoutSeconds   {@code GATEWAY_VIDEO_JOB_TIMEOUT_SECONDS}: a job the upstream has not finished by then
 *                            is failed and its hold released
 * @param batch               jobs a router claims per tick
 */
public record VideoJobsConfig(PgSettings pg, long pollIntervalMs, long pollMaxIntervalMs, long tickMs,
                              long leaseSeconds, long jobTimeoutSeconds, int batch) {

  /** The hold outlives the job's deadline by this, so a job finishing at its deadline still settles against it. */
  static final long HOLD_MARGIN_SECONDS = 900;

  public VideoJobsConfig {
    if (pollIntervalMs < 1 || pollMaxIntervalMs < pollIntervalMs || tickMs < 1 || leaseSeconds < 1
        || jobTimeoutSeconds < 1 || batch < 1) {
      throw new IllegalArgumentException("GATEWAY_VIDEO_POLL_INTERVAL_MS, GATEWAY_VIDEO_POLLER_TICK_MS, "
          + "GATEWAY_VIDEO_LEASE_SECONDS and GATEWAY_VIDEO_JOB_TIMEOUT_SECONDS must be positive, "
          + "GATEWAY_VIDEO_POLL_MAX_INTERVAL_MS at least the poll interval");
    }
  }

  public static VideoJobsConfig fromEnv(Env env) {
    return new VideoJobsConfig(PgSettings.fromEnv(env),
        env.integer("GATEWAY_VIDEO_POLL_INTERVAL_MS", 5_000),
        env.integer("GATEWAY_VIDEO_POLL_MAX_INTERVAL_MS", 60_000),
        env.integer("GATEWAY_VIDEO_POLLER_TICK_MS", 1_000),
        env.integer("GATEWAY_VIDEO_LEASE_SECONDS", 120),
        env.integer("GATEWAY_VIDEO_JOB_TIMEOUT_SECONDS", 3_600),
        20);
  }

  /** The life of a job's hold: its deadline and a margin for the last poll, the copy and the settle. */
  long holdLifeSeconds() {
    return jobTimeoutSeconds + HOLD_MARGIN_SECONDS;
  }

  /** The wait before poll number {@code polls + 1}: doubling from the interval up to the maximum. */
  long backoffMs(int polls) {
    long wait = pollIntervalMs;
    for (int i = 0; i < polls && wait < pollMaxIntervalMs; i++) {
      wait *= 2;
    }
    return Math.min(wait, pollMaxIntervalMs);
  }
}
