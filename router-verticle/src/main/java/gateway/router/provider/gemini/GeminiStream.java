package gateway.router.provider.gemini;

import gateway.common.money.Usage;
import gateway.router.provider.Json;
import gateway.router.provider.StreamTranslator;
import gateway.router.provider.UpstreamError;
import gateway.router.provider.chatshape.ChatChunks;
import gateway.router.provider.chatshape.ChatUsage;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A Gemini {@code streamGenerateContent?alt=sse} stream as OpenAI chunks. Each event is a whole
 * {@code GenerateContentResponse} holding the next parts of each candidate; function calls arrive
 * whole and are sent as OpenAI sends a call (id and name, then the arguments). Usage metadata
 * rides on the events: the last one counts.
 *
 * <p>Gemini sends no terminator: the stream is complete with the event that carries the finish
 * reason of every candidate (or a prompt's block reason).
 */
final class GeminiStream implements StreamTranslator {
  /** Candidate index → what has been sent of it, in index order. */
  private final Map<Integer, CandidateState> candidates = new TreeMap<>();
  private ChatChunks chunks;
  private JsonObject usageMetadata;
  private boolean completed;
  private UpstreamError error;

  private static final class CandidateState {
    int toolCalls;
    boolean finished;
  }

  @Override
  public void accept(SseEvent event, Consumer<JsonObject> out) {
    JsonObject response = Json.objectOrNull(event.data());
    if (response == null) {
      return;
    }
    if (response.getValue("error") instanceof JsonObject e) {
      error = GeminiErrors.inStream(e);
      return;
    }
    if (chunks == null) {
      chunks = new ChatChunks(GeminiResponse.completionId(response), response.getString("modelVersion"),
          System.currentTimeMillis() / 1000);
    }
    if (response.getValue("usageMetadata") instanceof JsonObject metadata) {
      usageMetadata = metadata;
    }
    if (GeminiResponse.isPromptBlocked(response)) {
      state(0, out).finished = true;
      out.accept(chunks.finish(0, GeminiFinishReasons.promptBlocked()));
    }
    JsonArray list = response.getJsonArray("candidates", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      if (list.getValue(i) instanceof JsonObject candidate) {
        candidate(candidate, candidate.getInteger("index", i), out);
      }
    }
    if (!completed && !candidates.isEmpty() && candidates.values().stream().allMatch(c -> c.finished)) {
      completed = true;
      Usage usage = usage();
      if (usage != null) {
        out.accept(chunks.usage(ChatUsage.toChat(usage)));
      }
    }
  }

  @Override
  public boolean completed() {
    return completed;
  }

  @Override
  public Usage usage() {
    return GeminiUsage.from(usageMetadata);
  }

  @Override
  public UpstreamError error() {
    return error;
  }

  private void candidate(JsonObject candidate, int index, Consumer<JsonObject> out) {
    CandidateState state = state(index, out);
    JsonObject content = candidate.getJsonObject("content", new JsonObject());
    for (Object item : content.getJsonArray("parts", new JsonArray())) {
      if (!(item instanceof JsonObject part)) {
        continue;
      }
      if (part.getValue("functionCall") instanceof JsonObject call) {
        int toolCall = state.toolCalls++;
        out.accept(chunks.toolCallStart(index, toolCall, GeminiToolCallIds.of(call), call.getString("name")));
        out.accept(chunks.toolCallArguments(index, toolCall, call.getJsonObject("args", new JsonObject()).encode()));
      } else if (part.getValue("text") instanceof String text && !text.isEmpty()) {
        out.accept(GeminiResponse.isThought(part) ? chunks.reasoning(index, text) : chunks.content(index, text));
      }
    }
    String finishReason = candidate.getString("finishReason");
    if (finishReason != null && !state.finished) {
      state.finished = true;
      out.accept(chunks.finish(index, GeminiFinishReasons.toOpenAi(finishReason, state.toolCalls > 0)));
    }
  }

  /** A candidate seen for the first time opens with OpenAI's role-only chunk. */
  private CandidateState state(int index, Consumer<JsonObject> out) {
    CandidateState state = candidates.get(index);
    if (state == null) {
      state = new CandidateState();
      candidates.put(index, state);
      out.accept(chunks.role(index));
    }
    return state;
  }
}
