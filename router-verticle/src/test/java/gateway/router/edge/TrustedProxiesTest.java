package gateway.router.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which address a request is counted and audited under, from its socket peer and its X-Forwarded-For. */
class TrustedProxiesTest {
  private static final TrustedProxies INGRESS = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7,fd00::/8");

  @Test
  @DisplayName("trusting none (the default), the socket peer is the client and X-Forwarded-For is ignored")
  void noneTrusted() {
    assertThat(TrustedProxies.parse("").isEmpty()).isTrue();
    assertThat(TrustedProxies.parse(" , ").isEmpty()).isTrue();
    assertThat(TrustedProxies.NONE.clientAddress("10.1.2.3", List.of("203.0.113.9"))).isEqualTo("10.1.2.3");
  }

  @Test
  @DisplayName("a header from a peer that is no trusted proxy is the client's own word: ignored")
  void spoofedHeaderFromUntrustedPeer() {
    assertThat(INGRESS.clientAddress("198.51.100.4", List.of("203.0.113.9"))).isEqualTo("198.51.100.4");
    assertThat(INGRESS.clientAddress("192.168.1.8", List.of("203.0.113.9"))).as("next to a trusted address")
        .isEqualTo("192.168.1.8");
    assertThat(INGRESS.clientAddress("11.0.0.1", List.of("203.0.113.9"))).as("just outside 10.0.0.0/8")
        .isEqualTo("11.0.0.1");
  }

  @Test
  @DisplayName("through a trusted proxy the client is the right-most forwarded address; what the client wrote left of it "
      + "does not count")
  void trustedProxyNamesTheClient() {
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(INGRESS.clientAddress("192.168.1.7", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    // The client sent "X-Forwarded-For: 1.1.1.1"; the ingress appended the address it saw.
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("1.1.1.1, 203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of())).as("no header: the proxy itself")
        .isEqualTo("10.4.0.12");
  }

  @Test
  @DisplayName("a chain of trusted proxies is walked from the right until the first address none of them has")
  void chainOfProxies() {
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("1.1.1.1, 203.0.113.9, 10.9.9.9, 192.168.1.7")))
        .isEqualTo("203.0.113.9");
    // Several X-Forwarded-For headers are one list, in order.
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("1.1.1.1, 203.0.113.9", "10.9.9.9")))
        .isEqualTo("203.0.113.9");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("10.1.1.1, 10.2.2.2"))).as("every hop trusted: the first")
        .isEqualTo("10.1.1.1");
  }

  @Test
  @DisplayName("blank entries are skipped; a malformed one ends the walk at the nearest trusted hop, never left of it")
  void malformedEntries() {
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("203.0.113.9, , "))).isEqualTo("203.0.113.9");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("203.0.113.9, unknown"))).isEqualTo("10.4.0.12");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("203.0.113.9, 10.9.9.9, 300.1.1.1")))
        .isEqualTo("10.4.0.12");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("203.0.113.9, evil.example.com, 10.9.9.9")))
        .isEqualTo("10.9.9.9");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of("1.2.3"))).isEqualTo("10.4.0.12");
    assertThat(INGRESS.clientAddress("10.4.0.12", List.of(".:1"))).isEqualTo("10.4.0.12");
  }

  @Test
  @DisplayName("IPv6: ranges, peers and forwarded entries (bracketed, with ports) in one spelling per address")
  void ipv6() {
    assertThat(INGRESS.clientAddress("fd12:3456::1", List.of("2001:db8::7"))).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(INGRESS.clientAddress("fd12:3456::1", List.of("[2001:DB8::7]:51234")))
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(INGRESS.clientAddress("fe80::1%eth0", List.of("2001:db8::7"))).as("outside fd00::/8")
        .isEqualTo("fe80:0:0:0:0:0:0:1");
    assertThat(INGRESS.clientAddress("fd00::2", List.of("203.0.113.9:4711"))).isEqualTo("203.0.113.9");
    // An IPv4 peer on a dual-stack socket is the same address as its IPv4 form.
    assertThat(INGRESS.clientAddress("::ffff:10.4.0.12", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(TrustedProxies.parse("::1").clientAddress("0:0:0:0:0:0:0:1", List.of("2001:db8::7")))
        .isEqualTo("2001:db8:0:0:0:0:0:7");
  }

  @Test
  @DisplayName("CIDR prefixes that end inside a byte match exactly their range")
  void prefixInsideAByte() {
    TrustedProxies ranges = TrustedProxies.parse("172.16.0.0/12,2001:db8:8000::/33,0.0.0.0/0");
    assertThat(ranges.clientAddress("172.31.255.255", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    TrustedProxies twelve = TrustedProxies.parse("172.16.0.0/12");
    assertThat(twelve.clientAddress("172.31.255.255", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(twelve.clientAddress("172.32.0.0", List.of("203.0.113.9"))).isEqualTo("172.32.0.0");
    assertThat(twelve.clientAddress("172.15.255.255", List.of("203.0.113.9"))).isEqualTo("172.15.255.255");
    TrustedProxies v6 = TrustedProxies.parse("2001:db8:8000::/33");
    assertThat(v6.clientAddress("2001:db8:ffff::1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(v6.clientAddress("2001:db8:7fff::1", List.of("203.0.113.9"))).isEqualTo("2001:db8:7fff:0:0:0:0:1");
  }

  @Test
  @DisplayName("a setting that is not a list of addresses and ranges is refused at start, naming the entry")
  void badSettings() {
    for (String bad : List.of("10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/-1", "ingress.local", "10.0.0",
        "10.0.0.256", "fd00::/8/8")) {
      assertThatThrownBy(() -> TrustedProxies.parse("192.168.0.1," + bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
  }
}
