package gateway.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One gateway JVM started from the shaded jar, its log in a file, stopped by SIGTERM or SIGKILL. */
final class GatewayProcess {
  private final String name;
  private final Map<String, String> env;
  private final Path log;
  private final int httpPort;
  private Process process;

  GatewayProcess(String name, Map<String, String> env, Path logDir) {
    this.name = name;
    this.env = Map.copyOf(env);
    this.log = logDir.resolve(name + ".log");
    this.httpPort = Integer.parseInt(env.get("GATEWAY_HTTP_PORT"));
  }

  GatewayProcess start() throws IOException {
    Path jar = Path.of("target", "gateway.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after 'mvn package'");
    }
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
        "-jar", jar.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_"));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    return this;
  }

  boolean ready(HttpClient http) {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
    }
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** SIGKILL: the process gets no chance to finish anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as Kubernetes stops a pod; true if it exited within the bound. */
  boolean terminate(Duration bound) throws InterruptedException {
    process.destroy();
    return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The operating system's id of the running process. */
  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  Path log() {
    return log;
  }

  String name() {
    return name;
  }
}
