package gateway.router.sse;

/** One server-sent event: its {@code event:} type (null when absent) and its joined {@code data:} lines. */
public record SseEvent(String type, String data) {
}
