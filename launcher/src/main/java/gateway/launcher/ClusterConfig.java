package gateway.launcher;

import gateway.common.config.Env;
import java.util.List;

/**
 * How a process joins the cluster: Hazelcast membership and the clustered event bus.
 *
 * @param enabled           {@code GATEWAY_CLUSTER}: join at all (false: one process, local bus)
 * @param members           {@code GATEWAY_CLUSTER_MEMBERS}: TCP members {@code host[:port]}; this host when empty
 * @param host              {@code GATEWAY_CLUSTER_HOST}: the address this member binds and advertises
 * @param port              {@code GATEWAY_CLUSTER_PORT}: Hazelcast's port
 * @param kubernetesService {@code GATEWAY_CLUSTER_KUBERNETES_SERVICE}: headless Service DNS name, or null
 * @param eventBusPort      {@code GATEWAY_EVENTBUS_PORT}: 0 for a random one
 * @param tlsKeystore       {@code GATEWAY_CLUSTER_TLS_KEYSTORE}: PKCS12 keystore (one key and certificate
 *                          shared by every member) for the event bus over mutual TLS, or null
 * @param tlsPassword       {@code GATEWAY_CLUSTER_TLS_PASSWORD}: that keystore's password
 */
public record ClusterConfig(boolean enabled, List<String> members, String host, int port, Discovery discovery,
                            String kubernetesService, String name, int eventBusPort, String tlsKeystore,
                            String tlsPassword) {

  /** {@code GATEWAY_CLUSTER_DISCOVERY}: how members find each other. */
  public enum Discovery implements Env.Choice {
    /** The members listed in {@code GATEWAY_CLUSTER_MEMBERS}. */
    TCP,
    /** Hazelcast's Kubernetes discovery, through the headless Service. */
    KUBERNETES;

    @Override
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ClusterConfig {
    members = List.copyOf(members);
  }

  public static ClusterConfig fromEnv(Env env) {
    return new ClusterConfig(
        env.bool("GATEWAY_CLUSTER", false),
        env.list("GATEWAY_CLUSTER_MEMBERS"),
        env.string("GATEWAY_CLUSTER_HOST", "127.0.0.1"),
        env.integer("GATEWAY_CLUSTER_PORT", 5701),
        env.choice("GATEWAY_CLUSTER_DISCOVERY", Discovery.TCP),
        env.string("GATEWAY_CLUSTER_KUBERNETES_SERVICE", null),
        env.string("GATEWAY_CLUSTER_NAME", "llm-gateway"),
        env.integer("GATEWAY_EVENTBUS_PORT", 0),
        env.string("GATEWAY_CLUSTER_TLS_KEYSTORE", null),
        env.string("GATEWAY_CLUSTER_TLS_PASSWORD", null));
  }
}
