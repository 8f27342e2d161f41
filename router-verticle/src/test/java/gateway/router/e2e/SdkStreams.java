package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the OpenAI SDK's streams and usage look like from a test. */
final class SdkStreams {
  private SdkStreams() {
  }

  static List<ChatCompletionChunk> stream(OpenAIClient client, ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(params)) {
      return response.stream().collect(Collectors.toCollection(ArrayList::new));
    }
  }

  /** The streamed answer's text. */
  static String text(List<ChatCompletionChunk> chunks) {
    return chunks.stream()
        .flatMap(c -> c.choices().stream())
        .map(choice -> choice.delta().content().orElse(""))
        .collect(Collectors.joining());
  }

  /** The arguments of the streamed tool call at {@code index}, stitched from its fragments. */
  static String arguments(List<ChatCompletionChunk.Choice.Delta.ToolCall> calls, long index) {
    return calls.stream().filter(c -> c.index() == index)
        .map(c -> c.function().flatMap(f -> f.arguments()).orElse(""))
        .collect(Collectors.joining());
  }

  /** The {@code cost} the gateway adds to a usage object, in credits. */
  static BigDecimal cost(Map<String, JsonValue> usageProperties) {
    return new BigDecimal(usageProperties.get("cost").toString());
  }

  /** The stream must end in an error the SDK raises, within a bounded time, after some content arrived. */
  static void assertStreamFails(OpenAIClient client, ChatCompletionCreateParams params, String reason) {
    List<ChatCompletionChunk> received = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
        assertThatThrownBy(() -> {
          try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(params)) {
            response.stream().forEach(received::add);
          }
        }).isInstanceOf(OpenAIException.class).hasMessageContaining(reason));
    assertThat(text(received)).isNotEmpty();
  }
}
