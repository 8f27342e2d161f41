package gateway.router.provider;

import gateway.common.bus.Channel;
import gateway.router.provider.anthropic.AnthropicAdapter;
import gateway.router.provider.gemini.GeminiAdapter;
import gateway.router.provider.openai.OpenAiAdapter;
import gateway.router.provider.responses.ResponsesAdapter;
import java.util.Map;

/**
 * Channel {@code type} (and for OpenAI channels {@code wire_api}) → the adapter speaking its wire
 * protocol. Adding a provider adds one line here.
 */
public final class AdapterRegistry {
  private final Map<String, ProviderAdapter> adapters;
  private final ProviderAdapter openAiResponses;

  public AdapterRegistry(Map<String, ProviderAdapter> adapters) {
    this(adapters, null);
  }

  private AdapterRegistry(Map<String, ProviderAdapter> adapters, ProviderAdapter openAiResponses) {
    this.adapters = Map.copyOf(adapters);
    this.openAiResponses = openAiResponses;
  }

  public static AdapterRegistry standard() {
    return new AdapterRegistry(Map.of(
        "openai", new OpenAiAdapter(),
        "anthropic", new AnthropicAdapter(),
        "gemini", new GeminiAdapter()),
        new ResponsesAdapter());
  }

  /** Null when no adapter speaks this type: such a route cannot be tried. */
  public ProviderAdapter forType(String type) {
    return adapters.get(type);
  }

  /** The adapter of a channel: its type's, or OpenAI Responses for an OpenAI channel with {@code wire_api: responses}. */
  public ProviderAdapter forChannel(Channel channel) {
    if (openAiResponses != null && "openai".equals(channel.type())
        && Channel.WIRE_RESPONSES.equals(channel.wireApi())) {
      return openAiResponses;
    }
    return forType(channel.type());
  }
}
