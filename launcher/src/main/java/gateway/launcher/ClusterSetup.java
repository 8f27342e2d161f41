package gateway.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import gateway.common.GatewayConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the clustered event bus: multicast off; members found over TCP from
 * {@code GATEWAY_CLUSTER_MEMBERS} (laptop, loopback tests) or through the Kubernetes API
 * ({@code GATEWAY_CLUSTER_DISCOVERY=kubernetes}, headless Service in {@code k8s/}).
 */
final class ClusterSetup {
  private ClusterSetup() {
  }

  static HazelcastClusterManager clusterManager(GatewayConfig config) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.clusterName());
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if ("kubernetes".equals(config.clusterDiscovery())) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-port", Integer.toString(config.clusterPort()));
      if (config.clusterKubernetesService() != null) {
        join.getKubernetesConfig().setProperty("service-dns", config.clusterKubernetesService());
      }
    } else {
      network.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
      join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers().isEmpty()
          ? java.util.List.of(config.clusterHost())
          : config.clusterMembers());
    }
    return new HazelcastClusterManager(hazelcast);
  }
}
