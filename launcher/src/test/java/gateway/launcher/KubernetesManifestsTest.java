package gateway.launcher;

import static gateway.testsupport.Await.result;

import gateway.testsupport.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import gateway.catalog.CatalogFileCheck;
import gateway.common.PgUrl;
import gateway.common.Role;
import gateway.common.bus.AuthBus;
import gateway.common.bus.BillingBus;
import gateway.common.bus.CatalogBus;
import gateway.launcher.KubernetesManifests.Manifest;
import gateway.ops.HealthEndpoints;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapVolumeSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V2MetricSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kubernetes manifests under {@code k8s/} against the Kubernetes API schema (the official
 * Java client's models, generated from the API's OpenAPI description) and against this code:
 * variable names, ports, probe paths, roles, the catalog file, cluster discovery, scaling.
 */
@ExtendWith(VertxExtension.class)
class KubernetesManifestsTest {
  private static final String HEADLESS_SERVICE = "llm-gateway-cluster";
  private static final String API_SERVICE = "llm-gateway";
  private static final String SERVICE_ACCOUNT = "llm-gateway";
  private static final String COMPONENT = "app.kubernetes.io/component";
  /** Variables a container may set that GatewayConfig does not read. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

  private static KubernetesManifests k8s;

  @BeforeAll
  static void load() {
    k8s = KubernetesManifests.load();
  }

  @Test
  @DisplayName("every manifest is an object of the Kubernetes API that its schema accepts, string values quoted")
  void manifestsMatchTheSchema() {
    assertThat(k8s.manifests()).extracting(Manifest::kind).contains(
        "Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "Deployment",
        "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy");
    for (Manifest manifest : k8s.manifests()) {
      assertThat(manifest.name()).as("%s: metadata.name", manifest).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      List<JsonNode> mustBeStrings = new ArrayList<>();
      manifest.tree().path("data").forEach(mustBeStrings::add);
      manifest.tree().path("stringData").forEach(mustBeStrings::add);
      manifest.tree().findValues("env").forEach(env -> env.forEach(v -> {
        if (v.has("value")) {
          mustBeStrings.add(v.get("value"));
        }
      }));
      assertThat(mustBeStrings).as("%s: ConfigMap/Secret data and env values (quote numbers and booleans)", manifest)
          .allMatch(JsonNode::isTextual);
    }
  }

  @Test
  @DisplayName("the schema check refuses a misspelt field, a missing required field and a value of the wrong type")
  void schemaCheckIsStrict() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: probe}
        spec:
          selector: {matchLabels: {app: probe}}
          template:
            metadata: {labels: {app: probe}}
            spec:
              containers:
                - name: gateway
                  image: llm-gateway:0.1.0
                  readinessProbe: {httpGet: {path: /health/ready, port: http}}
        """;
    assertThat(KubernetesManifests.toModel(yaml.readTree(deployment), "valid")).isInstanceOf(V1Deployment.class);
    assertThatThrownBy(() -> KubernetesManifests.toModel(yaml.readTree(deployment.replace("path:", "pth:")), "typo"))
        .hasMessageContaining("`pth`");
    assertThatThrownBy(() -> KubernetesManifests.toModel(yaml.readTree(deployment.replace("- name: gateway", "- stdin: true")),
        "no name")).hasMessageContaining("`name`");
    assertThatThrownBy(() -> KubernetesManifests.toModel(
        yaml.readTree(deployment.replace("spec:\n  selector", "spec:\n  replicas: two\n  selector")), "type"))
        .hasMessageContaining("does not match the API schema");
    assertThatThrownBy(() -> KubernetesManifests.toModel(
        yaml.readTree(deployment.replace("apps/v1", "extensions/v1beta1")), "old api"))
        .hasMessageContaining("no Kubernetes API type");
  }

  @Test
  @DisplayName("kustomization.yaml applies every manifest but the Secret template, in the namespace the objects name")
  void kustomizationListsTheManifests() {
    Set<String> files = KubernetesManifests.yamlFiles(k8s.root().resolve(KubernetesManifests.DIRECTORY)).stream()
        .map(f -> f.getFileName().toString())
        .filter(f -> !f.equals(KubernetesManifests.KUSTOMIZATION) && !f.equals(KubernetesManifests.SECRET_TEMPLATE))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> resources = new TreeSet<>();
    k8s.kustomization().path("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources).isEqualTo(files);

    String namespace = k8s.kustomization().path("namespace").asText();
    assertThat(k8s.all(V1Namespace.class)).extracting(n -> n.getMetadata().getName()).containsExactly(namespace);
    for (Manifest manifest : k8s.manifests()) {
      boolean clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding").contains(manifest.kind());
      assertThat(manifest.tree().path("metadata").path("namespace").asText(null))
          .as("%s: namespace", manifest).isEqualTo(clusterScoped ? null : namespace);
    }

    Set<String> images = new HashSet<>();
    k8s.all(V1Deployment.class).forEach(d -> images.add(KubernetesManifests.gatewayContainer(d).getImage()));
    assertThat(images).as("one image for every role").hasSize(1);
    JsonNode image = k8s.kustomization().path("images").get(0);
    assertThat(images.iterator().next()).isEqualTo(image.path("name").asText() + ":" + image.path("newTag").asText());
  }

  @Test
  @DisplayName("each role has a Deployment of its own whose GATEWAY_ROLES names it, and the four cover every role")
  void oneDeploymentPerRole() {
    assertThat(k8s.all(V1Deployment.class)).hasSize(Role.values().length);
    Set<Role> covered = EnumSet.noneOf(Role.class);
    for (Role role : Role.values()) {
      V1Deployment deployment = k8s.deployment(role);
      String rolesValue = k8s.environment(deployment).get("GATEWAY_ROLES");
      assertThat(rolesValue).as("%s: GATEWAY_ROLES is explicit (blank means every role)", role).isNotBlank();
      Set<Role> roles = Role.parseList(rolesValue);
      assertThat(roles).as("%s: GATEWAY_ROLES", role).containsExactly(role);
      covered.addAll(roles);

      Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
      Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      assertThat(podLabels).as("%s: the selector matches the pod template", role).containsAllEntriesOf(selector);
      assertThat(selector).as("%s: the selector tells the roles apart", role).containsEntry(COMPONENT, role.wire());
    }
    assertThat(covered).containsExactlyInAnyOrder(Role.values());
  }

  @Test
  @DisplayName("every GATEWAY_ variable the manifests set is one GatewayConfig reads; the rest feed $(VAR), the catalog or the JVM")
  void variableNamesExistInTheCode() throws IOException {
    Set<String> catalogVariables = readCatalog().variables();
    for (V1Deployment deployment : k8s.all(V1Deployment.class)) {
      V1Container container = KubernetesManifests.gatewayContainer(deployment);
      Set<String> names = new LinkedHashSet<>();
      Objects.requireNonNullElse(container.getEnv(), List.<V1EnvVar>of()).forEach(v -> names.add(v.getName()));
      for (V1EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<V1EnvFromSource>of())) {
        names.addAll(source.getConfigMapRef() != null
            ? k8s.named(V1ConfigMap.class, source.getConfigMapRef().getName()).getData().keySet()
            : k8s.secretData(source.getSecretRef().getName()).keySet());
      }
      List<String> referenced = KubernetesManifests.references(container);
      for (String name : names) {
        if (name.startsWith("GATEWAY_")) {
          assertThat(gatewayConfigReads(name)).as("%s sets %s: GatewayConfig.fromEnv must read it",
              deployment.getMetadata().getName(), name).isTrue();
        } else {
          assertThat(JVM_VARIABLES.contains(name) || referenced.contains(name) || catalogVariables.contains(name))
              .as("%s sets %s, which neither GatewayConfig, a $(VAR) reference, the catalog nor the JVM reads",
                  deployment.getMetadata().getName(), name).isTrue();
        }
      }
    }
  }

  @Test
  @DisplayName("each Deployment's environment parses into a clustered configuration with what its role needs")
  void environmentParsesIntoTheRoleConfiguration() {
    String namespace = k8s.kustomization().path("namespace").asText();
    for (Role role : Role.values()) {
      GatewayConfig config = config(role);
      assertThat(config.cluster().enabled()).as("%s: GATEWAY_CLUSTER", role).isTrue();
      assertThat(config.cluster().discovery().wire()).as("%s: GATEWAY_CLUSTER_DISCOVERY", role).isEqualTo("kubernetes");
      assertThat(config.cluster().host()).as("%s: GATEWAY_CLUSTER_HOST is the pod IP", role)
          .isEqualTo(KubernetesManifests.POD_IP);
      assertThat(config.cluster().kubernetesService()).as("%s: GATEWAY_CLUSTER_KUBERNETES_SERVICE", role)
          .isEqualTo(HEADLESS_SERVICE + "." + namespace + ".svc.cluster.local");
      assertThat(config.cluster().eventBusPort()).as("%s: GATEWAY_EVENTBUS_PORT is fixed", role).isPositive();
      assertThat(config.cluster().name()).as("%s: GATEWAY_CLUSTER_NAME", role).isNotBlank();
      assertThat(config.cluster().tlsKeystore()).as("%s: GATEWAY_CLUSTER_TLS_KEYSTORE", role).isNotBlank();
      assertThat(config.cluster().tlsPassword()).as("%s: GATEWAY_CLUSTER_TLS_PASSWORD", role).isNotBlank();
      assertThat(ClusterSetup.eventBusOptions(config.cluster()).isSsl()).as("%s: event bus over TLS", role).isTrue();

      // every role keeps data in Postgres: the router its video jobs
      assertThat(config.pg().url()).as("%s: GATEWAY_PG_URL", role).isNotNull();
      assertThat(PgUrl.parse(config.pg().url()).host()).as("%s: GATEWAY_PG_URL host", role).isNotBlank();
      if (role == Role.ROUTER) {
        assertThat(URI.create(config.router().redisUrl()).getScheme()).as("router: GATEWAY_REDIS_URL").isIn("redis", "rediss");
        assertThat(config.router().selfService().cookieSecure()).as("router: GATEWAY_COOKIE_SECURE, TLS ends at the "
            + "Ingress").isTrue();
      } else {
        assertThat(config.router().redisUrl()).as("%s: no Redis URL where none is used", role).isNull();
      }
      assertThat(config.auth().adminToken() != null).as("%s: GATEWAY_ADMIN_TOKEN only where auth runs", role)
          .isEqualTo(role == Role.AUTH);
      assertThat(config.catalog().catalogPath() != null).as("%s: GATEWAY_CATALOG only where catalog runs", role)
          .isEqualTo(role == Role.CATALOG);
    }
  }

  @Test
  @DisplayName("the named container ports are GATEWAY_HTTP_PORT, GATEWAY_CLUSTER_PORT and GATEWAY_EVENTBUS_PORT")
  void containerPortsMatchTheConfiguration() {
    for (Role role : Role.values()) {
      GatewayConfig config = config(role);
      V1Container container = KubernetesManifests.gatewayContainer(k8s.deployment(role));
      assertThat(containerPort(container, "http")).as("%s: http", role).isEqualTo(config.process().httpPort());
      assertThat(containerPort(container, "hazelcast")).as("%s: hazelcast", role).isEqualTo(config.cluster().port());
      assertThat(containerPort(container, "eventbus")).as("%s: eventbus", role).isEqualTo(config.cluster().eventBusPort());
    }
  }

  @Test
  @DisplayName("Prometheus scrapes GATEWAY_METRICS_PORT, a named container port of its own, never the HTTP port")
  void metricsAreScrapedOffTheHttpPort() {
    for (Role role : Role.values()) {
      GatewayConfig config = config(role);
      V1Deployment deployment = k8s.deployment(role);
      Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
      assertThat(config.process().metricsPort()).as("%s: GATEWAY_METRICS_PORT", role).isPositive()
          .isNotEqualTo(config.process().httpPort());
      assertThat(annotations).as("%s: scrape annotations", role).containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/path", "/metrics")
          .containsEntry("prometheus.io/port", Integer.toString(config.process().metricsPort()));
      assertThat(containerPort(KubernetesManifests.gatewayContainer(deployment), "metrics"))
          .as("%s: metrics", role).isEqualTo(config.process().metricsPort());
    }
  }

  @Test
  @DisplayName("liveness, readiness and startup probes ask /health/live and /health/ready on the HTTP port")
  void probesUseTheHealthPaths() {
    for (Role role : Role.values()) {
      V1Container container = KubernetesManifests.gatewayContainer(k8s.deployment(role));
      int httpPort = config(role).process().httpPort();
      assertThat(probe(container.getLivenessProbe(), role, "liveness", httpPort).getPath()).isEqualTo("/health/live");
      assertThat(probe(container.getReadinessProbe(), role, "readiness", httpPort).getPath())
          .isEqualTo("/health/ready");
      assertThat(probe(container.getStartupProbe(), role, "startup", httpPort).getPath())
          .isIn("/health/live", "/health/ready");
    }
  }

  @Test
  @DisplayName("the probe paths answer 200 from the health endpoints a pod of each role serves")
  void probePathsAnswer(Vertx vertx) {
    for (String address : List.of(AuthBus.HEALTH, CatalogBus.HEALTH, BillingBus.HEALTH)) {
      result(vertx.eventBus().<JsonObject>localConsumer(address, m -> m.reply(new JsonObject())).completion());
    }
    for (Role role : Role.values()) {
      // a fresh client without keep-alive: the next server may get the closed one's port
      HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
      Router router = Router.router(vertx);
      new HealthEndpoints(vertx, config(role).process().roles()).mount(router);
      HttpServer server = result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      V1Container container = KubernetesManifests.gatewayContainer(k8s.deployment(role));
      for (V1Probe probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(),
          container.getStartupProbe())) {
        String path = probe.getHttpGet().getPath();
        int status = Await.onEventLoop(vertx, () -> client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", path)
            .compose(HttpClientRequest::send)
            .compose(response -> response.body().map(body -> response.statusCode())));
        assertThat(status).as("%s: GET %s", role, path).isEqualTo(200);
      }
      result(client.close());
      result(server.close());
    }
  }

  @Test
  @DisplayName("the catalog ConfigMap is mounted at GATEWAY_CATALOG and is a catalog the catalog verticle accepts")
  void catalogConfigMapIsACatalog() throws IOException {
    V1Deployment deployment = k8s.deployment(Role.CATALOG);
    V1Container container = KubernetesManifests.gatewayContainer(deployment);
    Path catalogPath = Path.of(config(Role.CATALOG).catalog().catalogPath());

    V1VolumeMount mount = container.getVolumeMounts().stream()
        .filter(m -> catalogPath.startsWith(m.getMountPath()))
        .findFirst().orElseThrow(() -> new AssertionError("no volume mounted over " + catalogPath));
    V1Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName()))
        .findFirst().orElseThrow();
    V1ConfigMapVolumeSource source = volume.getConfigMap();
    assertThat(source).as("the catalog volume is a ConfigMap").isNotNull();
    String fileInMount = Path.of(mount.getMountPath()).relativize(catalogPath).toString();
    String key = source.getItems() == null ? fileInMount : source.getItems().stream()
        .filter(item -> item.getPath().equals(fileInMount))
        .map(item -> item.getKey())
        .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap item lands at " + catalogPath));
    assertThat(k8s.named(V1ConfigMap.class, source.getName()).getData()).containsKey(key);

    CatalogFileCheck.Result catalog = readCatalog();
    assertThat(catalog.channels()).isNotEmpty();
    assertThat(catalog.models()).isNotEmpty();
    assertThat(catalog.channels()).as("every route names a channel of the file").containsAll(catalog.routedChannels());
  }

  @Test
  @DisplayName("GATEWAY_CLUSTER_TLS_KEYSTORE is the keystore of the Secret llm-gateway-cluster-tls, mounted in every pod")
  void clusterKeystoreIsMounted() {
    for (Role role : Role.values()) {
      V1Deployment deployment = k8s.deployment(role);
      V1Container container = KubernetesManifests.gatewayContainer(deployment);
      Path keystore = Path.of(config(role).cluster().tlsKeystore());
      V1VolumeMount mount = container.getVolumeMounts().stream()
          .filter(m -> keystore.startsWith(m.getMountPath()))
          .findFirst().orElseThrow(() -> new AssertionError(role + ": no volume mounted over " + keystore));
      V1Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      assertThat(volume.getSecret()).as("%s: the keystore volume is a Secret", role).isNotNull();
      String fileInMount = Path.of(mount.getMountPath()).relativize(keystore).toString();
      String key = volume.getSecret().getItems() == null ? fileInMount : volume.getSecret().getItems().stream()
          .filter(item -> item.getPath().equals(fileInMount)).map(item -> item.getKey())
          .findFirst().orElseThrow(() -> new AssertionError(role + ": no Secret item lands at " + keystore));
      assertThat(k8s.secretData(volume.getSecret().getSecretName())).as("%s: keystore in the template", role)
          .containsKey(key);
    }
  }

  @Test
  @DisplayName("the NetworkPolicy covers every role's pods and admits only gateway pods to the Hazelcast and "
      + "event-bus ports, the HTTP port from anywhere, metrics from inside the cluster")
  void networkPolicyFencesTheClusterPorts() {
    V1NetworkPolicy policy = k8s.named(V1NetworkPolicy.class, "llm-gateway");
    Map<String, String> selected = policy.getSpec().getPodSelector().getMatchLabels();
    for (Role role : Role.values()) {
      assertThat(podLabels(role)).as("%s pods", role).containsAllEntriesOf(selected);
    }
    assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
    GatewayConfig config = config(Role.ROUTER);
    Set<IntOrString> clusterPorts = Set.of(new IntOrString("hazelcast"), new IntOrString("eventbus"),
        new IntOrString(config.cluster().port()), new IntOrString(config.cluster().eventBusPort()));
    boolean httpOpen = false;
    boolean metricsAllowed = false;
    for (V1NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      List<IntOrString> ports = rule.getPorts() == null ? List.of()
          : rule.getPorts().stream().map(V1NetworkPolicyPort::getPort).toList();
      boolean coversCluster = ports.isEmpty() || ports.stream().anyMatch(clusterPorts::contains);
      if (coversCluster) {
        assertThat(rule.getFrom()).as("a rule admitting the cluster ports names who may connect").isNotEmpty();
        for (V1NetworkPolicyPeer peer : rule.getFrom()) {
          assertThat(peer.getIpBlock()).as("no address range reaches the cluster ports").isNull();
          assertThat(peer.getNamespaceSelector()).as("no other namespace reaches the cluster ports").isNull();
          assertThat(peer.getPodSelector()).isNotNull();
          for (Role role : Role.values()) {
            assertThat(podLabels(role)).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
          }
          assertThat(peer.getPodSelector().getMatchLabels()).as("only gateway pods")
              .containsEntry("app.kubernetes.io/name", "llm-gateway");
        }
      }
      httpOpen |= (rule.getFrom() == null || rule.getFrom().isEmpty()) && ports.contains(new IntOrString("http"));
      metricsAllowed |= ports.contains(new IntOrString("metrics"));
    }
    assertThat(httpOpen).as("the HTTP port is open to the ingress").isTrue();
    assertThat(metricsAllowed).as("Prometheus may scrape").isTrue();
  }

  @Test
  @DisplayName("the headless Service selects every role's pods, publishes them before they are ready and carries the cluster ports")
  void headlessServiceCarriesTheCluster() {
    V1Service headless = k8s.named(V1Service.class, HEADLESS_SERVICE);
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    for (Role role : Role.values()) {
      assertThat(podLabels(role)).as("%s pods", role).containsAllEntriesOf(headless.getSpec().getSelector());
    }
    GatewayConfig config = config(Role.ROUTER);
    V1ServicePort hazelcast = servicePort(headless, "hazelcast");
    assertThat(hazelcast.getPort()).as("Hazelcast's DNS mode dials port 5701 (its service-port is not set)")
        .isEqualTo(config.cluster().port()).isEqualTo(5701);
    assertThat(hazelcast.getTargetPort()).isEqualTo(new IntOrString("hazelcast"));
    assertThat(servicePort(headless, "eventbus").getPort()).isEqualTo(config.cluster().eventBusPort());
    assertThat(config.cluster().kubernetesService()).startsWith(HEADLESS_SERVICE + ".");
  }

  @Test
  @DisplayName("the API Service sends traffic to the router pods only, on their HTTP port")
  void apiServiceTargetsTheRouter() {
    V1Service api = k8s.named(V1Service.class, API_SERVICE);
    Map<String, String> selector = api.getSpec().getSelector();
    assertThat(podLabels(Role.ROUTER)).containsAllEntriesOf(selector);
    for (Role role : EnumSet.complementOf(EnumSet.of(Role.ROUTER))) {
      assertThat(podLabels(role).entrySet().containsAll(selector.entrySet())).as("%s pods", role).isFalse();
    }
    assertThat(servicePort(api, "http").getTargetPort()).isEqualTo(new IntOrString("http"));
  }

  @Test
  @DisplayName("the autoscaler scales the router Deployment on CPU, which it requests, and owns its replica count")
  void autoscalerTargetsTheRouter() {
    V2HorizontalPodAutoscaler hpa = k8s.all(V2HorizontalPodAutoscaler.class).get(0);
    V1Deployment router = k8s.deployment(Role.ROUTER);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(router.getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    assertThat(router.getSpec().getReplicas()).as("router replicas are left to the autoscaler").isNull();
    assertThat(hpa.getSpec().getMetrics()).extracting(V2MetricSpec::getType).contains("Resource");
    assertThat(KubernetesManifests.gatewayContainer(router).getResources().getRequests()).containsKey("cpu");
  }

  @Test
  @DisplayName("a disruption budget selects the router pods alone and lets a drain take one at a time")
  void disruptionBudgetCoversTheRouter() {
    V1PodDisruptionBudget budget = k8s.named(V1PodDisruptionBudget.class, "llm-gateway-router");
    Map<String, String> selector = budget.getSpec().getSelector().getMatchLabels();
    assertThat(podLabels(Role.ROUTER)).containsAllEntriesOf(selector);
    for (Role role : EnumSet.complementOf(EnumSet.of(Role.ROUTER))) {
      assertThat(podLabels(role).entrySet().containsAll(selector.entrySet())).as("%s pods", role).isFalse();
    }
    int minReplicas = k8s.all(V2HorizontalPodAutoscaler.class).get(0).getSpec().getMinReplicas();
    if (budget.getSpec().getMinAvailable() != null) {
      assertThat(budget.getSpec().getMinAvailable().getIntValue()).isLessThan(minReplicas);
    } else {
      assertThat(budget.getSpec().getMaxUnavailable().getIntValue()).isPositive();
    }
    for (V1PodDisruptionBudget other : k8s.all(V1PodDisruptionBudget.class)) {
      long rolesSelected = k8s.all(V1Deployment.class).stream()
          .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
              .containsAll(other.getSpec().getSelector().getMatchLabels().entrySet()))
          .count();
      assertThat(rolesSelected).as("%s selects one role", other.getMetadata().getName()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("every container requests CPU and memory, caps memory, and runs as a non-root user on a read-only root")
  void containersAreSizedAndLockedDown() {
    for (Role role : Role.values()) {
      V1Deployment deployment = k8s.deployment(role);
      V1Container container = KubernetesManifests.gatewayContainer(deployment);
      assertThat(container.getResources().getRequests()).as("%s requests", role).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).as("%s limits", role).containsKey("memory");
      assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as("%s read-only root", role).isTrue();
      assertThat(container.getVolumeMounts()).as("%s: a writable /tmp", role)
          .anyMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly()));
    }
  }

  @Test
  @DisplayName("pods run as the ServiceAccount that the Hazelcast discovery rules are bound to")
  void hazelcastDiscoveryIsAllowed() {
    String namespace = k8s.kustomization().path("namespace").asText();
    k8s.named(V1ServiceAccount.class, SERVICE_ACCOUNT);
    for (V1Deployment deployment : k8s.all(V1Deployment.class)) {
      assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
          .as(deployment.getMetadata().getName()).isEqualTo(SERVICE_ACCOUNT);
    }
    RbacV1Subject subject = new RbacV1Subject().kind("ServiceAccount").name(SERVICE_ACCOUNT).namespace(namespace);

    V1RoleBinding binding = k8s.all(V1RoleBinding.class).get(0);
    assertThat(binding.getSubjects()).contains(subject);
    V1Role role = k8s.named(V1Role.class, binding.getRoleRef().getName());
    assertThat(grants(role.getRules(), "", "endpoints", "pods", "services")).isTrue();
    assertThat(grants(role.getRules(), "discovery.k8s.io", "endpointslices")).isTrue();

    V1ClusterRoleBinding clusterBinding = k8s.all(V1ClusterRoleBinding.class).get(0);
    assertThat(clusterBinding.getSubjects()).contains(subject);
    V1ClusterRole clusterRole = k8s.named(V1ClusterRole.class, clusterBinding.getRoleRef().getName());
    assertThat(grants(clusterRole.getRules(), "", "nodes")).isTrue();
  }

  @Test
  @DisplayName("every Secret a Deployment reads is in the Secret template, its URLs in the formats the code parses")
  void secretTemplateCoversTheReferences() {
    Set<String> templateSecrets = k8s.all(V1Secret.class).stream()
        .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    for (Manifest manifest : k8s.manifests()) {
      if (manifest.kind().equals("Secret")) {
        assertThat(manifest.file()).isEqualTo(KubernetesManifests.SECRET_TEMPLATE);
      }
    }
    for (V1Deployment deployment : k8s.all(V1Deployment.class)) {
      V1Container container = KubernetesManifests.gatewayContainer(deployment);
      for (V1EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<V1EnvFromSource>of())) {
        if (source.getSecretRef() != null) {
          assertThat(templateSecrets).contains(source.getSecretRef().getName());
        }
      }
      assertThat(k8s.environment(deployment)).as("%s: every secretKeyRef resolves from the template",
          deployment.getMetadata().getName()).isNotEmpty();
    }
    assertThat(PgUrl.parse(k8s.secretValue("llm-gateway", "GATEWAY_PG_URL")).database()).isNotBlank();
    assertThat(k8s.secretValue("llm-gateway", "GATEWAY_REDIS_URL")).startsWith("redis://");
    assertThat(k8s.secretValue("llm-gateway", "GATEWAY_ADMIN_TOKEN")).isNotBlank();
  }

  @Test
  @DisplayName("the Dockerfile builds the launcher's gateway.jar and runs it as the manifests' user, exposing their ports")
  void dockerfileMatchesTheManifests() throws IOException {
    String dockerfile = Files.readString(k8s.root().resolve("Dockerfile"), StandardCharsets.UTF_8)
        .replace("\\\n", " ");
    List<String> lines = dockerfile.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList();
    assertThat(lines).anyMatch(l -> l.startsWith("RUN") && l.contains("-pl launcher -am package"));
    assertThat(lines).anyMatch(l -> l.matches("COPY --from=\\S+ /src/launcher/target/gateway\\.jar /app/gateway\\.jar"));
    String pom = Files.readString(k8s.root().resolve("launcher/pom.xml"), StandardCharsets.UTF_8);
    assertThat(pom).contains("<outputFile>${project.build.directory}/gateway.jar</outputFile>");

    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow()
        .substring("ENTRYPOINT".length()).strip();
    List<String> command = new ObjectMapper().readerForListOf(String.class).readValue(entrypoint);
    assertThat(command.get(0)).isEqualTo("java");
    assertThat(command).contains("-XX:MaxRAMPercentage=75").endsWith("-jar", "/app/gateway.jar");

    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow().substring(5);
    for (V1Deployment deployment : k8s.all(V1Deployment.class)) {
      long runAsUser = deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
      assertThat(user).startsWith(runAsUser + ":");
    }
    Set<Integer> exposed = lines.stream().filter(l -> l.startsWith("EXPOSE "))
        .flatMap(l -> List.of(l.substring(7).trim().split("\\s+")).stream())
        .map(Integer::valueOf).collect(Collectors.toSet());
    Set<Integer> declared = KubernetesManifests.gatewayContainer(k8s.deployment(Role.ROUTER)).getPorts().stream()
        .map(V1ContainerPort::getContainerPort).collect(Collectors.toSet());
    assertThat(exposed).isEqualTo(declared);
  }

  /** GatewayConfig.fromEnv reads the name when some value of it changes the result or is refused by name. */
  private static boolean gatewayConfigReads(String name) {
    // the S3 settings are read only when the media store is S3 (and then a bucket is required)
    Map<String, String> base = name.startsWith("GATEWAY_S3_") || name.startsWith("GATEWAY_MEDIA_")
        ? Map.of("GATEWAY_MEDIA_STORE", "s3", "GATEWAY_S3_BUCKET", "base-bucket") : Map.of();
    GatewayConfig defaults = GatewayConfig.fromEnv(base);
    for (String probe : List.of("7", "true", "probe-value")) {
      try {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.put(name, probe);
        if (!GatewayConfig.fromEnv(env).equals(defaults)) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().contains(name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static GatewayConfig config(Role role) {
    return GatewayConfig.fromEnv(k8s.environment(k8s.deployment(role)));
  }

  private static CatalogFileCheck.Result readCatalog() throws IOException {
    V1ConfigMap configMap = k8s.named(V1ConfigMap.class, "llm-gateway-catalog");
    Path file = Files.createTempFile("catalog", ".yaml");
    try {
      Files.writeString(file, configMap.getData().get("catalog.yaml"), StandardCharsets.UTF_8);
      Map<String, String> env = k8s.environment(k8s.deployment(Role.CATALOG));
      return CatalogFileCheck.read(file, env::get);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Map<String, String> podLabels(Role role) {
    return k8s.deployment(role).getSpec().getTemplate().getMetadata().getLabels();
  }

  private static int containerPort(V1Container container, String name) {
    return container.getPorts().stream().filter(p -> name.equals(p.getName()))
        .map(V1ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " declares no port named " + name));
  }

  private static V1ServicePort servicePort(V1Service service, String name) {
    return service.getSpec().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError(service.getMetadata().getName() + " has no port named " + name));
  }

  /** The probe's HTTP action, after checking that it asks the HTTP port (by name or number). */
  private static V1HTTPGetAction probe(V1Probe probe, Role role, String kind, int httpPort) {
    assertThat(probe).as("%s: %s probe", role, kind).isNotNull();
    V1HTTPGetAction get = probe.getHttpGet();
    assertThat(get).as("%s: %s probe is an HTTP GET", role, kind).isNotNull();
    IntOrString port = get.getPort();
    assertThat(port.isInteger() ? port.getIntValue() : Integer.valueOf(containerPort(
        KubernetesManifests.gatewayContainer(k8s.deployment(role)), port.getStrValue())))
        .as("%s: %s probe port", role, kind).isEqualTo(httpPort);
    return get;
  }

  private static boolean grants(List<V1PolicyRule> rules, String apiGroup, String... resources) {
    for (String resource : resources) {
      boolean granted = rules.stream().anyMatch(rule -> rule.getApiGroups().contains(apiGroup)
          && rule.getResources().contains(resource)
          && rule.getVerbs().containsAll(List.of("get", "list")));
      if (!granted) {
        return false;
      }
    }
    return true;
  }
}
