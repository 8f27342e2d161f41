package gateway.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A Redis server of a test's own, which the test may stop and start again on the same port, for fault tests:
 * the machine's shared Redis must never be restarted under other test runs. Keeps nothing on disk, so a restart
 * comes back empty, as a Redis holding only rate-limit windows and leases may.
 */
public final class RestartableRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestartableRedis.class);

  private final int port;
  private RedisServer running;

  private RestartableRedis(int port) {
    this.port = port;
  }

  /** A new server on a free port of 127.0.0.1, started. */
  public static RestartableRedis start() {
    RestartableRedis redis = new RestartableRedis(TestServices.freePort());
    redis.startAgain();
    return redis;
  }

  /** Starts the server on its port; it must be stopped. */
  public synchronized void startAgain() {
    if (running != null) {
      throw new IllegalStateException("Redis is already running on port " + port);
    }
    try {
      RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
          .setting("save \"\"").setting("appendonly no").build();
      server.start();
      running = server;
      LOG.info("restartable Redis up on 127.0.0.1:{}", port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Redis on port " + port, e);
    }
  }

  /** Stops the server and waits for its process to end; what it held is gone. */
  public synchronized void stop() {
    if (running == null) {
      return;
    }
    try {
      running.stop();
      LOG.info("restartable Redis on 127.0.0.1:{} stopped", port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop Redis on port " + port, e);
    } finally {
      running = null;
    }
  }

  public synchronized boolean isRunning() {
    return running != null;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** How many keys the server holds ({@code DBSIZE}); the server must be running. */
  public long keyCount() {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write("DBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
      if (reply == null || !reply.startsWith(":")) {
        throw new IllegalStateException("DBSIZE answered " + reply);
      }
      return Long.parseLong(reply.substring(1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot ask Redis on port " + port, e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
