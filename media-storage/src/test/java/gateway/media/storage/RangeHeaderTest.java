package gateway.media.storage;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Range header")
class RangeHeaderTest {

  private static RangeHeader parse(String header) {
    return RangeHeader.parse(header, 1000);
  }

  @Test
  @DisplayName("spans, open ends and suffixes resolve against the size; an end past the size is cut")
  void satisfiable() {
    assertThat(parse("bytes=0-0").range()).isEqualTo(new ByteRange(0, 0));
    assertThat(parse("bytes=10-2000").range()).isEqualTo(new ByteRange(10, 999));
    assertThat(parse("bytes=500-").range()).isEqualTo(new ByteRange(500, 999));
    assertThat(parse("bytes=-1").range()).isEqualTo(new ByteRange(999, 999));
    assertThat(parse("bytes=-5000").range()).isEqualTo(new ByteRange(0, 999));
    assertThat(parse("BYTES= 1-2 ").range()).isEqualTo(new ByteRange(1, 2));
  }

  @Test
  @DisplayName("a start past the end, an empty suffix or any range of an empty object cannot be satisfied")
  void unsatisfiable() {
    assertThat(parse("bytes=1000-").kind()).isEqualTo(RangeHeader.Kind.UNSATISFIABLE);
    assertThat(parse("bytes=-0").kind()).isEqualTo(RangeHeader.Kind.UNSATISFIABLE);
    assertThat(RangeHeader.parse("bytes=0-", 0).kind()).isEqualTo(RangeHeader.Kind.UNSATISFIABLE);
  }

  @Test
  @DisplayName("no header, other units, several ranges, reversed or non-numeric bounds and huge numbers serve the whole")
  void ignored() {
    for (String header : new String[] {null, "items=0-1", "bytes=0-1,4-5", "bytes=5-1", "bytes=a-b", "bytes=",
        "bytes=-", "bytes=1", "bytes=99999999999999999999-", "bytes=+1-2"}) {
      assertThat(parse(header).kind()).as(String.valueOf(header)).isEqualTo(RangeHeader.Kind.WHOLE);
    }
  }
}
