package gateway.testsupport.fake;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One asynchronous video job as the fake keeps it for its lifetime: what was asked, the behavior fixed at
 * creation, and how often its status was polled. Its phase follows from the polls (or the time) so far.
 */
final class VideoJob {

  enum Phase { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELED }

  /** One observation of the job. */
  record Status(Phase phase, int progress, long completedAtSeconds) {
    boolean ended() {
      return phase == Phase.SUCCEEDED || phase == Phase.FAILED || phase == Phase.CANCELED;
    }
  }

  private static final int STALLED_PROGRESS = 42;

  final String id;
  final String protocol;
  final String model;
  final String prompt;
  final int requestedSeconds;
  final String size;
  final Behavior behavior;
  final long createdAtMillis;
  private final AtomicInteger polls = new AtomicInteger();
  private volatile long completedAtMillis;
  private volatile String fileUrl;

  VideoJob(String id, String protocol, String model, String prompt, int requestedSeconds, String size,
           Behavior behavior) {
    this.id = id;
    this.protocol = protocol;
    this.model = model;
    this.prompt = prompt;
    this.requestedSeconds = requestedSeconds;
    this.size = size;
    this.behavior = behavior;
    this.createdAtMillis = System.currentTimeMillis();
  }

  /** A status poll: counted, then observed. */
  Status poll() {
    return observe(polls.incrementAndGet());
  }

  /** The status now, without counting a poll (creation answer, content download). */
  Status peek() {
    return observe(polls.get());
  }

  int polls() {
    return polls.get();
  }

  /** The seconds the finished file lasts: the requested ones unless the behavior delivers others. */
  int deliveredSeconds() {
    return behavior.deliveredSeconds != null ? behavior.deliveredSeconds : requestedSeconds;
  }

  /** The finished file's bytes: its MP4, or the broken body the behavior serves instead. */
  byte[] fileBytes() {
    return behavior.fileBody != null ? behavior.fileBody.clone() : FakeMediaFiles.mp4(deliveredSeconds());
  }

  String fileContentType() {
    return behavior.fileBody != null ? behavior.fileContentType : "video/mp4";
  }

  String fileUrl() {
    return fileUrl;
  }

  void fileUrl(String url) {
    this.fileUrl = url;
  }

  long completedAtMillis() {
    return completedAtMillis;
  }

  private synchronized Status observe(int pollsSoFar) {
    if (behavior.jobEnd == Behavior.JobEnd.STALL) {
      return new Status(pollsSoFar == 0 ? Phase.QUEUED : Phase.RUNNING, pollsSoFar == 0 ? 0 : STALLED_PROGRESS, 0);
    }
    long elapsed = System.currentTimeMillis() - createdAtMillis;
    boolean ended = completedAtMillis != 0 || (behavior.timeToEnd != null
        ? elapsed >= behavior.timeToEnd.toMillis()
        : pollsSoFar >= behavior.pollsToEnd);
    if (!ended) {
      int progress = behavior.timeToEnd != null
          ? (int) Math.min(99, 100 * elapsed / Math.max(1, behavior.timeToEnd.toMillis()))
          : Math.min(99, 100 * pollsSoFar / behavior.pollsToEnd);
      return new Status(pollsSoFar == 0 ? Phase.QUEUED : Phase.RUNNING, progress, 0);
    }
    if (completedAtMillis == 0) {
      completedAtMillis = System.currentTimeMillis();
    }
    Phase end = switch (behavior.jobEnd) {
      case FAIL -> Phase.FAILED;
      case CANCEL -> Phase.CANCELED;
      default -> Phase.SUCCEEDED;
    };
    return new Status(end, end == Phase.SUCCEEDED ? 100 : 0, completedAtMillis / 1000);
  }
}
