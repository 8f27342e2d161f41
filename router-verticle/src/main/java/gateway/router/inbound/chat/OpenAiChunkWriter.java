package gateway.router.inbound.chat;

import gateway.router.exchange.ChunkWriter;
import gateway.router.exchange.Priced;
import gateway.common.money.Credits;
import gateway.router.edge.ErrorResponses;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.provider.chatshape.ScannedChunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI {@code chat.completion.chunk} stream to the client. The usage chunk the gateway
 * always asks upstream for is shown only to clients that set
 * {@code stream_options.include_usage}, and then carries the request's {@code cost} in credits.
 * Every chunk is named for the alias; a chunk read unparsed is otherwise written as it came.
 */
public final class OpenAiChunkWriter implements ChunkWriter {
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final HttpServerResponse out;
  private final String alias;
  private final String aliasJson;
  private final boolean wantsUsage;
  private String lastId;
  private Object lastCreated;
  private Object lastFingerprint;

  public OpenAiChunkWriter(HttpServerResponse out, String alias, boolean wantsUsage) {
    this.out = out;
    this.alias = alias;
    this.aliasJson = Json.encode(alias);
    this.wantsUsage = wantsUsage;
  }

  /** Headers of every SSE answer; {@code x-accel-buffering} keeps nginx-style proxies from batching it. */
  public static void beginEventStream(HttpServerResponse out) {
    out.setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
  }

  @Override
  public void begin() {
    beginEventStream(out);
  }

  @Override
  public void chunk(JsonObject chunk) {
    lastId = chunk.getString("id", lastId);
    lastCreated = chunk.getValue("created", lastCreated);
    lastFingerprint = chunk.getValue("system_fingerprint", lastFingerprint);
    if (chunk.containsKey("model")) {
      chunk.put("model", alias);
    }
    if (!wantsUsage) {
      chunk.remove("usage");
    } else if (chunk.getValue("usage") != null) {
      chunk.putNull("usage");
    }
    write(chunk);
  }

  @Override
  public boolean takesScanned() {
    return true;
  }

  /** As {@link #chunk(JsonObject)}: the same fields noted, the model replaced, a null usage kept only if asked for. */
  @Override
  public void chunk(ScannedChunk chunk) {
    lastId = chunk.id(lastId);
    lastCreated = chunk.created(lastCreated);
    lastFingerprint = chunk.fingerprint(lastFingerprint);
    out.write(chunk.event(aliasJson, wantsUsage));
  }

  @Override
  public void complete(Priced priced, JsonObject upstreamUsage) {
    if (wantsUsage) {
      JsonObject usage = upstreamUsage != null ? upstreamUsage.copy() : ChatUsage.toChat(priced.usage());
      usage.put("cost", Credits.fromMicros(priced.costMicros()));
      JsonObject chunk = new JsonObject()
          .put("id", lastId)
          .put("object", "chat.completion.chunk")
          .put("created", lastCreated == null ? System.currentTimeMillis() / 1000 : lastCreated)
          .put("model", alias);
      if (lastFingerprint != null) {
        chunk.put("system_fingerprint", lastFingerprint);
      }
      write(chunk.put("choices", new JsonArray()).put("usage", usage));
    }
    out.end(DONE);
  }

  @Override
  public void fail(UpstreamError error) {
    write(ErrorResponses.openAiBody("upstream_error", "upstream_error",
        "The upstream stream broke off: " + error.clientMessage(), null));
    out.end();
  }

  private void write(JsonObject event) {
    Buffer buffer = Buffer.buffer(256).appendString("data: ").appendBuffer(event.toBuffer()).appendString("\n\n");
    out.write(buffer);
  }
}
