package gateway.router.provider;

import gateway.router.provider.anthropic.AnthropicAdapter;
import gateway.router.provider.gemini.GeminiAdapter;
import gateway.router.provider.openai.OpenAiChatAdapter;
import java.util.Map;

/** Channel {@code type} → the adapter speaking its wire protocol. Adding a provider adds one line here. */
public final class AdapterRegistry {
  private final Map<String, ProviderAdapter> adapters;

  public AdapterRegistry(Map<String, ProviderAdapter> adapters) {
    this.adapters = Map.copyOf(adapters);
  }

  public static AdapterRegistry standard() {
    return new AdapterRegistry(Map.of(
        "openai", new OpenAiChatAdapter(),
        "anthropic", new AnthropicAdapter(),
        "gemini", new GeminiAdapter()));
  }

  /** Null when no adapter speaks this type: such a route cannot be tried. */
  public ProviderAdapter forType(String type) {
    return adapters.get(type);
  }
}
