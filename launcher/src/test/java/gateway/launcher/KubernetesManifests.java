package gateway.launcher;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import gateway.common.Role;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The manifests under {@code k8s/}: every YAML document of every file, checked against the
 * Kubernetes API schema and read into the official Java client's models, whose generated
 * readers reject a field the API does not define, a missing required field and a value of
 * the wrong type. Also builds the environment a container would start with.
 */
final class KubernetesManifests {
  static final String DIRECTORY = "k8s";
  static final String KUSTOMIZATION = "kustomization.yaml";
  static final String SECRET_TEMPLATE = "secret.example.yaml";
  /** What the downward API's {@code status.podIP} gives in these checks. */
  static final String POD_IP = "10.42.0.17";

  /** The objects the gateway deploys, by {@code apiVersion/kind}: anything else is refused. */
  static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/Namespace", V1Namespace.class),
      Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
      Map.entry("v1/ConfigMap", V1ConfigMap.class),
      Map.entry("v1/Secret", V1Secret.class),
      Map.entry("v1/Service", V1Service.class),
      Map.entry("apps/v1/Deployment", V1Deployment.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
      Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
      Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
      Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", V1ClusterRole.class),
      Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", V1ClusterRoleBinding.class));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** One document of a manifest file, as written and as the API model. */
  record Manifest(String file, int index, JsonNode tree, Object model) {
    String kind() {
      return tree.path("kind").asText();
    }

    String name() {
      return tree.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file + "#" + index + " (" + kind() + " " + name() + ")";
    }
  }

  private final Path root;
  private final List<Manifest> manifests;
  private final JsonNode kustomization;

  private KubernetesManifests(Path root, List<Manifest> manifests, JsonNode kustomization) {
    this.root = root;
    this.manifests = manifests;
    this.kustomization = kustomization;
  }

  static KubernetesManifests load() {
    Path root = projectRoot();
    Path dir = root.resolve(DIRECTORY);
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : yamlFiles(dir)) {
      if (file.getFileName().toString().equals(KUSTOMIZATION)) {
        continue;
      }
      List<JsonNode> documents = documents(file);
      for (int i = 0; i < documents.size(); i++) {
        String where = file.getFileName() + "#" + i;
        manifests.add(new Manifest(file.getFileName().toString(), i, documents.get(i), toModel(documents.get(i), where)));
      }
    }
    List<JsonNode> kustomization = documents(dir.resolve(KUSTOMIZATION));
    if (kustomization.size() != 1) {
      throw new IllegalStateException(KUSTOMIZATION + " must hold exactly one document");
    }
    return new KubernetesManifests(root, List.copyOf(manifests), kustomization.get(0));
  }

  /**
   * The API model of one manifest; an {@link IllegalArgumentException} naming the document when
   * its {@code apiVersion/kind} is not one the gateway deploys or the schema refuses it.
   */
  static Object toModel(JsonNode tree, String where) {
    String type = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
    Class<?> model = MODELS.get(type);
    if (model == null) {
      throw new IllegalArgumentException(where + ": no Kubernetes API type " + type + " among " + MODELS.keySet());
    }
    try {
      return JSON.deserialize(JSON_MAPPER.writeValueAsString(tree), model);
    } catch (RuntimeException | IOException e) {
      throw new IllegalArgumentException(where + ": " + type + " does not match the API schema: " + e.getMessage(), e);
    }
  }

  static List<JsonNode> documents(Path file) {
    try (JsonParser parser = YAML.getFactory().createParser(Files.readString(file, StandardCharsets.UTF_8));
         MappingIterator<JsonNode> iterator = YAML.readValues(parser, JsonNode.class)) {
      List<JsonNode> documents = new ArrayList<>();
      while (iterator.hasNextValue()) {
        JsonNode document = iterator.nextValue();
        if (document != null && !document.isMissingNode() && !document.isNull()) {
          documents.add(document);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(file + " is not valid YAML", e);
    }
  }

  /** The repository root: the nearest directory upwards holding {@code k8s/kustomization.yaml}. */
  static Path projectRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve(DIRECTORY).resolve(KUSTOMIZATION))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no " + DIRECTORY + "/" + KUSTOMIZATION + " above " + dir);
  }

  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  List<Manifest> manifests() {
    return manifests;
  }

  JsonNode kustomization() {
    return kustomization;
  }

  <T> List<T> all(Class<T> type) {
    return manifests.stream().map(Manifest::model).filter(type::isInstance).map(type::cast).toList();
  }

