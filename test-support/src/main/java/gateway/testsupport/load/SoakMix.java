package gateway.testsupport.load;

import gateway.testsupport.fake.Behavior;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The soak's mixed traffic: a catalog of channels on one {@link FakeUpstream} (OpenAI chat and Responses,
 * Anthropic, Gemini, and a flaky OpenAI channel that errs, limits and cuts its streams in turn, with a fallback),
 * an account with a rate-limited key, and a weighted mix of calls over every client endpoint: streams and whole
 * answers, tool calls, upstream errors, fallbacks, clients that leave mid-stream. Prices include a cache-read
 * price; every scripted answer reports its usage, so each charge is a known number.
 */
public final class SoakMix {
  public static final String UPSTREAM_KEY = "sk-soak-upstream-key";
  private static final String WORDS = "the tide came in slowly over the flat grey sand while gulls turned above "
      + "the harbour wall and a small boat with a red sail waited for the wind to rise again before the evening";

  /** What the soak set up: whose money to check, which key to send, what to send. */
  public record Setup(long accountId, String apiKey, Mix mix, List<Call> calls) {
  }

  private SoakMix() {
  }

  /** Scripts the fake, writes the catalog through the admin API, creates the account with {@code credits}. */
  public static Setup configure(AdminHttp admin, FakeUpstream fake, long seed, String credits) {
    script(fake);
    channel(admin, "soak-openai", "openai", fake.openAiBaseUrl(), new JsonObject());
    channel(admin, "soak-flaky", "openai", fake.openAiBaseUrl(), new JsonObject());
    channel(admin, "soak-responses", "openai", fake.openAiBaseUrl(), new JsonObject().put("wire_api", "responses"));
    channel(admin, "soak-anthropic", "anthropic", fake.anthropicBaseUrl(), new JsonObject());
    channel(admin, "soak-gemini", "gemini", fake.geminiBaseUrl(), new JsonObject());
    model(admin, "soak-chat", route("soak-openai", "up-chat", 0));
    model(admin, "soak-tools", route("soak-openai", "up-tools", 0));
    model(admin, "soak-slow", route("soak-openai", "up-slow", 0));
    model(admin, "soak-flaky", route("soak-flaky", "up-flaky", 0), route("soak-openai", "up-chat", 1));
    model(admin, "soak-resp", route("soak-responses", "up-resp", 0));
    model(admin, "soak-claude", route("soak-anthropic", "up-claude", 0));
    model(admin, "soak-claude-slow", route("soak-anthropic", "up-claude-slow", 0));
    model(admin, "soak-gemini", route("soak-gemini", "up-gemini", 0));

    long account = admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "soak")).getLong("id");
    admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", credits)
        .put("note", "soak"));
    // Limits on the key put the rate limiter (Redis) on every request's path without refusing any.
    String key = admin.ok("POST", "/admin/accounts/" + account + "/keys", new JsonObject().put("name", "soak")
        .put("models", new JsonArray().add("*")).put("rpm", 10_000_000).put("concurrency", 1_000)).getString("key");

    Map<Call, Integer> weights = new LinkedHashMap<>();
    weights.put(Call.chat("soak-chat", false), 4);
    weights.put(Call.chat("soak-chat", true), 4);
    weights.put(Call.chatWithTools("soak-tools", false), 2);
    weights.put(Call.chatWithTools("soak-tools", true), 2);
    weights.put(Call.chat("soak-slow", true), 1);
    weights.put(Call.chat("soak-slow", true).hangingUpAfter(4), 2);
    weights.put(Call.chat("soak-flaky", false), 2);
    weights.put(Call.chat("soak-flaky", true), 2);
    weights.put(Call.chat("soak-claude", true), 1);
    weights.put(Call.chat("soak-gemini", true), 1);
    weights.put(Call.chat("soak-gemini", false), 1);
    weights.put(Call.responses("soak-chat", false), 1);
    weights.put(Call.responses("soak-chat", true), 1);
    weights.put(Call.responses("soak-resp", false), 1);
    weights.put(Call.responses("soak-resp", true), 1);
    weights.put(Call.messages("soak-claude", false), 1);
    weights.put(Call.messages("soak-claude", true), 1);
    weights.put(Call.messages("soak-chat", true), 1);
    weights.put(Call.messages("soak-claude-slow", true).hangingUpAfter(6), 1);
    return new Setup(account, key, Mix.weighted(seed, weights), List.copyOf(weights.keySet()));
  }

  private static void script(FakeUpstream fake) {
    fake.scriptCycle("up-chat",
        Behavior.reply("The sea is wide and mostly salt.").usage(30, 12),
        Behavior.reply("Waves come from wind far away, sometimes from storms.").usage(42, 20).chunks(4),
        Behavior.reply("It covers most of the planet.").usage(25, 8).cachedTokens(10));
    fake.script("up-tools", Behavior.toolCall("get_weather", "{\"city\":\"Paris\"}").usage(60, 18));
    fake.script("up-slow", Behavior.reply(WORDS).chunkDelay(Duration.ofMillis(15)).usage(20, 40));
    fake.scriptCycle("up-flaky",
        Behavior.reply("flaky but fine").usage(18, 6),
        Behavior.error(500, "the flaky provider failed"),
        Behavior.error(429, "the flaky provider is busy").header("retry-after", "1"),
        Behavior.reply("this stream breaks off after two words of many").cutAfterChunks(2).usage(18, 9),
        Behavior.error(400, "the flaky provider refuses this request"));
    fake.script("up-resp", Behavior.reply("Blue, green and grey.").usage(28, 14));
    fake.script("up-claude", Behavior.reply("A wave rises, curls and breaks on the shore.").usage(35, 15));
    fake.script("up-claude-slow", Behavior.reply(WORDS).chunkDelay(Duration.ofMillis(15)).usage(30, 40));
    fake.script("up-gemini", Behavior.reply("The sea keeps the rhythm of the moon.").usage(22, 11));
  }

  private static void channel(AdminHttp admin, String name, String type, String baseUrl, JsonObject extra) {
    admin.ok("PUT", "/admin/channels/" + name, new JsonObject().put("type", type).put("base_url", baseUrl)
        .put("api_key", UPSTREAM_KEY).mergeIn(extra));
  }

  private static void model(AdminHttp admin, String alias, JsonObject... routes) {
    admin.ok("PUT", "/admin/models/" + alias, new JsonObject().put("type", "llm").put("context_length", 128000)
        .put("price", new JsonObject().put("input_per_mtok", "3").put("output_per_mtok", "12")
            .put("cache_read_per_mtok", "1.5"))
        .put("routes", new JsonArray(List.of((Object[]) routes))));
  }

  private static JsonObject route(String channel, String upstreamModel, int priority) {
    return new JsonObject().put("channel", channel).put("model", upstreamModel).put("priority", priority);
  }
}
