package gateway.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a catalog file with the catalog verticle's own reader, for tests outside this module
 * (the launcher's manifest test checks the catalog the ConfigMap ships).
 */
public final class CatalogFileCheck {

  /**
   * What the reader made of a file.
   *
   * @param variables      every {@code ${VAR}} the file looked up
   * @param routedChannels every channel a model's route names
   */
  public record Result(List<String> channels, List<String> models, Set<String> routedChannels, Set<String> variables) {
  }

  private CatalogFileCheck() {
  }

  /** Throws what the verticle would throw at start: a malformed entry or an unset variable. */
  public static Result read(Path file, Function<String, String> env) throws IOException {
    Set<String> variables = new LinkedHashSet<>();
    CatalogFile.Contents contents = CatalogFile.read(file, name -> {
      variables.add(name);
      return env.apply(name);
    });
    Set<String> routed = new LinkedHashSet<>();
    contents.models().forEach(model -> model.routes().forEach(route -> routed.add(route.channel())));
    return new Result(
        contents.channels().stream().map(ChannelDefinition::name).toList(),
        contents.models().stream().map(ModelDefinition::alias).toList(),
        routed,
        variables);
  }
}
