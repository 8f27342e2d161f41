package gateway.router.media;

/**
 * Where an upstream video job stands, across providers: OpenAI {@code queued | in_progress | completed | failed};
 * DashScope {@code PENDING | RUNNING | SUCCEEDED | FAILED | CANCELED | UNKNOWN}; Veo's operation {@code done} or
 * not, with a {@code response} or an {@code error}.
 */
public enum VideoJobStatus {
  QUEUED(false),
  RUNNING(false),
  SUCCEEDED(true),
  FAILED(true),
  CANCELED(true),
  /** The upstream does not know the job (DashScope: expired after 24 hours, or never existed). */
  UNKNOWN(false);

  private final boolean terminal;

  VideoJobStatus(boolean terminal) {
    this.terminal = terminal;
  }

  /** An end the job will not leave: success, failure or cancel. */
  public boolean isTerminal() {
    return terminal;
  }
}
