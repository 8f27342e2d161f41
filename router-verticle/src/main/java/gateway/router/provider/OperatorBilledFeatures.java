package gateway.router.provider;

import static gateway.router.fields.JsonFields.path;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Channel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, per channel, what a request body would switch on at the provider that bills the
 * gateway's operator beyond the tokens the gateway prices: server tools the provider runs (web
 * search, code execution, file search, image generation, MCP...), a dearer service tier, files
 * stored in the operator's provider account, and responses stored there (which may be another
 * tenant's). Each is a 400 naming the field unless the channel's {@link ChannelAllowances} opens it.
 * Checked on the body as it goes upstream, so every path to a provider is covered.
 */
public final class OperatorBilledFeatures {
  /** Anthropic tools the client runs itself: only their tokens are billed. */
  private static final List<String> ANTHROPIC_CLIENT_TOOLS = List.of("custom", "bash_", "text_editor_", "computer_",
      "memory_");
  /** OpenAI Responses tools the client runs itself. */
  private static final Set<String> OPENAI_CLIENT_TOOLS = Set.of("function", "custom", "local_shell", "shell",
      "apply_patch", "computer_use_preview");
  /** OpenAI service tiers billed at the standard rate or below; others (priority, scale) need allowing. */
  private static final Set<String> STANDARD_TIERS = Set.of("auto", "default", "flex");
  private static final List<String> STORED_STATE = List.of("previous_response_id", "conversation", "prompt");

  private OperatorBilledFeatures() {
  }

  /** An Anthropic Messages body (the client's, passed through). */
  public static void checkAnthropic(JsonObject body, Channel channel) {
    ChannelAllowances allow = ChannelAllowances.of(channel);
    JsonArray tools = Json.array(body, "tools");
    for (int i = 0; i < tools.size(); i++) {
      String type = tools.getValue(i) instanceof JsonObject tool ? Json.string(tool, "type", null) : null;
      if (type != null && ANTHROPIC_CLIENT_TOOLS.stream().noneMatch(type::startsWith) && !allow.serverTool(type)) {
        throw serverTool(path("tools", i), type, channel);
      }
    }
    if (body.getValue("mcp_servers") != null && !allow.serverTool("mcp")) {
      throw serverTool("mcp_servers", "mcp", channel);
    }
    if (!allow.providerFiles()) {
      JsonArray messages = Json.array(body, "messages");
      for (int i = 0; i < messages.size(); i++) {
        if (messages.getValue(i) instanceof JsonObject message) {
          anthropicFiles(message.getValue("content"), path(path("messages", i), "content"), channel);
        }
      }
    }
  }

