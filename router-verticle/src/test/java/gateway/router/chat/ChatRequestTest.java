package gateway.router.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
  @Test
  @DisplayName("the fields the gateway acts on are read; everything else is kept for the upstream")
  void readsWhatItNeeds() {
    ChatRequest request = ChatRequest.parse(Buffer.buffer("""
        {"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,
         "stream_options":{"include_usage":true},"max_tokens":50,"n":2,"top_k":3}"""));
    assertThat(request.stream()).isTrue();
    assertThat(request.wantsUsage()).isTrue();
    assertThat(request.maxOutputTokens()).isEqualTo(50);
    assertThat(request.choices()).isEqualTo(2);
    assertThat(request.forUpstream("upstream-m").getInteger("top_k")).isEqualTo(3);
    assertThat(request.forUpstream("upstream-m").getString("model")).isEqualTo("upstream-m");
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
    assertRefused("{\"model\":\"m\",\"messages\":[\"hi\"]}", GatewayError.INVALID_VALUE, "messages");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}",
        GatewayError.INVALID_VALUE, "stream");
    assertRefused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"max_tokens\":-5}",
        GatewayError.INVALID_VALUE, "max_tokens");
  }

  private static void assertRefused(String body, GatewayError error, String param) {
    GatewayException e = catchThrowableOfType(GatewayException.class, () -> ChatRequest.parse(Buffer.buffer(body)));
    assertThat(e.error()).as(body).isEqualTo(error);
    assertThat(e.param()).as(body).isEqualTo(param);
  }
}
