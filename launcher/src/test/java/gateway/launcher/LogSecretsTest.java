package gateway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.testsupport.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Greps the logs of every module's test run (surefire writes each class's output to
 * {@code target/surefire-reports/*-output.txt}; the launcher module runs last) for secrets:
 * full API keys, the admin token, the channel keys the tests give upstreams.
 */
class LogSecretsTest {
  /** A full gateway key: sk- and 43 URL-safe base64 characters (display prefixes are 6 and an ellipsis). */
  private static final Pattern FULL_API_KEY = Pattern.compile("sk-[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");
  private static final List<String> KNOWN_SECRETS = List.of(
      TestServices.ADMIN_TOKEN,
      "sk-upstream-secret-of-the-channel",
      "sk-very-secret");

  @Test
  @DisplayName("no test log of the build holds an API key, the admin token or an upstream key")
  void logsHoldNoSecrets() throws IOException {
    List<Path> logs = testLogs(Path.of("..").toAbsolutePath().normalize());
    List<String> leaks = new ArrayList<>();
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      for (String secret : KNOWN_SECRETS) {
        if (text.contains(secret)) {
          leaks.add(log + ": " + secret);
        }
      }
      Matcher key = FULL_API_KEY.matcher(text);
      while (key.find()) {
        leaks.add(log + ": " + key.group().substring(0, 9) + "…");
      }
    }
    assertThat(leaks).as("secrets found in %d test logs", logs.size()).isEmpty();
  }

  static List<Path> testLogs(Path root) throws IOException {
    List<Path> logs = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.toList()) {
        Path reports = module.resolve("target/surefire-reports");
        if (Files.isDirectory(reports)) {
          try (Stream<Path> files = Files.list(reports)) {
            files.filter(f -> f.getFileName().toString().endsWith("-output.txt"))
                .filter(f -> !f.getFileName().toString().contains("LogSecretsTest"))
                .forEach(logs::add);
          }
        }
      }
    }
    return logs;
  }
}
