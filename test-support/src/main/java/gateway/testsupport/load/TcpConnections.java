package gateway.testsupport.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine's TCP sockets as Linux lists them in {@code /proc/net/tcp} and {@code tcp6}: how many connections a
 * server port still holds, whichever process owns them. 0 on a system without {@code /proc}.
 */
public final class TcpConnections {
  private static final String ESTABLISHED = "01";
  private static final String CLOSE_WAIT = "08";

  private TcpConnections() {
  }

  /**
   * Connections whose local end is {@code port}, ESTABLISHED or CLOSE_WAIT (the peer left and this end has not
   * closed yet: what a leak looks like).
   */
  public static int open(int port) {
    return count(Path.of("/proc/net/tcp"), port) + count(Path.of("/proc/net/tcp6"), port);
  }

  public static boolean available() {
    return Files.isReadable(Path.of("/proc/net/tcp"));
  }

  private static int count(Path table, int port) {
    if (!Files.isReadable(table)) {
      return 0;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(table);
    } catch (IOException e) {
      return 0;
    }
    int open = 0;
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 4) {
        continue;
      }
      String local = fields[1];
      int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
      if (localPort == port && (ESTABLISHED.equals(fields[3]) || CLOSE_WAIT.equals(fields[3]))) {
        open++;
      }
    }
    return open;
  }
}
