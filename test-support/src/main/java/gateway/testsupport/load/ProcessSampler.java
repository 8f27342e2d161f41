package gateway.testsupport.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a running JVM holds, from outside, on Linux: its heap after a full collection ({@code jcmd GC.run},
 * then {@code GC.heap_info}), its open file descriptors and how many of them are sockets, its threads and its
 * resident memory ({@code /proc/<pid>}).
 */
public final class ProcessSampler {
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  /** One reading; -1 where the value could not be read. */
  public record Sample(long seconds, long heapAfterGcBytes, int fds, int sockets, int threads, long rssBytes) {
  }

  private final long pid;
  private final String jcmd;
  private final long startNanos = System.nanoTime();

  public ProcessSampler(long pid) {
    this.pid = pid;
    this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
  }

  /** Samples now; with {@code collect} the heap figure is taken right after a full GC, else it is -1. */
  public Sample sample(boolean collect) {
    long heap = collect ? heapAfterGc() : -1;
    int[] fds = fileDescriptors();
    return new Sample(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos), heap, fds[0], fds[1],
        (int) status("Threads:"), status("VmRSS:") * 1024);
  }

  private long heapAfterGc() {
    if (run("GC.run") == null) {
      return -1;
    }
    String info = run("GC.heap_info");
    if (info == null) {
      return -1;
    }
    long usedKb = 0;
    boolean found = false;
    Matcher used = USED.matcher(info);
    while (used.find()) {
      usedKb += Long.parseLong(used.group(1));
      found = true;
    }
    return found ? usedKb * 1024 : -1;
  }

  private String run(String command) {
    try {
      Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return null;
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private int[] fileDescriptors() {
    int fds = 0;
    int sockets = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : entries) {
        fds++;
        try {
          if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
            sockets++;
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor closed between listing and reading: not counted as a socket
        }
      }
    } catch (IOException e) {
      return new int[] {-1, -1};
    }
    return new int[] {fds, sockets};
  }

  private long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
