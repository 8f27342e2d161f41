package gateway.launcher;

import gateway.common.config.Env;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar gateway.jar}: configuration from the environment, roles from {@code GATEWAY_ROLES}. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    Env env = Env.of(System.getenv());
    try {
      GatewayConfig.fromEnv(env); // a malformed variable is refused before anything starts
    } catch (IllegalArgumentException e) {
      LOG.error("bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(env);
    } catch (Exception e) {
      LOG.error("the gateway could not start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      gateway.close();
      LOG.info("stopped");
    }, "gateway-shutdown"));
    if (gateway.adminTokenCreated()) {
      printAdminToken(System.out, gateway);
    }
  }

  /**
   * Shown once, on the console only (never through the logger): the operator copies it now;
   * later starts read it from the data directory.
   */
  private static void printAdminToken(PrintStream out, Gateway gateway) {
    out.println();
    out.println("  Admin token (shown once; kept in " + gateway.config().dataDir() + "/" + AdminTokenFile.FILE_NAME
        + "):");
    out.println("    " + gateway.adminToken());
    out.println();
    out.flush();
  }
}
