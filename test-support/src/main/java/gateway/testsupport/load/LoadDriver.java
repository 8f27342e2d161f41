package gateway.testsupport.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Concurrent clients sending a {@link Mix} of calls to a gateway over HTTP/1.1 keep-alive connections, each
 * client one request at a time, every request bounded by the client's timeout (after which the client gives up,
 * closes the connection and counts the request {@link Verdict#BROKEN}). Runs on one event loop of the given
 * Vert.x without blocking it; a test thread watches {@link #answersSoFar()} and calls {@link #stop()}.
 * {@link #close()} closes every connection, so the gateway is left with none of this load's.
 */
public final class LoadDriver {

  /**
   * @param clients           how many requests are in flight at once
   * @param requestsPerClient each client stops after this many; 0 until {@link #stop()}
   * @param clientTimeout     how long a client waits for a whole answer
   * @param pause             what a client waits between its answer and its next request
   */
  public record Settings(int clients, long requestsPerClient, Duration clientTimeout, Duration pause) {
    public static Settings of(int clients) {
      return new Settings(clients, 0, Duration.ofSeconds(30), Duration.ZERO);
    }

    public Settings requestsPerClient(long n) {
      return new Settings(clients, n, clientTimeout, pause);
    }

    public Settings clientTimeout(Duration timeout) {
      return new Settings(clients, requestsPerClient, timeout, pause);
    }

    public Settings pause(Duration between) {
      return new Settings(clients, requestsPerClient, clientTimeout, between);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final URI gateway;
  private final String apiKey;
  private final Mix mix;
  private final Settings settings;
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final Promise<LoadReport> finished = Promise.promise();
  private volatile boolean stopping;
  private int clientsRunning;

  private LoadDriver(Vertx vertx, String baseUrl, String apiKey, Mix mix, Settings settings) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(settings.clients()));
    this.gateway = URI.create(baseUrl);
    this.apiKey = apiKey;
    this.mix = mix;
    this.settings = settings;
  }

  /** Starts the clients against {@code baseUrl} (scheme, host and port of the gateway) with this key. */
  public static LoadDriver start(Vertx vertx, String baseUrl, String apiKey, Mix mix, Settings settings) {
    LoadDriver driver = new LoadDriver(vertx, baseUrl, apiKey, mix, settings);
    driver.context.runOnContext(v -> {
      driver.clientsRunning = settings.clients();
      for (int client = 0; client < settings.clients(); client++) {
        driver.send(client, 0);
      }
    });
    return driver;
  }

  /** The answers so far, in the order they ended. */
  public List<Answer> answersSoFar() {
    return List.copyOf(answers);
  }

  public long count(Predicate<Answer> which) {
    return answers.stream().filter(which).count();
  }

  /** Lets each client finish the request it has in flight, then reports. */
  public Future<LoadReport> stop() {
    stopping = true;
    return finished.future();
  }

  /** Completes once every client is done: after {@code requestsPerClient} each, or after {@link #stop()}. */
  public Future<LoadReport> finished() {
    return finished.future();
  }

  /** Closes the client's connections. */
  public Future<Void> close() {
    stopping = true;
    return http.close();
  }

  private void send(int client, long n) {
    if (stopping || (settings.requestsPerClient() > 0 && n >= settings.requestsPerClient())) {
      if (--clientsRunning == 0) {
        finished.tryComplete(new LoadReport(List.copyOf(answers)));
      }
      return;
    }
    new Exchange(mix.next(client, n), client, n).begin();
  }

  /** One request of one client, ended exactly once: by its answer, its hang-up or its timeout. */
  private final class Exchange {
    private final Call call;
    private final int client;
    private final long n;
    private final long startNanos = System.nanoTime();
    private final Buffer received = Buffer.buffer();
    private long timer = -1;
    private HttpClientRequest request;
    private boolean over;

    Exchange(Call call, int client, long n) {
      this.call = call;
      this.client = client;
      this.n = n;
    }

    void begin() {
      timer = vertx.setTimer(settings.clientTimeout().toMillis(), id -> timedOut());
      http.request(options()).onComplete(connected -> {
        if (connected.failed()) {
          end(0, null, connected.cause());
          return;
        }
        request = connected.result();
        if (over) {
          request.reset();
          return;
        }
        request.send(Buffer.buffer(call.body().encode())).onComplete(answered -> {
          if (answered.failed()) {
            end(0, null, answered.cause());
          } else {
            read(answered.result());
          }
        });
      });
    }

    private void read(HttpClientResponse response) {
      String contentType = response.getHeader("content-type");
      response.handler(chunk -> {
        received.appendBuffer(chunk);
        if (call.hangUpAfterEvents() >= 0 && !over
            && SseEvents.countEnded(received.toString(StandardCharsets.UTF_8)) >= call.hangUpAfterEvents()) {
          record(new Answer(call.name(), response.statusCode(), Verdict.HUNG_UP, null, null, elapsed(),
              System.nanoTime()));
          request.reset();
        }
      });
      response.exceptionHandler(ignored -> { });
      response.end().onComplete(ended -> end(response.statusCode(), contentType, ended.cause()));
    }

    private void end(int status, String contentType, Throwable failure) {
      if (over) {
        return;
      }
      String body = received.toString(StandardCharsets.UTF_8);
      AnswerCheck.Result result = status == 0
          ? new AnswerCheck.Result(Verdict.BROKEN, null, "no HTTP answer: " + failure)
          : AnswerCheck.check(call, status, contentType, body, failure);
      record(new Answer(call.name(), status, result.verdict(), result.code(), result.detail(), elapsed(),
          System.nanoTime()));
    }

    private void timedOut() {
      if (over) {
        return;
      }
      record(new Answer(call.name(), 0, Verdict.BROKEN, null, "no whole answer within "
          + settings.clientTimeout().toMillis() + " ms: " + AnswerCheck.snippet(received.toString()), elapsed(),
          System.nanoTime()));
      if (request != null) {
        request.reset();
      }
    }

    private void record(Answer answer) {
      over = true;
      vertx.cancelTimer(timer);
      answers.add(answer);
      long pause = settings.pause().toMillis();
      if (pause > 0) {
        vertx.setTimer(pause, id -> send(client, n + 1));
      } else {
        context.runOnContext(v -> send(client, n + 1));
      }
    }

    private long elapsed() {
      return System.nanoTime() - startNanos;
    }

    private RequestOptions options() {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
      if (call.protocol() == Protocol.MESSAGES) {
        headers.add("x-api-key", apiKey).add("anthropic-version", "2023-06-01");
      } else {
        headers.add("authorization", "Bearer " + apiKey);
      }
      return new RequestOptions().setMethod(HttpMethod.POST).setHost(gateway.getHost()).setPort(gateway.getPort())
          .setURI(call.path()).setHeaders(headers);
    }
  }
}
