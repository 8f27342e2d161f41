package gateway.testsupport.load;

import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A soak: {@link SoakMix}'s traffic against one running gateway process for a while, sampling the process
 * ({@link ProcessSampler}) and the client connections it holds ({@link TcpConnections}) at a fixed rate, then a
 * last sample once the load's connections are closed. Blocking: for a main method or a test thread. Money is the
 * caller's to check, in SQL, once the gateway settled everything.
 */
public final class SoakRun {

  /**
   * @param heapEvery how often a sample includes the heap after a full GC (every n-th sample; 0 never); the
   *                  first and the last always do when it is not 0
   */
  public record Options(Duration duration, int clients, Duration pause, Duration sampleEvery, int heapEvery,
                        long seed, String credits) {
  }

  /** One sample: the process, the client connections it holds, and the load's answers so far. */
  public record Sample(ProcessSampler.Sample process, int clientConnections, long answers, long broken) {
  }

  /**
   * What the soak did; {@code after} is the sample once the load's connections were closed, to compare with
   * {@code clientConnectionsBefore} (the operator's own connections, open before the load began).
   */
  public record Result(SoakMix.Setup setup, LoadReport report, List<Sample> samples, Sample after,
                       int clientConnectionsBefore, int upstreamCallsOpen) {

    /** Whether heap, descriptors, sockets and threads levelled off over the samples taken under load. */
    public List<Levelling> levelling() {
      List<Levelling> checks = new ArrayList<>();
      List<Long> heap = samples.stream().map(s -> s.process().heapAfterGcBytes()).filter(h -> h > 0).toList();
      if (heap.size() >= 4) {
        checks.add(Levelling.of("heap after GC (bytes)", heap, 1.2, 16L << 20));
      }
      addIfEnough(checks, "file descriptors", s -> (long) s.process().fds(), 1.1, 32);
      addIfEnough(checks, "sockets", s -> (long) s.process().sockets(), 1.1, 32);
      addIfEnough(checks, "threads", s -> (long) s.process().threads(), 1.0, 4);
      return checks;
    }

    private void addIfEnough(List<Levelling> checks, String what, Function<Sample, Long> value, double ratio,
                             long slack) {
      List<Long> values = samples.stream().map(value).filter(v -> v >= 0).toList();
      if (values.size() >= 4) {
        checks.add(Levelling.of(what, values, ratio, slack));
      }
    }
  }

  private SoakRun() {
  }

  public static Result run(Vertx vertx, FakeUpstream fake, AdminHttp admin, String gatewayBaseUrl, long gatewayPid,
                           Options options, Consumer<String> progress) throws InterruptedException {
    SoakMix.Setup setup = SoakMix.configure(admin, fake, options.seed(), options.credits());
    int port = URI.create(gatewayBaseUrl).getPort();
    ProcessSampler sampler = new ProcessSampler(gatewayPid);
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    int before = TcpConnections.open(port);
    LoadDriver load = LoadDriver.start(vertx, gatewayBaseUrl, setup.apiKey(), setup.mix(),
        LoadDriver.Settings.of(options.clients()).pause(options.pause()));
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "soak-clock"));
    try {
      long[] taken = {0};
      long sampleMs = options.sampleEvery().toMillis();
      long total = Math.max(1, options.duration().toMillis() / sampleMs);
      clock.scheduleAtFixedRate(() -> {
        long n = taken[0]++;
        boolean heap = options.heapEvery() > 0 && (n % options.heapEvery() == 0 || n >= total - 1);
        Sample sample = new Sample(sampler.sample(heap), TcpConnections.open(port), load.count(a -> true),
            load.count(a -> a.verdict() == Verdict.BROKEN));
        samples.add(sample);
        progress.accept(describe(sample));
      }, sampleMs, sampleMs, TimeUnit.MILLISECONDS);
      await(after(clock, options.duration()), options.duration().plusMinutes(1));
    } finally {
      clock.shutdownNow();
      clock.awaitTermination(90, TimeUnit.SECONDS);
    }
    LoadReport report = await(load.stop(), Duration.ofSeconds(90));
    await(load.close(), Duration.ofSeconds(30));
    int connections = settle(() -> TcpConnections.open(port), before);
    int upstream = settle(fake::activeRequests, 0);
    Sample after = new Sample(sampler.sample(options.heapEvery() > 0), connections, report.answers().size(),
        report.count(Verdict.BROKEN));
    progress.accept("after the load: " + describe(after));
    return new Result(setup, report, List.copyOf(samples), after, before, upstream);
  }

  /** Header and rows of a samples table (TSV). */
  public static String table(Result result) {
    StringBuilder tsv = new StringBuilder(
        "seconds\theap_after_gc_mib\tfds\tsockets\tthreads\trss_mib\tclient_connections\tanswers\tbroken\n");
    List<Sample> all = new ArrayList<>(result.samples());
    all.add(result.after());
    for (Sample s : all) {
      ProcessSampler.Sample p = s.process();
      tsv.append(p.seconds()).append('\t').append(mib(p.heapAfterGcBytes())).append('\t').append(p.fds())
          .append('\t').append(p.sockets()).append('\t').append(p.threads()).append('\t').append(mib(p.rssBytes()))
          .append('\t').append(s.clientConnections()).append('\t').append(s.answers()).append('\t')
          .append(s.broken()).append('\n');
    }
    return tsv.toString();
  }

  private static String describe(Sample s) {
    ProcessSampler.Sample p = s.process();
    return String.format("t=%ds heap=%s MiB fds=%d sockets=%d threads=%d rss=%s MiB clients=%d answers=%d broken=%d",
        p.seconds(), mib(p.heapAfterGcBytes()), p.fds(), p.sockets(), p.threads(), mib(p.rssBytes()),
        s.clientConnections(), s.answers(), s.broken());
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format("%.1f", bytes / 1048576.0);
  }

  /** A value that should fall to {@code floor} once the load is gone: read until it does, for at most 30 s. */
  private static int settle(java.util.function.IntSupplier value, int floor) throws InterruptedException {
    ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
    try {
      CompletableFuture<Integer> zero = new CompletableFuture<>();
      poll.scheduleWithFixedDelay(() -> {
        int now = value.getAsInt();
        if (now <= floor) {
          zero.complete(now);
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      try {
        return zero.get(30, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        return value.getAsInt();
      }
    } finally {
      poll.shutdownNow();
    }
  }

  private static CompletableFuture<Void> after(ScheduledExecutorService clock, Duration delay) {
    CompletableFuture<Void> over = new CompletableFuture<>();
    clock.schedule(() -> over.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
    return over;
  }

  private static <T> T await(Future<T> future, Duration bound) throws InterruptedException {
    return await(future.toCompletionStage().toCompletableFuture(), bound);
  }

  private static <T> T await(CompletableFuture<T> future, Duration bound) throws InterruptedException {
    try {
      return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the soak did not get this done within " + bound, e);
    }
  }
}
