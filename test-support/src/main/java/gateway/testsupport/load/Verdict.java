package gateway.testsupport.load;

/** How one request of a load ended, as its client saw it. */
public enum Verdict {
  /** A whole answer of the protocol: a completion, or a stream that reached its terminating event. */
  COMPLETE,
  /** An error the client can read: a 4xx/5xx with the protocol's error body, or a stream ending in an error event. */
  CLEAN_ERROR,
  /** The client left mid-stream on purpose ({@link Call#hangUpAfterEvents()}). */
  HUNG_UP,
  /** Anything else: no answer in time, a broken connection, a body that is neither answer nor error. */
  BROKEN
}
