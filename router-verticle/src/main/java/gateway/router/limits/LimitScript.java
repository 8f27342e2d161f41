package gateway.router.limits;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the limiter's Lua scripts in Redis, after the start both share ({@code windows.lua}: the clock and the
 * windows): run by its SHA, loaded on first use and again after a Redis restart.
 */
final class LimitScript {
  private final RedisAPI redis;
  private final String source;
  private final long timeoutMs;
  private volatile String sha;

  LimitScript(RedisAPI redis, String resource, long timeoutMs) {
    this.redis = redis;
    this.source = read("windows.lua") + "\n" + read(resource);
    this.timeoutMs = timeoutMs;
  }

  /** EVALSHA with these arguments (no keys), bounded in time. */
  Future<Response> run(List<String> args) {
    String loaded = sha;
    Future<Response> call;
    if (loaded == null) {
      call = load().compose(fresh -> evalsha(fresh, args));
    } else {
      call = evalsha(loaded, args).recover(failure -> failure.getMessage() != null
          && failure.getMessage().startsWith("NOSCRIPT")
          ? load().compose(fresh -> evalsha(fresh, args))
          : Future.failedFuture(failure));
    }
    return call.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  Future<String> load() {
    return redis.script(List.of("LOAD", source)).map(reply -> {
      sha = reply.toString();
      return sha;
    });
  }

  private Future<Response> evalsha(String sha, List<String> args) {
    List<String> command = new ArrayList<>(args.size() + 2);
    command.add(sha);
    command.add("0");
    command.addAll(args);
    return redis.evalsha(command);
  }

  private static String read(String name) {
    try (InputStream in = LimitScript.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
