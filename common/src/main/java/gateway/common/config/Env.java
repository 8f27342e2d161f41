package gateway.common.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The process environment as configuration reads it: typed values, a blank variable read as unset,
 * and a malformed one refused with an {@link IllegalArgumentException} that names the variable.
 * Each module's config record reads its own variables from it ({@code RouterConfig.fromEnv(env)}, ...);
 * the README's configuration table lists them all. Immutable: {@link #with} gives a changed copy
 * (the launcher fills in what it provides itself, tests tune one setting).
 */
public final class Env {
  private final Map<String, String> variables;

  private Env(Map<String, String> variables) {
    this.variables = Collections.unmodifiableMap(variables);
  }

  public static Env of(Map<String, String> variables) {
    return new Env(new HashMap<>(variables));
  }

  /** No variable set: every setting at its default. */
  public static Env empty() {
    return new Env(Map.of());
  }

  /** This environment with {@code name} set to {@code value} ({@code String.valueOf}), or unset when null. */
  public Env with(String name, Object value) {
    Map<String, String> changed = new HashMap<>(variables);
    if (value == null) {
      changed.remove(name);
    } else {
      changed.put(name, String.valueOf(value));
    }
    return new Env(changed);
  }

  public Map<String, String> asMap() {
    return variables;
  }

  /** The trimmed value, or {@code fallback} when unset or blank. */
  public String string(String name, String fallback) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public int integer(String name, int fallback) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  /** {@code true} only for "true" (any case), as {@link Boolean#parseBoolean}. */
  public boolean bool(String name, boolean fallback) {
    return Boolean.parseBoolean(string(name, Boolean.toString(fallback)));
  }

  /** A comma-separated list, blanks dropped; empty when unset. */
  public List<String> list(String name) {
    String value = string(name, null);
    List<String> items = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          items.add(part.trim());
        }
      }
    }
    return items;
  }

  /** One of an enum's {@link Choice#wire() wire names}, exactly, or {@code fallback} when unset. */
  public <E extends Enum<E> & Choice> E choice(String name, E fallback) {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    for (E option : fallback.getDeclaringClass().getEnumConstants()) {
      if (option.wire().equals(value)) {
        return option;
      }
    }
    throw new IllegalArgumentException(name + " must be " + String.join(" or ",
        Arrays.stream(fallback.getDeclaringClass().getEnumConstants()).map(Choice::wire).toList())
        + ", got '" + value + "'");
  }

  /** A value parsed by {@code parse}; its {@link IllegalArgumentException} is rethrown naming the variable. */
  public <T> T parsed(String name, String fallback, Function<String, T> parse) {
    String value = string(name, fallback);
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  /** A setting with a fixed set of values (a failure mode, a discovery method), named as the environment names it. */
  public interface Choice {
    String wire();
  }
}
