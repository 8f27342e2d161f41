package gateway.router.inbound.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.router.exchange.ClientCall;
import gateway.router.fields.JsonFields;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatCallTest {
  @Test
  @DisplayName("the fields the gateway acts on are read; everything else is kept for the upstream")
  void readsWhatItNeeds() {
    ClientCall request = ChatCall.parse(Buffer.buffer("""
        {"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,
         "stream_options":{"include_usage":true},"max_tokens":50,"n":2,"top_k":3}"""));
    assertThat(request.streamed()).isTrue();
    assertThat(request.chatForm().wantsUsage()).isTrue();
    assertThat(request.output().maxTokens()).isEqualTo(50);
    assertThat(request.output().choices()).isEqualTo(2);
    assertThat(request.chatForm().forUpstream("upstream-m").getInteger("top_k")).isEqualTo(3);
    assertThat(request.chatForm().forUpstream("upstream-m").getString("model")).isEqualTo("upstream-m");
    assertThat(request.body().getString("model")).isEqualTo("m");
  }

  @Test
  @DisplayName("each malformed request is a 400 with a code and, where one field is at fault, its name")
  void malformedRequests() {
    assertRefused("", GatewayError.INVALID_JSON, null);
    assertRefused("[1,2]", GatewayError.INVALID_JSON, null);
    assertRefused("{\"model\":", GatewayError.INVALID_JSON, null);
    assertRefused("{\"messages\":[{\"role\":\"user\"}]}", GatewayError.MISSING_FIELD, "model");
    assertRefused("{\"model\":\"m\"}", GatewayError.MISSING_FIELD, "messages");
    assertRefused("{\"model\":\"m\",\"messages\":[]}", GatewayError.INVALID_VALUE, "messages");
    assertRefused("{\"model\":\"m\",\"messages\":[\"hi\"]}", GatewayError.INVALID_VALUE, "messages[0]");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}", GatewayError.MISSING_FIELD,
        "messages[0].role");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"},{\"role\":7}]}", GatewayError.INVALID_VALUE,
        "messages[1].role");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}",
        GatewayError.INVALID_VALUE, "stream");
    String nested = "{\"a\":".repeat(JsonFields.MAX_DEPTH) + "1" + "}".repeat(JsonFields.MAX_DEPTH);
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"metadata\":" + nested + "}",
        GatewayError.INVALID_JSON, null);
    assertThat(ChatCall.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"x\":"
        + "[".repeat(JsonFields.MAX_DEPTH - 2) + "]".repeat(JsonFields.MAX_DEPTH - 2) + "}")).model()).isEqualTo("m");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":-5}",
        GatewayError.INVALID_VALUE, "max_tokens");
  }

  @Test
  @DisplayName("a wrong type anywhere a translation reads is a 400 naming the field by its path; null means absent")
  void wrongTypesNamedByPath() {
    String user = "{\"role\":\"user\",\"content\":\"hi\"}";
    assertRefused("{\"model\":\"m\",\"messages\":[" + user + ",{\"role\":\"assistant\",\"tool_calls\":"
        + "[{\"id\":\"c\",\"function\":\"f\"}]}]}", GatewayError.INVALID_VALUE, "messages[1].tool_calls[0].function");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":1}]}]}",
        GatewayError.INVALID_VALUE, "messages[0].content[0].type");
    assertRefused("{\"model\":\"m\",\"messages\":[" + user + "],\"tools\":{}}", GatewayError.INVALID_VALUE, "tools");
    assertRefused("{\"model\":\"m\",\"messages\":[" + user + "],\"tools\":[{\"function\":{\"name\":[]}}]}",
        GatewayError.INVALID_VALUE, "tools[0].function.name");
    assertRefused("{\"model\":\"m\",\"messages\":[" + user + "],\"temperature\":\"hot\"}",
        GatewayError.INVALID_VALUE, "temperature");
    assertRefused("{\"model\":\"m\",\"messages\":[" + user + "],\"tool_choice\":{\"function\":{\"name\":5}}}",
        GatewayError.INVALID_VALUE, "tool_choice.function.name");

    ClientCall request = ChatCall.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[" + user + "],"
        + "\"tools\":null,\"tool_choice\":null,\"stop\":null,\"stream\":null,\"response_format\":null}"));
    assertThat(request.streamed()).isFalse();
  }

  @Test
  @DisplayName("identifiers the gateway keys on or stores refuse control characters and lone surrogates, naming the field")
  void controlCharactersInIdentifiers() {
    String messages = ",\"messages\":[{\"role\":\"user\",\"content\":\"hi \\u0000 there\"}]";
    assertRefused("{\"model\":\"wild-\\u0000\"" + messages + "}", GatewayError.INVALID_VALUE, "model");
    assertRefused("{\"model\":\"m\\u001f\"" + messages + "}", GatewayError.INVALID_VALUE, "model");
    assertRefused("{\"model\":\"m\\u007f\"" + messages + "}", GatewayError.INVALID_VALUE, "model");
    assertRefused("{\"model\":\"m\\ud800\"" + messages + "}", GatewayError.INVALID_VALUE, "model");
    assertRefused("{\"model\":\"m\",\"user\":\"u\\n1\"" + messages + "}", GatewayError.INVALID_VALUE, "user");
    assertRefused("{\"model\":\"m\",\"metadata\":{\"k\\u0000\":\"v\"}" + messages + "}",
        GatewayError.INVALID_VALUE, "metadata");
    // Text is not an identifier: a NUL in a message goes upstream like any other character.
    assertThat(ChatCall.parse(Buffer.buffer("{\"model\":\"m-\\ud83d\\ude00\"" + messages + "}")).model())
        .isEqualTo("m-\ud83d\ude00");
  }

  @Test
  @DisplayName("the parser's own class and setting names stay out of an invalid-JSON message; 1e400 is no temperature")
  void parserNamesStayOut() {
    GatewayException deep = catchThrowableOfType(GatewayException.class,
        () -> ChatCall.parse(Buffer.buffer("[".repeat(1_200))));
    assertThat(deep.error()).isEqualTo(GatewayError.INVALID_JSON);
    assertThat(deep.getMessage()).doesNotContain("Constraints", "`", "Failed to decode");
    GatewayException longNumber = catchThrowableOfType(GatewayException.class,
        () -> ChatCall.parse(Buffer.buffer("{\"model\":\"m\",\"n\":1" + "0".repeat(1_500) + "}")));
    assertThat(longNumber.getMessage()).doesNotContain("Constraints", "`");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"temperature\":1e400}",
        GatewayError.INVALID_VALUE, "temperature");
  }

  private static void assertRefused(String body, GatewayError error, String param) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> ChatCall.parse(Buffer.buffer(body)));
    assertThat(e.error()).as(body).isEqualTo(error);
    assertThat(e.param()).as(body).isEqualTo(param);
  }
}
