package gateway.router.provider;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

/** {@link Json#encodeString} writes every string exactly as Vert.x's encoder does, its shortcut included. */
class JsonEncodeStringTest {

  @Property
  void anyStringIsWrittenAsTheEncoderWritesIt(@ForAll String value) {
    assertThat(Json.encodeString(value)).isEqualTo(io.vertx.core.json.Json.encode(value));
  }

  @Property
  void plainAndAwkwardCharactersAlike(@ForAll @Chars({'"', '\\', '\u007f', '\u2028', '/', '<'})
                                      @CharRange(from = 0, to = 0x7f) String value) {
    assertThat(Json.encodeString(value)).isEqualTo(io.vertx.core.json.Json.encode(value));
  }
}
