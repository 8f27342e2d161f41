package gateway.bench;

import gateway.testsupport.fake.FakeUpstream;
import gateway.testsupport.load.AdminHttp;
import gateway.testsupport.load.Levelling;
import gateway.testsupport.load.SoakMix;
import gateway.testsupport.load.SoakRun;
import gateway.testsupport.load.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak's driver (bench/soak.sh starts the gateway and checks the money): the fake upstream in this JVM,
 * {@link SoakMix}'s catalog and account written through the gateway's admin API, then {@link SoakRun}'s mixed
 * traffic for the given minutes, sampling the gateway process. Writes {@code account.txt}, {@code samples.tsv},
 * {@code answers.txt}, {@code complete.txt} (how many whole answers the clients got, and how many times they hung up) and {@code levelling.txt} to the output directory and exits 0 when every answer was whole
 * or a clean error, no client connection or upstream call was left and heap, descriptors, sockets and threads
 * levelled off; 2 when something grew, 3 when answers were broken or something was left open.
 *
 * <pre>
 * java -cp bench/target/fake-upstream.jar gateway.bench.SoakMain --gateway http://127.0.0.1:8080 \
 *     --admin-token T --pid 1234 --out DIR [--minutes 20] [--clients 16] [--pause-ms 20] [--sample-seconds 30]
 *     [--heap-every 1] [--seed 8] [--credits 100000]
 * </pre>
 */
public final class SoakMain {
  private SoakMain() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = parse(args);
    Path out = Path.of(required(o, "out"));
    Files.createDirectories(out);
    SoakRun.Options options = new SoakRun.Options(
        Duration.ofSeconds(Math.round(Double.parseDouble(o.getOrDefault("minutes", "20")) * 60)),
        Integer.parseInt(o.getOrDefault("clients", "16")),
        Duration.ofMillis(Long.parseLong(o.getOrDefault("pause-ms", "20"))),
        Duration.ofSeconds(Long.parseLong(o.getOrDefault("sample-seconds", "30"))),
        Integer.parseInt(o.getOrDefault("heap-every", "1")),
        Long.parseLong(o.getOrDefault("seed", "8")),
        o.getOrDefault("credits", "100000"));

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setBlockedThreadCheckInterval(60_000));
    FakeUpstream fake = FakeUpstream.start(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
        .recordRequests(false).expectApiKey(SoakMix.UPSTREAM_KEY);
    AdminHttp admin = new AdminHttp(required(o, "gateway"), required(o, "admin-token"));
    SoakRun.Result soak = SoakRun.run(vertx, fake, admin, required(o, "gateway"), Long.parseLong(required(o, "pid")),
        options, line -> {
          System.out.println(line);
          System.out.flush();
        });
    Files.writeString(out.resolve("account.txt"), soak.setup().accountId() + "\n", StandardCharsets.UTF_8);
    Files.writeString(out.resolve("samples.tsv"), SoakRun.table(soak), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("answers.txt"), soak.report().summary(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("complete.txt"), soak.report().count(Verdict.COMPLETE) + " "
        + soak.report().count(Verdict.HUNG_UP) + "\n", StandardCharsets.UTF_8);

    List<Levelling> levelling = soak.levelling();
    StringBuilder verdict = new StringBuilder();
    levelling.forEach(check -> verdict.append(check).append('\n'));
    boolean broken = !soak.report().broken().isEmpty();
    boolean leftOpen = soak.after().clientConnections() > soak.clientConnectionsBefore()
        || soak.upstreamCallsOpen() > 0;
    verdict.append(String.format("answers %,d, broken %d; client connections after the load %d (before it %d); "
            + "upstream calls open %d%n", soak.report().answers().size(), soak.report().broken().size(),
        soak.after().clientConnections(), soak.clientConnectionsBefore(), soak.upstreamCallsOpen()));
    Files.writeString(out.resolve("levelling.txt"), verdict, StandardCharsets.UTF_8);
    System.out.println(soak.report().summary());
    System.out.print(verdict);

    fake.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int status = broken || leftOpen ? 3 : levelling.stream().allMatch(Levelling::levelled) ? 0 : 2;
    System.exit(status);
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static Map<String, String> parse(String[] args) throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: --gateway URL --admin-token T --pid PID --out DIR [--minutes M] "
            + "[--clients N] [--pause-ms N] [--sample-seconds N] [--heap-every N] [--seed N] [--credits N]"
            + " (got '" + args[i] + "')");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
