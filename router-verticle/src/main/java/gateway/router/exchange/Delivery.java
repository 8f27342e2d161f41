package gateway.router.exchange;

/** How the client wants its answer: whole, or as a stream of events. */
public enum Delivery {
  WHOLE,
  STREAMED
}
