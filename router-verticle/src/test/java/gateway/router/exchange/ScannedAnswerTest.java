package gateway.router.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.money.Credits;
import gateway.router.inbound.chat.ChatCall;
import gateway.router.inbound.chat.OpenAiChatProtocol;
import gateway.router.provider.Completion;
import gateway.router.provider.Json;
import gateway.router.provider.WireSamples;
import gateway.router.provider.chatshape.ScannedAnswer;
import gateway.router.provider.openai.OpenAiAdapter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A whole OpenAI chat answer read unparsed must be priced exactly as the parsed path prices it and reach
 * the client as the same JSON; whatever the parsed path could read otherwise (or fail on) must be left to it.
 */
class ScannedAnswerTest {
  private static final String ALIAS = "alias \"quoted\" é";
  private static final ClientCall CALL = ChatCall.parse(Buffer.buffer(new JsonObject().put("model", ALIAS)
      .put("messages", List.of(new JsonObject().put("role", "user").put("content", "hi"))).encode()));
  private static final ThroughChatTranslation OPENAI =
      new ThroughChatTranslation(CALL, new OpenAiChatProtocol(CALL), new OpenAiAdapter());
  private static final String CHOICES = "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":\"stop\"}]";

  /** Valid answers a provider could send, some unusual: each must be read unparsed, and read alike. */
  private static final List<String> READABLE = List.of(
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\"," + CHOICES
          + ",\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21}}",
      "\r\n {\n\t\"usage\" : {\r\n  \"completion_tokens\" : 3 ,\n  \"prompt_tokens\":7\n } ,\n \"model\" : \"m\",\n "
          + CHOICES + "\n}\n",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":[{}],\"usage\":{ }}",
      "{\"model\":null,\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
          + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}}],\"usage\":{\"prompt_tokens\":null,"
          + "\"completion_tokens\":0,\"prompt_tokens_details\":null,\"completion_tokens_details\":null}}",
      "{\"model\":{\"odd\":[1,2.5e-3,-0,true]},\"choices\":[{\"message\":{\"content\":"
          + "\"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 \\u0000 😀 é\"}}],"
          + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":\"odd\","
          + "\"prompt_tokens_details\":{\"cached_tokens\":400,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":200,\"accepted_prediction_tokens\":0}}}",
      "{\"usage\":{\"prompt_tokens\":100,\"prompt_cache_hit_tokens\":60,\"prompt_cache_miss_tokens\":40,"
          + "\"completion_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":0}},\"model\":\"deepseek\","
          + CHOICES + ",\"extra\":{\"n\":1.0E+2,\"list\":[[],{}]}}",
      "{\"model\":\"m\"," + CHOICES + ",\"usage\":{\"prompt_tokens\":5,\"cost\":0.00123,\"completion_tokens\":5,"
          + "\"cost_details\":{\"upstream_inference_cost\":null}}}",
      "{\"model\":\"m\"," + CHOICES + ",\"usage\":{\"cost\":{\"odd\":true}}}",
      "{\"choices\":[{\"message\":{\"content\":\"a\"}},{\"message\":{\"content\":\"b\"}}],"
          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"completion_tokens_details\":"
          + "{\"reasoning_tokens\":9}},\"model\":\"last\"}",
      "{\"model\":\"m\",\"choices\":[{}],\"usage\":{\"prompt_tokens\":999999999999999999,"
          + "\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":999999999999999999}}}");

  /** What the parsed path might read otherwise, price otherwise, or fail on: each must be left to it. */
  private static final List<String> LEFT_TO_THE_PARSER = List.of(
      "", "{", "[]", "{}", "null", "{\"model\":\"m\",\"choices\":[]}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":null}", "{\"model\":\"m\",\"choices\":[],\"usage\":5}",
      "{\"choices\":[],\"usage\":{}}", "{\"model\":\"m\",\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":null,\"usage\":{}}", "{\"model\":\"m\",\"choices\":{},\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":[1],\"usage\":{}}", "{\"model\":\"m\",\"choices\":[null],\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"error\":null}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"error\":{\"message\":\"boom\"}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":\"9\"}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":9.0}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":9e2}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":-9}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":true}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000000000000000000}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens_details\":5}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens_details\":[]}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"completion_tokens_details\":{\"reasoning_tokens\":\"1\"}}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{\"cost\":1,\"cost\":2}}",
      "{\"model\":\"a\",\"model\":\"b\",\"choices\":[],\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"usage\":{}}",
      "{\"mod\\u0065l\":\"m\",\"choices\":[],\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{}}{}", "{\"model\":\"m\",\"choices\":[],\"usage\":{},}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{}} x", "\ufeff{\"model\":\"m\",\"choices\":[],\"usage\":{}}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":1e999}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":\"\\ud83d\"}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":\"tab\tinside\"}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":\"\ufffd\"}",
      "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":" + "[".repeat(70) + "]".repeat(70) + "}",
      "{/*c*/\"model\":\"m\",\"choices\":[],\"usage\":{}}", "{\"model\":\"m\",\"choices\":[],\"usage\":{}\u00a0}");

  @Test
  @DisplayName("the recorded OpenAI answer is read unparsed, priced and written exactly as the parsed path does")
  void recordedAnswer() {
    assertReadAlike(WireSamples.bytes("openai-chat/completion.json").toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("unusual but valid answers (spacing, line breaks, order, escapes, odd types, a cost of the provider's)")
  void unusualAnswers() {
    READABLE.forEach(ScannedAnswerTest::assertReadAlike);
  }

  @Test
  @DisplayName("an answer the parsed path could read or price otherwise, or fail on, is left to it")
  void leftToTheParser() {
    for (String text : LEFT_TO_THE_PARSER) {
      assertThat(OPENAI.scanned(Buffer.buffer(text))).as(text).isNull();
    }
    byte[] notUtf8 = "{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
    notUtf8[notUtf8.length - 4] = (byte) 0xC3;
    notUtf8[notUtf8.length - 3] = (byte) 0x28;
    assertThat(OPENAI.scanned(Buffer.buffer(notUtf8))).isNull();
    assertThat(OPENAI.scanned(Buffer.buffer("{\"model\":\"m\",\"choices\":[],\"usage\":{},\"a\":\""
        + "x".repeat(1024 * 1024) + "\"}"))).as("too large").isNull();
  }

  @Test
  @DisplayName("only an OpenAI chat client takes an answer unparsed")
  void onlyOpenAiChatClients() {
    TranslatedAnswers other = new TranslatedAnswers() {
      @Override
      public gateway.router.provider.ApiFormat format() {
        return gateway.router.provider.ApiFormat.CHAT_COMPLETIONS;
      }

      @Override
      public JsonObject answer(JsonObject completion, Priced priced) {
        return completion.put("rewritten", true);
      }

      @Override
      public ChunkWriter streamWriter(io.vertx.core.http.HttpServerResponse out) {
        throw new UnsupportedOperationException();
      }
    };
    Buffer answer = Buffer.buffer(READABLE.get(0));
    assertThat(new ThroughChatTranslation(CALL, other, new OpenAiAdapter()).scanned(answer)).isNull();
    assertThat(OPENAI.scanned(answer)).isNotNull();
  }

  @Test
  @DisplayName("the client gets the provider's text byte for byte, but the alias and the cost")
  void theTextAsItCame() {
    String text = "{ \"model\" : \"up\" ,\n \"choices\":[{\"message\":{\"content\":\"caf\\u00e9\"}, \"x\" : 1.50}],"
        + "\"usage\": {\"prompt_tokens\": 2 ,\"completion_tokens\":3\n}\n}\n";
    Priced priced = new Priced(new gateway.common.money.Usage(2, 0, 0, 3, 0), 1_250_000);

    assertThat(OPENAI.answer(OPENAI.scanned(Buffer.buffer(text)), priced).toString(StandardCharsets.UTF_8))
        .isEqualTo(text.replace("\"up\"", Json.quote(Buffer.buffer(io.vertx.core.json.Json.encode(ALIAS))))
            .replace("\"completion_tokens\":3", "\"completion_tokens\":3,\"cost\":1.25"));
    assertThat(OPENAI.answer(OPENAI.scanned(Buffer.buffer("{\"usage\":{},\"model\":1,\"choices\":[]}")), priced)
        .toString()).isEqualTo("{\"usage\":{\"cost\":1.25},\"model\":" + io.vertx.core.json.Json.encode(ALIAS)
            + ",\"choices\":[]}");
    assertThat(OPENAI.answer(OPENAI.scanned(Buffer.buffer("{\"model\":1,\"usage\":{\"cost\":0.5 , \"x\":1},"
        + "\"choices\":[]}")), priced).toString()).isEqualTo("{\"model\":" + io.vertx.core.json.Json.encode(ALIAS)
            + ",\"usage\":{\"cost\":1.25 , \"x\":1},\"choices\":[]}");
  }

  @Test
  @DisplayName("the cost is written as the encoder writes it, for any amount")
  void costText() {
    long[] amounts = {0, 1, 10, 999_999, 1_000_000, 1_250_000, 12_345_678_901L, 100_000_000_000_000L, Long.MAX_VALUE};
    for (long micros : amounts) {
      assertThat(Credits.fromMicros(micros).toString()).as("%d", micros)
          .isEqualTo(io.vertx.core.json.Json.encode(Credits.fromMicros(micros)));
    }
  }

  @Test
  @DisplayName("mangled answers: whatever is read unparsed is one the parser reads too, and reads alike")
  void mangledAnswers() {
    Random random = new Random(20261203);
    String pool = "{}[]\",:\\ \t\r\n0-1eE.nulltruefalse\u00e9\ud83d\ude00u";
    List<String> corpus = new ArrayList<>(READABLE);
    corpus.add(WireSamples.bytes("openai-chat/completion.json").toString(StandardCharsets.UTF_8));
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
      String mangled = text.toString();
      if (OPENAI.scanned(Buffer.buffer(mangled)) != null) {
        read++;
        assertReadAlike(mangled);
      }
    }
    assertThat(read).as("mangled answers still read unparsed").isBetween(300, 29_000);
  }

  /** Read unparsed and parsed: the same usage, and the same JSON for the client at any cost. */
  private static void assertReadAlike(String text) {
    ScannedAnswer scanned = OPENAI.scanned(Buffer.buffer(text));
    assertThat(scanned).as("read unparsed: %s", text).isNotNull();
    Completion completion = OPENAI.completion(Buffer.buffer(text));
    assertThat(completion.usage()).as("usage of %s", text).isNotNull().isEqualTo(scanned.usage());
    for (long cost : new long[] {0, 7, 1_250_000, 123_456_789_012L}) {
      Priced priced = new Priced(completion.usage(), cost);
      Buffer parsedPath = OPENAI.answer(OPENAI.completion(Buffer.buffer(text)).body(), priced).toBuffer();
      Buffer unparsed = OPENAI.answer(scanned, priced);
      assertThat(new JsonObject(unparsed)).as(text).isEqualTo(new JsonObject(parsedPath));
    }
  }
}
