package gateway.router.exchange;

import gateway.common.money.Usage;
import gateway.router.provider.UpstreamError;

/**
 * How a relayed stream ended. Only {@link Kind#FAILED_BEFORE_CONTENT} leaves the client
 * untouched, so only it may fall back to another route.
 *
 * @param upstreamUsage what the provider reported, null if nothing
 * @param output        the text, tool arguments and reasoning the provider generated
 */
public record StreamEnd(Kind kind, Usage upstreamUsage, Priced priced, CharSequence output, UpstreamError error) {

  public enum Kind {
    /** The provider finished and the client got everything, usage chunk and [DONE] included. */
    COMPLETED,
    /** The client went away; the stream was read on for the provider's usage, then ended or cancelled. */
    CLIENT_GONE,
    /** The provider failed after content reached the client; the client got an error event. */
    CUT_AFTER_CONTENT,
    /** The provider failed before any content: nothing was sent to the client. */
    FAILED_BEFORE_CONTENT,
    /** The gateway itself failed translating or writing the stream (the client may have part of it). */
    GATEWAY_FAILED
  }
}
