package gateway.router.provider;

import gateway.common.bus.Channel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a channel's operator lets clients switch on at the provider beyond the tokens the gateway
 * prices, from the channel setting {@code allow: {anthropic_beta: [...], server_tools: [...],
 * service_tiers: [...], provider_files: true, stored_responses: true}}. Nothing is allowed unless
 * listed; {@code "*"} in a list allows every value.
 *
 * <p>A name in {@code server_tools} allows that tool type and its versions: {@code web_search}
 * allows {@code web_search}, {@code web_search_preview} and {@code web_search_20250305}.
 */
public record ChannelAllowances(Set<String> anthropicBetas, Set<String> serverTools, Set<String> serviceTiers,
                                boolean providerFiles, boolean storedResponses) {
  public static final String SETTING = "allow";
  private static final String ANY = "*";
  private static final String BETA_HEADER = "anthropic-beta";

  public static ChannelAllowances of(Channel channel) {
    JsonObject allow = Json.object(channel.settings(), SETTING);
    return new ChannelAllowances(names(allow, "anthropic_beta"), names(allow, "server_tools"),
        names(allow, "service_tiers"), Boolean.TRUE.equals(allow.getValue("provider_files")),
        Boolean.TRUE.equals(allow.getValue("stored_responses")));
  }

  public boolean serverTool(String type) {
    if (serverTools.contains(ANY) || serverTools.contains(type)) {
      return true;
    }
    return serverTools.stream().anyMatch(name -> type.startsWith(name + "_"));
  }

  public boolean serviceTier(String tier) {
    return serviceTiers.contains(ANY) || serviceTiers.contains(tier);
  }

  /**
   * The client's headers a pass-through forwards, with {@code anthropic-beta} cut to the betas this
   * channel allows (a beta may switch on a feature billed at other rates: a 1M-token context, longer
   * cache lifetimes, files, code execution), and left out when none remain.
   */
  public Map<String, String> forwardable(Map<String, String> clientHeaders) {
    Map<String, String> forwarded = new LinkedHashMap<>();
    clientHeaders.forEach((name, value) -> {
      if (!name.equalsIgnoreCase(BETA_HEADER)) {
        forwarded.put(name, value);
        return;
      }
      Set<String> kept = new LinkedHashSet<>();
      for (String beta : value.split(",")) {
        String trimmed = beta.trim();
        if (!trimmed.isEmpty() && (anthropicBetas.contains(ANY) || anthropicBetas.contains(trimmed))) {
          kept.add(trimmed);
        }
      }
      if (!kept.isEmpty()) {
        forwarded.put(name, String.join(",", kept));
      }
    });
    return forwarded;
  }

  private static Set<String> names(JsonObject allow, String field) {
    Set<String> names = new LinkedHashSet<>();
    if (allow.getValue(field) instanceof JsonArray list) {
      list.forEach(item -> {
        if (item instanceof String name && !name.isBlank()) {
          names.add(name.trim());
        }
      });
    }
    return Set.copyOf(names);
  }
}
