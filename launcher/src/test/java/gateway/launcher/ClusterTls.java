package gateway.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster's TLS material as an operator makes it: one PKCS12 keystore (key and self-signed
 * certificate) made by the JDK's own {@code keytool}, shared by every member.
 */
record ClusterTls(Path keystore, String password) {

  static ClusterTls generate(Path dir, String name) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path keystore = dir.resolve(name + ".p12");
    Files.deleteIfExists(keystore);
    String password = "pw-" + name + "-" + Long.toHexString(System.nanoTime());
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "gateway",
        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "30",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password, "-keypass", password))
        .redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
    }
    return new ClusterTls(keystore, password);
  }
}
