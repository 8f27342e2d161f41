package gateway.bench;

import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's upstream: the project's {@link FakeUpstream} on 127.0.0.1, recording off,
 * answering each named model (OpenAI chat, non-stream and SSE stream alike) with one fixed
 * short reply and fixed token usage, so the gateway's billing prices and settles real numbers.
 *
 * <pre>
 * java -jar bench/target/fake-upstream.jar --port-file /tmp/fake.port \
 *     [--models bench-model,other] [--reply "text"] [--prompt-tokens 20] [--completion-tokens 10]
 *     [--first-byte-delay-ms 0] [--chunk-delay-ms 0]
 * </pre>
 *
 * <p>{@link FakeUpstream#start(Vertx)} binds a free port of its own choosing (it has no port
 * parameter), so the port is printed ({@code LISTENING <port>}) and, with {@code --port-file},
 * written to that file once the server accepts connections: a script waits for the file.
 * Runs until killed.
 */
public final class FakeUpstreamMain {
  private FakeUpstreamMain() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    List<String> models = new ArrayList<>();
    for (String model : options.getOrDefault("models", "bench-model").split(",")) {
      if (!model.isBlank()) {
        models.add(model.trim());
      }
    }
    String reply = options.getOrDefault("reply", "Hello from the bench upstream.");
    long promptTokens = Long.parseLong(options.getOrDefault("prompt-tokens", "20"));
    long completionTokens = Long.parseLong(options.getOrDefault("completion-tokens", "10"));
    long delayMs = Long.parseLong(options.getOrDefault("first-byte-delay-ms", "0"));
    long chunkDelayMs = Long.parseLong(options.getOrDefault("chunk-delay-ms", "0"));
    String portFile = options.get("port-file");

    // One event loop serves the fake (FakeUpstream binds its server from this thread); a few
    // spare loops cost nothing. Blocked-thread warnings are pointless for a load tool.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(60_000));
    FakeUpstream fake = FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    fake.recordRequests(false);
    Behavior behavior = Behavior.reply(reply).usage(promptTokens, completionTokens);
    if (delayMs > 0) {
      behavior = behavior.firstByteDelay(Duration.ofMillis(delayMs));
    }
    if (chunkDelayMs > 0) { // slow streams: each SSE chunk this long after the one before
      behavior = behavior.chunkDelay(Duration.ofMillis(chunkDelayMs));
    }
    for (String model : models) {
      fake.script(model, behavior);
    }

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        fake.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // exiting anyway
      }
      stopped.countDown();
    }, "fake-upstream-shutdown"));

    int port = fake.port();
    if (portFile != null) {
      writeAtomically(Path.of(portFile), Integer.toString(port));
    }
    System.out.println("LISTENING " + port + " models=" + models + " usage=" + promptTokens + "+" + completionTokens);
    System.out.flush();
    stopped.await();
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: --port-file F --models a,b --reply TEXT "
            + "--prompt-tokens N --completion-tokens N --first-byte-delay-ms N --chunk-delay-ms N (got '" + arg + "')");
      }
      options.put(arg.substring(2), args[++i]);
    }
    return options;
  }
}
