package gateway.router.media;

import gateway.router.provider.UpstreamError;

/**
 * One observation of an upstream video job.
 *
 * @param upstreamJobId the upstream's id (OpenAI {@code video_…}, DashScope {@code task_id}, Veo's operation
 *                      {@code name})
 * @param status        where it stands
 * @param progress      percent done when the upstream says (OpenAI), else null
 * @param seconds       the duration the upstream reports for the finished video (DashScope
 *                      {@code usage.video_duration}, OpenAI {@code seconds} once completed), else null (Veo
 *                      reports none)
 * @param videoUrl      where the finished file is fetched from once {@link VideoJobStatus#SUCCEEDED} (DashScope's
 *                      signed {@code video_url}; OpenAI's {@code /videos/{id}/content} and Veo's sample
 *                      {@code uri}, which need the channel key), else null
 * @param error         why the job failed or was canceled, else null
 */
public record VideoJobState(String upstreamJobId, VideoJobStatus status, Integer progress, Integer seconds,
                            String videoUrl, UpstreamError error) {

  /**
   * The seconds to charge for a successful job whose hold covered {@code heldSeconds}: what the upstream reports
   * delivering when it reports it, never more than was held; the held seconds when it reports nothing.
   */
  public int billableSeconds(int heldSeconds) {
    if (seconds == null || seconds < 0) {
      return heldSeconds;
    }
    return Math.min(seconds, heldSeconds);
  }
}
