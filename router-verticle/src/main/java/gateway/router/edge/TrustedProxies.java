package gateway.router.edge;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies in front of the gateway whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are
 * believed ({@code GATEWAY_TRUSTED_PROXIES}: addresses and CIDR ranges, IPv4 and IPv6). Behind an Ingress
 * every connection comes from the proxy, so per-address lockouts and the audit log need the address the
 * proxy saw. A header from any other peer is the client's own word and is ignored.
 *
 * <p>The client is the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy:
 * each proxy appends the address it was connected from, so entries right of it were written by
 * trusted hops and entries left of it by whoever sent the request. A blank entry is skipped; a
 * malformed one ends the walk (what is left of it may be the client's invention), and the address
 * is then the nearest trusted hop's.
 */
public final class TrustedProxies {
  public static final TrustedProxies NONE = new TrustedProxies(List.of());
  private static final String FORWARDED_FOR = "X-Forwarded-For";
  private static final String FORWARDED_PROTO = "X-Forwarded-Proto";
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  /**
   * What an IPv6 literal is made of, starting as one must: checked before {@link InetAddress} parses it, which
   * takes such a text (a hex digit or colon first, a colon within) as a literal and never asks DNS.
   */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  /** One range: the network's bytes and how many leading bits must match. */
  private record Range(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = bits / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** {@code 10.0.0.0/8,192.168.1.7,fd00::/8}; blank: trust none. Throws naming the entry that is not one. */
  public static TrustedProxies parse(String list) {
    List<Range> ranges = new ArrayList<>();
    for (String part : list == null ? new String[0] : list.split(",")) {
      String entry = part.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int slash = entry.indexOf('/');
      byte[] network = address(slash < 0 ? entry : entry.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
      }
      int bits = network.length * 8;
      if (slash >= 0) {
        String prefix = entry.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > network.length * 8) {
          throw new IllegalArgumentException("'" + entry + "' has no prefix length between 0 and " + bits);
        }
        bits = Integer.parseInt(prefix);
      }
      ranges.add(new Range(network, bits));
    }
    return new TrustedProxies(ranges);
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** The address the per-address counters count and the audit log records for this request. */
  public String clientAddress(HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    String host = peer == null ? null : peer.hostAddress();
    if (host == null) {
      return "unknown";
    }
    return clientAddress(host, ranges.isEmpty() ? List.of() : request.headers().getAll(FORWARDED_FOR));
  }

  /** As {@link #clientAddress(HttpServerRequest)}, from the socket peer and the {@code X-Forwarded-For} headers in order. */
  public String clientAddress(String peer, List<String> forwardedFor) {
    byte[] peerBytes = address(withoutZone(peer));
    if (peerBytes == null || !trusts(peerBytes)) {
      return peerBytes == null ? peer : text(peerBytes);
    }
    byte[] nearest = peerBytes;
    List<String> entries = new ArrayList<>();
    forwardedFor.forEach(header -> entries.addAll(List.of(header.split(",", -1))));
    for (int i = entries.size() - 1; i >= 0; i--) {
      String entry = entries.get(i).trim();
      if (entry.isEmpty()) {
        continue;
      }
      byte[] hop = address(withoutPort(entry));
      if (hop == null) {
        break;
      }
      nearest = hop;
      if (!trusts(hop)) {
        break;
      }
    }
    return text(nearest);
  }

  /** The request reached a trusted proxy over TLS ({@code X-Forwarded-Proto: https}, the first proxy's value). */
  public boolean forwardedHttps(HttpServerRequest request) {
    if (ranges.isEmpty()) {
      return false;
    }
    String proto = request.getHeader(FORWARDED_PROTO);
    SocketAddress peer = request.remoteAddress();
    if (proto == null || peer == null || peer.hostAddress() == null) {
      return false;
    }
    byte[] peerBytes = address(withoutZone(peer.hostAddress()));
    return peerBytes != null && trusts(peerBytes) && "https".equalsIgnoreCase(proto.split(",", -1)[0].trim());
  }

  private boolean trusts(byte[] address) {
    for (Range range : ranges) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of an IP literal (an IPv4-mapped IPv6 address as its IPv4 bytes), or null for anything else. */
  private static byte[] address(String text) {
    if (IPV4.matcher(text).matches()) {
      String[] octets = text.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        bytes[i] = (byte) Integer.parseInt(octets[i]);
      }
      return bytes;
    }
    if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
      return null;
    }
    try {
      // A literal with a colon: InetAddress only checks its form, no lookup.
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** {@code 1.2.3.4:5678} and {@code [2001:db8::1]:5678} as some proxies write them, without the port. */
  private static String withoutPort(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      return close < 0 ? entry : entry.substring(1, close);
    }
    int colon = entry.indexOf(':');
    return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
  }

  private static String withoutZone(String host) {
    int percent = host.indexOf('%');
    return percent < 0 ? host : host.substring(0, percent);
  }

  /** One spelling per address, so {@code 2001:DB8::1} and {@code 2001:db8:0::1} count as one. */
  private static String text(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + address.length + " bytes", e);
    }
  }
}
