package gateway.router.provider.chatshape;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Usage;
import gateway.router.exchange.Priced;
import gateway.router.inbound.RecordingResponse;
import gateway.router.inbound.chat.OpenAiChunkWriter;
import gateway.router.provider.Json;
import gateway.router.provider.WireSamples;
import gateway.router.sse.SseEvent;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A chunk read unparsed must be read exactly as the parsed path reads it, and written to the client as
 * the same JSON; whatever the parsed path could read otherwise (or fail on) must be left to it.
 */
class ChatChunkScanTest {
  private static final String ALIAS = "alias \"quoted\" é";
  private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1694268190,"
      + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",";

  /** Valid chunks a provider could send, some unusual: each must be read unparsed, and read alike. */
  private static final List<String> READABLE = List.of(
      HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}],"
          + "\"usage\":null}",
      "{\"usage\":null,\"choices\":[{\"delta\":{\"content\":\"first\"}}],\"model\":\"m\"}",
      "{ \"usage\" : null , \"choices\" : [ { \"delta\" : { \"content\" : \"spaced\" } } ] }",
      "{\"usage\":null}",
      "{}",
      "{\t\"model\":\t{\"nested\":[1,2.5e-3,-0,true,false,null]},\"choices\":[]}",
      "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}}],\"usage\":null}",
      "{\"choices\":[{\"finish_reason\":\"stop\",\"delta\":{}}],\"extra\":{\"any\":[{\"x\":\"y\"}]}}",
      "{\"choices\":[{\"finish_reason\":0,\"delta\":null}]}",
      "{\"choices\":[7,\"x\",null,{\"delta\":{\"content\":5}}]}",
      "{\"choices\":[{\"delta\":{\"refusal\":\"no\",\"reasoning_content\":\"think\",\"content\":\"say\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":"
          + "\"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 \\u0000 😀\"}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":"
          + "{\"arguments\":\"{\\\"a\\\":1}\",\"name\":\"lookup\"}},5,{\"function\":\"f\"}]}}]}",
      "{\"choices\":[{\"delta\":{\"tool_calls\":{\"odd\":true}}}]}",
      "{\"choices\":[{\"delta\":{\"function_call\":{\"name\":\"legacy\",\"arguments\":\"{}\"}}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"a\"}},{\"delta\":{\"content\":\"b\"},\"finish_reason\":null}]}",
      "{\"id\":null,\"created\":null,\"system_fingerprint\":null,\"model\":null,"
          + "\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
      "{\"created\":9223372036854775,\"id\":\"\\u0041\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":null,\"obfuscation\":\"a1B2\",\"n\":1.0E+2}",
      manyMembers(64));

  /** What the parsed path might read otherwise, or fail on: each must be left to it. */
  private static final List<String> LEFT_TO_THE_PARSER = List.of(
      "[DONE]", "", "{", "[{}]", " {}", "{} ", "{}{}", "{\"a\":1}{\"b\":2}",
      "{\"error\":{\"message\":\"boom\"}}", "{\"error\":null}",
      "{\"usage\":{\"prompt_tokens\":1},\"choices\":[]}", "{\"usage\":5}",
      "{\"choices\":null}", "{\"choices\":{}}", "{\"choices\":[{\"delta\":\"text\"}]}",
      "{\"id\":5}", "{\"id\":{}}", "{\"created\":1.5}", "{\"created\":\"now\"}", "{\"created\":1e3}",
      "{\"created\":12345678901234567890}", "{\"system_fingerprint\":[]}",
      "{\"model\":\"a\",\"model\":\"b\"}", "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
      "{\"x\":{\"k\":1,\"k\":2}}", "{\"mod\\u0065l\":\"m\"}",
      "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":1.}", "{\"a\":-}", "{/*c*/\"a\":1}",
      "{\"a\":1e999}", "{\"a\":-2.5E+400}",
      "{\"a\":'x'}", "{a:1}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u٣٣٣٣\"}",
      "{\"a\":\"\\ud83d\"}", "{\"a\":\"\\ude00\"}", "{\"a\":\"\ud83d\"}", "{\"a\":\"\u0001\"}",
      "{\"a\":\n1}", "{\"a\":\r1}", "{\"a\":1\u00a0}",
      "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}", "{\"a\":1" + "0".repeat(200) + "}",
      "{\"" + "k".repeat(300) + "\":1}", manyMembers(65));

  @Test
  @DisplayName("every chunk of the recorded OpenAI streams is read unparsed, exactly as the parsed path reads it")
  void recordedChunks() {
    for (String sample : List.of("openai-chat/stream-basic.sse", "openai-chat/stream-tool-call.sse")) {
      for (SseEvent event : WireSamples.events(WireSamples.bytes(sample))) {
        if (!event.data().equals("[DONE]")) {
          assertReadAlike(event.data());
        }
      }
    }
  }

  @Test
  @DisplayName("unusual but valid chunks (spacing, order, escapes, odd types, unknown fields) are read alike")
  void unusualChunks() {
    READABLE.forEach(ChatChunkScanTest::assertReadAlike);
  }

  @Test
  @DisplayName("a chunk the parsed path could read otherwise, or fail on, is left to it")
  void leftToTheParser() {
    for (String data : LEFT_TO_THE_PARSER) {
      assertThat(ChatChunkScan.scan(data)).as(data).isNull();
    }
  }

  @Test
  @DisplayName("the client gets the provider's text byte for byte, but the alias and the null usage it did not ask for")
  void theTextAsItCame() {
    String data = "{ \"choices\":[{\"delta\":{\"content\":\"caf\\u00e9\"}, \"x\" : 1.50}],\t\"model\": \"up\" ,"
        + "\"usage\":null, \"z\":[ ]}";

    assertThat(ChatChunkScan.scan(data).event("\"a\"", true).toString())
        .isEqualTo("data: { \"choices\":[{\"delta\":{\"content\":\"caf\\u00e9\"}, \"x\" : 1.50}],\t\"model\": \"a\" ,"
            + "\"usage\":null, \"z\":[ ]}\n\n");
    assertThat(ChatChunkScan.scan(data).event("\"a\"", false).toString())
        .isEqualTo("data: { \"choices\":[{\"delta\":{\"content\":\"caf\\u00e9\"}, \"x\" : 1.50}],\t\"model\": \"a\" ,"
            + " \"z\":[ ]}\n\n");
    assertThat(ChatChunkScan.scan("{\"usage\":null , \"model\":1}").event("\"a\"", false).toString())
        .isEqualTo("data: {\"model\":\"a\"}\n\n");
  }

  @Test
  @DisplayName("the closing usage chunk is named and shaped alike whether the chunks before it were parsed or not")
  void closingChunk() {
    String data = READABLE.get(0);
    RecordingResponse parsed = new RecordingResponse();
    RecordingResponse scanned = new RecordingResponse();
    OpenAiChunkWriter parsedWriter = new OpenAiChunkWriter(parsed.response(), ALIAS, true);
    OpenAiChunkWriter scannedWriter = new OpenAiChunkWriter(scanned.response(), ALIAS, true);
    parsedWriter.chunk(new JsonObject(data));
    scannedWriter.chunk(ChatChunkScan.scan(data));
    Priced priced = new Priced(new Usage(3, 0, 0, 4, 0), 7);
    parsedWriter.complete(priced, null);
    scannedWriter.complete(priced, null);

    assertSameEvents(parsed, scanned);
    assertThat(scanned.body()).endsWith("data: [DONE]\n\n").contains("\"system_fingerprint\":\"fp_1\"");
  }

  @Test
  @DisplayName("mangled chunks: whatever is read unparsed is one the parser reads too, and reads alike")
  void mangledChunks() {
    Random random = new Random(20261203);
    String pool = "{}[]\",:\\ \t\n0-1eE.nulltruefalse\u00e9\ud83d\ude00u";
    List<String> corpus = new ArrayList<>(READABLE);
    int read = 0;
    for (int i = 0; i < 30_000; i++) {
      StringBuilder text = new StringBuilder(corpus.get(random.nextInt(corpus.size())));
      for (int edits = 1 + random.nextInt(3); edits > 0 && text.length() > 0; edits--) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(4)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, pool.charAt(random.nextInt(pool.length())));
          case 2 -> text.setCharAt(at, pool.charAt(random.nextInt(pool.length())));
          default -> {
            int from = random.nextInt(text.length());
            text.insert(at, text.substring(from, Math.min(text.length(), from + 1 + random.nextInt(12))));
          }
        }
      }
      String data = text.toString();
      if (ChatChunkScan.scan(data) != null) {
        read++;
        assertReadAlike(data);
      }
    }
    assertThat(read).as("mangled chunks still read unparsed").isBetween(300, 29_000);
  }

  /** An object of {@code n} members, in a choice's delta. */
  private static String manyMembers(int n) {
    return "{\"choices\":[{\"delta\":{" + IntStream.range(0, n).mapToObj(i -> "\"k" + i + "\":" + i)
        .collect(Collectors.joining(",")) + "}}]}";
  }

  private static void assertReadAlike(String data) {
    ScannedChunk scanned = ChatChunkScan.scan(data);
    JsonObject parsed = Json.objectOrNull(data);
    assertThat(scanned).as("read unparsed: %s", data).isNotNull();
    assertThat(parsed).as("parsed: %s", data).isNotNull();
    assertThat(scanned.reachesClient()).as(data).isEqualTo(ChatChunkAnatomy.reachesClient(parsed));
    assertThat(scanned.carriesContent()).as(data).isEqualTo(ChatChunkAnatomy.carriesContent(parsed));
    StringBuilder output = new StringBuilder();
    ChatChunkAnatomy.appendOutput(parsed, output);
    assertThat(scanned.output()).as(data).isEqualTo(output.toString());
    assertThat(scanned.id("before")).as(data).isEqualTo(parsed.getString("id", "before"));
    assertThat(scanned.created(-1)).as(data).isEqualTo(parsed.getValue("created", -1));
    assertThat(scanned.fingerprint("before")).as(data).isEqualTo(parsed.getValue("system_fingerprint", "before"));
    for (boolean wantsUsage : new boolean[] {true, false}) {
      RecordingResponse viaParse = new RecordingResponse();
      RecordingResponse unparsed = new RecordingResponse();
      new OpenAiChunkWriter(viaParse.response(), ALIAS, wantsUsage).chunk(parsed.copy());
      new OpenAiChunkWriter(unparsed.response(), ALIAS, wantsUsage).chunk(scanned);
      assertSameEvents(viaParse, unparsed);
    }
  }

  private static void assertSameEvents(RecordingResponse parsed, RecordingResponse scanned) {
    List<SseEvent> expected = parsed.events();
    List<SseEvent> actual = scanned.events();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i).data().equals("[DONE]")) {
        assertThat(actual.get(i).data()).isEqualTo("[DONE]");
      } else {
        assertThat(new JsonObject(actual.get(i).data())).isEqualTo(new JsonObject(expected.get(i).data()));
      }
    }
  }
}
