package gateway.router.inbound.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.router.exchange.ChatForm;
import gateway.router.exchange.ClientCall;
import gateway.router.provider.ApiFormat;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MessagesCallTest {

  @Test
  @DisplayName("the fields the gateway acts on are read; the body is kept as sent, anthropic-beta to forward")
  void readsWhatItNeeds() {
    String body = """
        {"model":"claude","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}],"top_k":3}""";
    ClientCall request = MessagesCall.parse(Buffer.buffer(body),
        MultiMap.caseInsensitiveMultiMap().add("anthropic-beta", "b1").add("x-api-key", "sk-secret"), true);

    assertThat(request.format()).isEqualTo(ApiFormat.MESSAGES);
    assertThat(request.model()).isEqualTo("claude");
    assertThat(request.streamed()).isTrue();
    assertThat(request.output().maxTokens()).isEqualTo(64);
    assertThat(request.body().getInteger("top_k")).isEqualTo(3);
    assertThat(request.forwardedHeaders()).containsExactly(java.util.Map.entry("anthropic-beta", "b1"));
    assertThat(request.chat()).isInstanceOf(ChatForm.Chat.class);
    assertThat(request.chatForm().body().getInteger("max_completion_tokens")).isEqualTo(64);
  }

  @Test
  @DisplayName("each malformed request is a 400 naming its field; a wrong type deep inside too, never a 500")
  void malformedRequests() {
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", GatewayError.MISSING_FIELD,
        "max_tokens");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5}", GatewayError.MISSING_FIELD, "messages");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}",
        GatewayError.INVALID_VALUE, "messages[0].role");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"content\":\"x\"}]}",
        GatewayError.MISSING_FIELD, "messages[0].role");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":7,\"content\":\"x\"}]}",
        GatewayError.INVALID_VALUE, "messages[0].role");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"tools\":[{\"name\":\"t\",\"input_schema\":\"s\"}]}", GatewayError.INVALID_VALUE, "tools[0].input_schema");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"system\":5}", GatewayError.INVALID_VALUE, "system");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"metadata\":{\"user_id\":\"a\\u0000b\"}}", GatewayError.INVALID_VALUE, "metadata.user_id");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":"
        + "[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":[]}]}]}", GatewayError.INVALID_VALUE,
        "messages[0].content[0].input");
    assertRefused("{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        GatewayError.INVALID_VALUE, "max_tokens");
    assertRefused("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"image\",\"source\":\"not an object\"}]}]}", GatewayError.INVALID_VALUE,
        "messages[0].content[0].source");
  }

  @Test
  @DisplayName("optional fields sent as null are absent: tools, tool_choice, system, content")
  void nullsAreAbsent() {
    ClientCall request = MessagesCall.parse(Buffer.buffer("""
        {"model":"m","max_tokens":5,"tools":null,"tool_choice":null,"system":null,"metadata":null,
         "messages":[{"role":"user","content":null},{"role":"assistant","content":[{"type":"text","text":null}]}]}"""),
        MultiMap.caseInsensitiveMultiMap(), true);

    assertThat(request.chatForm().body().containsKey("tools")).isFalse();
    assertThat(request.chatForm().body().getJsonArray("messages")).hasSize(2);
  }

  private static void assertRefused(String body, GatewayError error, String param) {
    GatewayException e = catchThrowableOfType(GatewayException.class,
        () -> MessagesCall.parse(Buffer.buffer(body), MultiMap.caseInsensitiveMultiMap(), true));
    assertThat(e.error()).as(body).isEqualTo(error);
    assertThat(e.param()).as(body).isEqualTo(param);
  }
}
