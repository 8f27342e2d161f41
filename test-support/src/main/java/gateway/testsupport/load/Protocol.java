package gateway.testsupport.load;

/** The client API a call speaks, which decides what a complete answer and a clean error look like. */
public enum Protocol {
  /** {@code POST /v1/chat/completions}: OpenAI errors; streams end in {@code [DONE]} or an error chunk. */
  CHAT,
  /** {@code POST /v1/responses}: OpenAI errors; streams end in {@code response.completed} or an error event. */
  RESPONSES,
  /** {@code POST /v1/messages}: Anthropic errors; streams end in {@code message_stop} or an error event. */
  MESSAGES
}