  <T> T named(Class<T> type, String name) {
    return manifests.stream()
        .filter(m -> type.isInstance(m.model()) && m.name().equals(name))
        .map(m -> type.cast(m.model()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name + " in " + DIRECTORY));
  }

  /** The Deployment that runs a role, by the name the manifests give it. */
  V1Deployment deployment(Role role) {
    return named(V1Deployment.class, "llm-gateway-" + role.wire());
  }

  static V1Container gatewayContainer(V1Deployment deployment) {
    List<V1Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError(deployment.getMetadata().getName() + " should run the gateway container alone");
    }
    return containers.get(0);
  }

  /** A key of a Secret of the template, decoded; null when the Secret or key is not there. */
  String secretValue(String secret, String key) {
    return secretData(secret).get(key);
  }

  Map<String, String> secretData(String secret) {
    V1Secret found = named(V1Secret.class, secret);
    Map<String, String> data = new LinkedHashMap<>();
    if (found.getData() != null) {
      found.getData().forEach((k, v) -> data.put(k, new String(v, StandardCharsets.UTF_8)));
    }
    if (found.getStringData() != null) {
      data.putAll(found.getStringData());
    }
    return data;
  }

  /**
   * The environment the kubelet would give the container: {@code envFrom} sources first, then
   * {@code env} in order, {@code $(VAR)} expanded from what is defined before it, secrets from
   * the Secret template, the downward API from the Deployment's namespace and {@link #POD_IP}.
   */
  Map<String, String> environment(V1Deployment deployment) {
    V1Container container = gatewayContainer(deployment);
    String namespace = deployment.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    for (V1EnvFromSource source : Objects.requireNonNullElse(container.getEnvFrom(), List.<V1EnvFromSource>of())) {
      String prefix = Objects.requireNonNullElse(source.getPrefix(), "");
      Map<String, String> values = source.getConfigMapRef() != null
          ? named(V1ConfigMap.class, source.getConfigMapRef().getName()).getData()
          : secretData(source.getSecretRef().getName());
      values.forEach((k, v) -> env.put(prefix + k, v));
    }
    for (V1EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<V1EnvVar>of())) {
      String value = variable.getValueFrom() == null
          ? expand(Objects.requireNonNullElse(variable.getValue(), ""), env)
          : valueFrom(variable.getName(), variable.getValueFrom(), namespace);
      env.put(variable.getName(), value);
    }
    return env;
  }

  /** Names a container's {@code env} values refer to as {@code $(NAME)}. */
  static List<String> references(V1Container container) {
    List<String> names = new ArrayList<>();
    for (V1EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<V1EnvVar>of())) {
      if (variable.getValue() != null) {
        Matcher matcher = REFERENCE.matcher(variable.getValue());
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  private String valueFrom(String name, V1EnvVarSource source, String namespace) {
    if (source.getFieldRef() != null) {
      return switch (source.getFieldRef().getFieldPath()) {
        case "status.podIP" -> POD_IP;
        case "metadata.namespace" -> namespace;
        default -> throw new AssertionError(name + ": field " + source.getFieldRef().getFieldPath() + " not simulated");
      };
    }
    if (source.getSecretKeyRef() != null) {
      String value = secretValue(source.getSecretKeyRef().getName(), source.getSecretKeyRef().getKey());
      if (value == null) {
        throw new AssertionError(name + ": Secret " + source.getSecretKeyRef().getName() + " in " + SECRET_TEMPLATE
            + " has no key " + source.getSecretKeyRef().getKey());
      }
      return value;
    }
    if (source.getConfigMapKeyRef() != null) {
      String value = named(V1ConfigMap.class, source.getConfigMapKeyRef().getName()).getData()
          .get(source.getConfigMapKeyRef().getKey());
      if (value == null) {
        throw new AssertionError(name + ": ConfigMap " + source.getConfigMapKeyRef().getName() + " has no key "
            + source.getConfigMapKeyRef().getKey());
      }
      return value;
    }
    throw new AssertionError(name + ": valueFrom source not simulated");
  }

  /** Kubernetes' {@code $(VAR)} expansion: a defined name is replaced, {@code $$} escapes, the rest stays. */
  static String expand(String value, Map<String, String> defined) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$$", i)) {
        out.append('$');
        i += 2;
        continue;
      }
      Matcher matcher = REFERENCE.matcher(value);
      if (value.startsWith("$(", i) && matcher.find(i) && matcher.start() == i && defined.containsKey(matcher.group(1))) {
        out.append(defined.get(matcher.group(1)));
        i = matcher.end();
        continue;
      }
      out.append(value.charAt(i));
      i++;
    }
    return out.toString();
  }
}
