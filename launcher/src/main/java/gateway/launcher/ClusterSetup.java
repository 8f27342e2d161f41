package gateway.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hazelcast for the clustered event bus: multicast off; members found over TCP from
 * {@code GATEWAY_CLUSTER_MEMBERS} (laptop, loopback tests) or through the Kubernetes API
 * ({@code GATEWAY_CLUSTER_DISCOVERY=kubernetes}, headless Service in {@code k8s/}).
 *
 * <p>The event bus, which carries every command and answer (top-ups, resolved channels with
 * their keys, verified principals), runs over mutual TLS: each member presents the one
 * certificate of {@code GATEWAY_CLUSTER_TLS_KEYSTORE} and accepts only peers presenting a
 * certificate that keystore trusts, so a process without it can neither send to nor receive
 * from any member. Hazelcast itself (membership and the map of who consumes which address)
 * has no TLS or member authentication in its open-source edition: that port is closed to
 * everything but the gateway's pods by the NetworkPolicy in {@code k8s/}, and holds no secret.
 * Without a keystore a cluster may only bind a loopback address.
 */
final class ClusterSetup {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);

  private ClusterSetup() {
  }

  /** The event bus of a clustered member: its address and port, and mutual TLS when configured. */
  static EventBusOptions eventBusOptions(ClusterConfig config) {
    EventBusOptions options = new EventBusOptions().setHost(config.host()).setPort(config.eventBusPort());
    if (config.tlsKeystore() == null) {
      if (!isLoopback(config.host())) {
        throw new IllegalArgumentException("GATEWAY_CLUSTER_HOST " + config.host() + " is reachable from"
            + " other machines: set GATEWAY_CLUSTER_TLS_KEYSTORE and GATEWAY_CLUSTER_TLS_PASSWORD so the event bus"
            + " runs over mutual TLS (see the README, 'Securing the cluster')");
      }
      LOG.warn("the clustered event bus runs without TLS: acceptable on loopback only");
      return options;
    }
    if (config.tlsPassword() == null) {
      throw new IllegalArgumentException("GATEWAY_CLUSTER_TLS_KEYSTORE is set: GATEWAY_CLUSTER_TLS_PASSWORD must be too");
    }
    // PfxOptions, not KeyStoreOptions: Vert.x copies the event-bus options through JSON, which keeps only the former
    PfxOptions store = new PfxOptions().setPath(config.tlsKeystore()).setPassword(config.tlsPassword());
    // one certificate for every member: it is both what a member shows and what it trusts
    return options.setSsl(true).setKeyCertOptions(store).setTrustOptions(store).setClientAuth(ClientAuth.REQUIRED);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static HazelcastClusterManager clusterManager(ClusterConfig config) {
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.name());
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.port()).setPortAutoIncrement(true);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (config.discovery() == ClusterConfig.Discovery.KUBERNETES) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-port", Integer.toString(config.port()));
      if (config.kubernetesService() != null) {
        join.getKubernetesConfig().setProperty("service-dns", config.kubernetesService());
      }
    } else {
      network.getInterfaces().setEnabled(true).addInterface(config.host());
      join.getTcpIpConfig().setEnabled(true).setMembers(config.members().isEmpty()
          ? java.util.List.of(config.host())
          : config.members());
    }
    return new HazelcastClusterManager(hazelcast);
  }
}
