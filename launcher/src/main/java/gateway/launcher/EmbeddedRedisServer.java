package gateway.launcher;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/** The Redis a laptop without {@code GATEWAY_REDIS_URL} runs on: limits only, nothing to keep. */
final class EmbeddedRedisServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedisServer.class);

  private final RedisServer redis;
  private final int port;

  private EmbeddedRedisServer(RedisServer redis, int port) {
    this.redis = redis;
    this.port = port;
  }

  static EmbeddedRedisServer start() throws IOException {
    int port = EmbeddedPostgresServer.freePort();
    RedisServer redis = RedisServer.newRedisServer()
        .bind("127.0.0.1")
        .port(port)
        .setting("save \"\"")
        .setting("appendonly no")
        .build();
    redis.start();
    LOG.info("embedded Redis on 127.0.0.1:{}", port);
    return new EmbeddedRedisServer(redis, port);
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException {
    redis.stop();
  }
}
