package gateway.router.provider;

import gateway.router.sse.SseEvent;
import gateway.common.bus.Channel;
import gateway.common.bus.Route;
import gateway.router.sse.SseReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Recorded provider answers under {@code fixtures/}, and ways to replay them through an adapter. */
public final class WireSamples {
  private WireSamples() {
  }

  public static Buffer bytes(String path) {
    try (InputStream in = WireSamples.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject json(String path) {
    return bytes(path).toJsonObject();
  }

  /**
   * Feeds a recorded stream to a translator through the gateway's {@link SseReader}, cut into
   * pieces of {@code pieceBytes} bytes (splitting lines, CRLF pairs and UTF-8 characters), and
   * returns the OpenAI chunks it emitted.
   */
  public static List<JsonObject> replay(StreamTranslator translator, Buffer transcript, int pieceBytes) {
    List<JsonObject> chunks = new ArrayList<>();
    SseReader reader = new SseReader(event -> translator.accept(event, chunks::add));
    for (int start = 0; start < transcript.length(); start += pieceBytes) {
      reader.feed(transcript.getBuffer(start, Math.min(transcript.length(), start + pieceBytes)));
    }
    reader.end();
    return chunks;
  }

  /** The events of a transcript as the gateway's reader parses them. */
  public static List<gateway.router.sse.SseEvent> events(Buffer transcript) {
    List<gateway.router.sse.SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add);
    reader.feed(transcript);
    reader.end();
    return events;
  }

  public static List<JsonObject> replay(StreamTranslator translator, Buffer transcript) {
    return replay(translator, transcript, transcript.length());
  }

  /** The chunks without their creation time, which differs between two replays. */
  public static List<JsonObject> timeless(List<JsonObject> chunks) {
    return chunks.stream().map(c -> {
      JsonObject copy = c.copy();
      copy.remove("created");
      return copy;
    }).collect(Collectors.toList());
  }

  /** The chunks without creation time and id: a stream without an id of its own gets a random one. */
  public static List<JsonObject> anonymous(List<JsonObject> chunks) {
    return timeless(chunks).stream().peek(c -> c.remove("id")).collect(Collectors.toList());
  }

  /** The deltas of choice 0, in order. */
  public static List<JsonObject> deltas(List<JsonObject> chunks) {
    List<JsonObject> deltas = new ArrayList<>();
    for (JsonObject chunk : chunks) {
      for (Object choice : chunk.getJsonArray("choices", new JsonArray())) {
        if (choice instanceof JsonObject c && c.getInteger("index") == 0) {
          deltas.add(c.getJsonObject("delta"));
        }
      }
    }
    return deltas;
  }

  /** The concatenation of one string field of the deltas of choice 0 ({@code content}, {@code reasoning_content}). */
  public static String joined(List<JsonObject> chunks, String field) {
    return deltas(chunks).stream().map(d -> d.getString(field, "")).collect(Collectors.joining());
  }

  /** Every non-null finish reason, in order. */
  public static List<String> finishReasons(List<JsonObject> chunks) {
    List<String> reasons = new ArrayList<>();
    for (JsonObject chunk : chunks) {
      for (Object choice : chunk.getJsonArray("choices", new JsonArray())) {
        if (choice instanceof JsonObject c && c.getValue("finish_reason") instanceof String reason) {
          reasons.add(reason);
        }
      }
    }
    return reasons;
  }

  /** The tool-call deltas of choice 0, in order. */
  public static List<JsonObject> toolCallDeltas(List<JsonObject> chunks) {
    List<JsonObject> calls = new ArrayList<>();
    for (JsonObject delta : deltas(chunks)) {
      for (Object call : delta.getJsonArray("tool_calls", new JsonArray())) {
        calls.add((JsonObject) call);
      }
    }
    return calls;
  }

  /** The arguments streamed for one tool call index, joined. */
  public static String toolArguments(List<JsonObject> chunks, int index) {
    return toolCallDeltas(chunks).stream()
        .filter(c -> c.getInteger("index") == index)
        .map(c -> c.getJsonObject("function", new JsonObject()).getString("arguments", ""))
        .collect(Collectors.joining());
  }

  /** A route to a channel of this type, for adapters under test. */
  public static Route route(String type, String baseUrl, String apiKey, JsonObject settings, String upstreamModel) {
    return new Route(new Channel("test-" + type, type, baseUrl, apiKey, 0, 1, false, Channel.WIRE_CHAT, settings),
        upstreamModel, 0, 1);
  }
}