  private static void anthropicFiles(Object content, String where, Channel channel) {
    if (!(content instanceof JsonArray blocks)) {
      return;
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.getValue(i) instanceof JsonObject block)) {
        continue;
      }
      String at = path(where, i);
      JsonObject source = Json.object(block, "source");
      if ("file".equals(source.getValue("type")) || source.getValue("file_id") != null) {
        throw providerFile(path(at, "source"), channel);
      }
      if (block.getValue("file_id") != null) {
        throw providerFile(path(at, "file_id"), channel);
      }
      anthropicFiles(block.getValue("content"), path(at, "content"), channel); // inside a tool_result
    }
  }

  /** An OpenAI Responses body: the client's passed through, or a chat request translated. */
  public static void checkResponses(JsonObject body, Channel channel) {
    ChannelAllowances allow = ChannelAllowances.of(channel);
    if (Boolean.TRUE.equals(body.getValue("background"))) {
      throw GatewayError.INVALID_VALUE.exception("'background' responses run on after the answer and are fetched"
          + " later from the provider, where the gateway cannot charge for them; send the request without it.",
          "background");
    }
    JsonArray tools = Json.array(body, "tools");
    for (int i = 0; i < tools.size(); i++) {
      String type = tools.getValue(i) instanceof JsonObject tool ? Json.string(tool, "type", null) : null;
      if (type != null && !OPENAI_CLIENT_TOOLS.contains(type) && !allow.serverTool(type)) {
        throw serverTool(path("tools", i), type, channel);
      }
    }
    serviceTier(body, allow, channel);
    if (!allow.storedResponses()) {
      for (String field : STORED_STATE) {
        if (body.getValue(field) != null) {
          throw storedState(field, channel);
        }
      }
    }
    JsonArray input = Json.array(body, "input");
    for (int i = 0; i < input.size(); i++) {
      if (!(input.getValue(i) instanceof JsonObject item)) {
        continue;
      }
      String at = path("input", i);
      if (!allow.storedResponses() && "item_reference".equals(item.getValue("type"))) {
        throw storedState(at, channel);
      }
      if (!allow.providerFiles()) {
        openAiFiles(item.getValue("content"), path(at, "content"), channel);
        openAiFiles(item.getValue("output"), path(at, "output"), channel);
      }
    }
  }

  /** An OpenAI chat body, to an OpenAI-compatible channel. */
  public static void checkOpenAiChat(JsonObject body, Channel channel) {
    ChannelAllowances allow = ChannelAllowances.of(channel);
    if (body.getValue("web_search_options") != null && !allow.serverTool("web_search")) {
      throw serverTool("web_search_options", "web_search", channel);
    }
    serviceTier(body, allow, channel);
    if (!allow.providerFiles()) {
      JsonArray messages = Json.array(body, "messages");
      for (int i = 0; i < messages.size(); i++) {
        // a plain text content has no file in it (and its path is not built for nothing)
        if (messages.getValue(i) instanceof JsonObject message && !(message.getValue("content") instanceof String)) {
          openAiFiles(message.getValue("content"), path(path("messages", i), "content"), channel);
        }
      }
    }
  }

  /** A Gemini body: a {@code fileData} naming a file in the operator's Google storage. */
  public static void checkGemini(JsonObject body, Channel channel) {
    if (ChannelAllowances.of(channel).providerFiles()) {
      return;
    }
    JsonArray contents = Json.array(body, "contents");
    for (int i = 0; i < contents.size(); i++) {
      JsonArray parts = contents.getValue(i) instanceof JsonObject turn ? Json.array(turn, "parts") : new JsonArray();
      for (int j = 0; j < parts.size(); j++) {
        JsonObject part = parts.getValue(j) instanceof JsonObject p ? p : new JsonObject();
        String uri = Json.string(Json.object(part, "fileData"), "fileUri", null);
        if (uri != null && isGoogleStorage(uri)) {
          throw providerFile(path(path(path("contents", i), "parts"), j) + ".fileData.fileUri", channel);
        }
      }
    }
  }

  /** Parts of a chat or Responses content naming a file by id ({@code file.file_id}, {@code input_file.file_id}). */
  private static void openAiFiles(Object content, String where, Channel channel) {
    if (!(content instanceof JsonArray parts)) {
      return;
    }
    for (int i = 0; i < parts.size(); i++) {
      if (parts.getValue(i) instanceof JsonObject part
          && (part.getValue("file_id") != null || Json.object(part, "file").getValue("file_id") != null)) {
        throw providerFile(path(where, i), channel);
      }
    }
  }

  private static void serviceTier(JsonObject body, ChannelAllowances allow, Channel channel) {
    if (body.getValue("service_tier") instanceof String tier && !STANDARD_TIERS.contains(tier)
        && !allow.serviceTier(tier)) {
      throw GatewayError.INVALID_VALUE.exception("'service_tier' " + quote(tier) + " is billed by the provider"
          + " above the price of this model, and channel '" + channel.name() + "' does not allow it; use 'auto'"
          + " or 'default'.", "service_tier");
    }
  }

  /** Gemini Files API and Cloud Storage URIs: files kept in the operator's Google account. */
  private static boolean isGoogleStorage(String uri) {
    try {
      URI parsed = URI.create(uri.trim());
      String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
      String host = parsed.getHost() == null ? "" : parsed.getHost().toLowerCase(Locale.ROOT);
      return !(scheme.equals("http") || scheme.equals("https")) || host.endsWith("googleapis.com");
    } catch (IllegalArgumentException notAUri) {
      return true;
    }
  }

  private static GatewayException serverTool(String param, String type, Channel channel) {
    return GatewayError.INVALID_VALUE.exception("'" + param + "' is the server tool " + quote(type) + ", which the"
        + " provider runs and bills beyond the tokens priced here; channel '" + channel.name()
        + "' does not allow it.", param);
  }

  private static GatewayException providerFile(String param, Channel channel) {
    return GatewayError.INVALID_VALUE.exception("'" + param + "' names a file stored at the provider, in the"
        + " gateway's own account; channel '" + channel.name() + "' does not allow provider files: send the"
        + " file's content instead.", param);
  }

  private static GatewayException storedState(String param, Channel channel) {
    return GatewayError.INVALID_VALUE.exception("'" + param + "' names state stored at the provider under the"
        + " gateway's own account; channel '" + channel.name() + "' does not allow stored responses: send the"
        + " conversation itself.", param);
  }

  /** A client's value in a message, only when it is plain text (the message may be stored). */
  private static String quote(String value) {
    return value.length() <= 64 && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "'" + value + "'" : "(named)";
  }
}
