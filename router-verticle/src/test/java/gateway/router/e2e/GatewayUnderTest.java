package gateway.router.e2e;

import static gateway.testsupport.Await.result;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import gateway.auth.AuthConfig;
import gateway.auth.AuthVerticle;
import gateway.billing.BillingConfig;
import gateway.billing.BillingVerticle;
import gateway.catalog.CatalogConfig;
import gateway.catalog.CatalogVerticle;
import gateway.common.PgDatabase;
import gateway.common.PgUrl;
import gateway.common.config.Env;
import gateway.router.RouterConfig;
import gateway.router.RouterVerticle;
import gateway.testsupport.TestServices;
import gateway.testsupport.fake.FakeUpstream;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The whole gateway in one Vert.x instance (auth, catalog, billing, two router instances)
 * on a fresh database, the test Redis and a fake upstream; plus the operator's and the
 * customer's ways of talking to it.
 */
final class GatewayUnderTest {
  static final String CHANNEL_KEY = "sk-upstream-secret-of-the-channel";

  final Vertx vertx;
  final StackConfig config;
  final FakeUpstream fake;
  final AdminClient admin;
  /** Deployment ids of the catalog replicas, in the order they were deployed. */
  final List<String> catalogDeployments = new java.util.ArrayList<>();
  /** The deployment of the router instances, for {@link #restartRouters}. */
  private String routerDeployment;
  private int routerInstances = 1;

  /** An account with credits and a key. */
  record Customer(long accountId, long keyId, String key) {
  }

  /** The records the stack is deployed with, built from one environment as the launcher builds them. */
  record StackConfig(Env env, RouterConfig router, AuthConfig auth, CatalogConfig catalog, BillingConfig billing) {
    static StackConfig of(Env env) {
      return new StackConfig(env, RouterConfig.fromEnv(env), AuthConfig.fromEnv(env), CatalogConfig.fromEnv(env),
          BillingConfig.fromEnv(env));
    }

    /** Runs the migrations of auth, catalog and billing, once, as the launcher does before deploying. */
    StackConfig migrated() {
      PgDatabase.migrate(billing.pg(), CatalogVerticle.SCHEMA, AuthVerticle.SCHEMA, BillingVerticle.SCHEMA,
          gateway.router.videos.Videos.SCHEMA);
      return this;
    }

    int httpPort() {
      return router.process().httpPort();
    }

    String pgUrl() {
      return billing.pg().url();
    }
  }

  private GatewayUnderTest(Vertx vertx, StackConfig config, FakeUpstream fake) {
    this.vertx = vertx;
    this.config = config;
    this.fake = fake;
    this.admin = new AdminClient(baseUrl(), TestServices.ADMIN_TOKEN);
  }

  static GatewayUnderTest start(Vertx vertx) {
    return start(vertx, config -> config);
  }

  /** With the test environment changed by {@code tune} (e.g. {@code env -> env.with("GATEWAY_USAGE_GRACE_MS", 50)}). */
  static GatewayUnderTest start(Vertx vertx, UnaryOperator<Env> tune) {
    return start(vertx, tune, 1, 2);
  }

  /** With {@code catalogReplicas} catalog verticles (each its own deployment) and {@code routerInstances} routers. */
  static GatewayUnderTest start(Vertx vertx, UnaryOperator<Env> tune, int catalogReplicas,
                                int routerInstances) {
    StackConfig config = StackConfig.of(tune.apply(TestServices.env())).migrated();
    List<String> catalogs = new java.util.ArrayList<>();
    for (int i = 0; i < catalogReplicas; i++) {
      catalogs.add(result(vertx.deployVerticle(new CatalogVerticle(config.catalog()))));
    }
    result(vertx.deployVerticle(new AuthVerticle(config.auth())));
    result(vertx.deployVerticle(() -> new BillingVerticle(config.billing()), new DeploymentOptions().setInstances(2)));
    String routers = result(vertx.deployVerticle(() -> new RouterVerticle(config.router()),
        new DeploymentOptions().setInstances(routerInstances)));
    FakeUpstream fake = result(FakeUpstream.start(vertx)).expectApiKey(CHANNEL_KEY);
    GatewayUnderTest gateway = new GatewayUnderTest(vertx, config, fake);
    gateway.catalogDeployments.addAll(catalogs);
    gateway.routerDeployment = routers;
    gateway.routerInstances = routerInstances;
    return gateway;
  }

  /** Stops the router instances (they drain as on a shutdown); {@link #startRouters} brings them back. */
  void stopRouters() {
    result(vertx.undeploy(routerDeployment));
    routerDeployment = null;
  }

  void startRouters() {
    routerDeployment = result(vertx.deployVerticle(() -> new RouterVerticle(config.router()),
        new DeploymentOptions().setInstances(routerInstances)));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + config.httpPort();
  }

  String v1() {
    return baseUrl() + "/v1";
  }

  /** An OpenAI channel on the fake upstream, plus a model routed to it at the given prices. */
  void openAiModel(String alias, String upstreamModel, JsonObject price) {
    channel("fake-openai", new JsonObject().put("type", "openai").put("base_url", fake.openAiBaseUrl())
        .put("api_key", CHANNEL_KEY));
    admin.ok("PUT", "/admin/models/" + alias, new JsonObject()
        .put("type", "llm")
        .put("context_length", 128000)
        .put("price", price)
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "fake-openai").put("model", upstreamModel))));
  }

  void channel(String name, JsonObject definition) {
    admin.ok("PUT", "/admin/channels/" + name, definition);
  }

  /** Prices in credits per million tokens. */
  static JsonObject price(String input, String output, String cacheRead) {
    JsonObject price = new JsonObject().put("input_per_mtok", input).put("output_per_mtok", output);
    return cacheRead == null ? price : price.put("cache_read_per_mtok", cacheRead);
  }

  Customer customer(String credits, String... models) {
    long account = admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "acme")).getLong("id");
    if (credits != null) {
      admin.ok("POST", "/admin/accounts/" + account + "/credits", new JsonObject().put("amount_credits", credits));
    }
    JsonObject key = admin.ok("POST", "/admin/accounts/" + account + "/keys",
        new JsonObject().put("name", "test").put("models", new JsonArray(List.of(models))));
    return new Customer(account, key.getLong("id"), key.getString("key"));
  }

  OpenAIClient sdk(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(v1())
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  JsonObject account(long id) {
    return admin.ok("GET", "/admin/accounts/" + id, null);
  }

  JsonArray usageRows(long accountId) {
    return admin.ok("GET", "/admin/usage?account_id=" + accountId, null).getJsonArray("data");
  }

  /** Ledger facts straight from Postgres, the record of money. */
  long sql(String query, long... parameters) {
    PgUrl url = PgUrl.parse(config.pgUrl());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         PreparedStatement s = c.prepareStatement(query)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setLong(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row, as text. */
  List<String> texts(String query, long accountId) {
    PgUrl url = PgUrl.parse(config.pgUrl());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         PreparedStatement s = c.prepareStatement(query)) {
      s.setLong(1, accountId);
      List<String> texts = new java.util.ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          texts.add(rs.getString(1));
        }
      }
      return texts;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the usage rows of these requests cost, together. */
  long costOfRequests(java.util.Collection<String> requestIds) {
    PgUrl url = PgUrl.parse(config.pgUrl());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         PreparedStatement s = c.prepareStatement(
             "SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE request_id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("text", requestIds.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long balanceMicros(long accountId) {
    return sql("SELECT balance_micros FROM billing.balances WHERE account_id = ?", accountId);
  }

  /**
   * What is held for requests: the account's holds but its routers' credit leases, which stay a while after the
   * last request (they are given back when idle) and which {@link #leasedMicros} reads.
   */
  long heldMicros(long accountId) {
    return sql("SELECT held_micros - (SELECT COALESCE(SUM(amount_micros), 0) FROM billing.holds h WHERE "
        + "h.account_id = b.account_id AND h.request_id LIKE 'lease:%' AND NOT EXISTS (SELECT 1 FROM billing.hold_parts p "
        + "WHERE p.request_id = h.request_id)) FROM billing.balances b WHERE account_id = ?",
        accountId);
  }

  /** What the account's credit leases hold. */
  long leasedMicros(long accountId) {
    return sql("SELECT COALESCE(SUM(amount_micros), 0) FROM billing.holds WHERE account_id = ? "
        + "AND request_id LIKE 'lease:%'", accountId);
  }

  long ledgerChargesMicros(long accountId) {
    return sql("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge' AND account_id = ?",
        accountId);
  }

  long usageCostMicros(long accountId) {
    return sql("SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = ?", accountId);
  }

  long usageRowCount(long accountId) {
    return sql("SELECT count(*) FROM billing.usage WHERE account_id = ?", accountId);
  }

  /** An Anthropic channel on the fake upstream, plus a model routed to it at the given prices. */
  void anthropicModel(String alias, String upstreamModel, JsonObject price) {
    channel("fake-anthropic", new JsonObject().put("type", "anthropic").put("base_url", fake.anthropicBaseUrl())
        .put("api_key", CHANNEL_KEY));
    routedModel(alias, "fake-anthropic", upstreamModel, price);
  }

  /** A Gemini channel on the fake upstream, plus a model routed to it at the given prices. */
  void geminiModel(String alias, String upstreamModel, JsonObject price) {
    channel("fake-gemini", new JsonObject().put("type", "gemini").put("base_url", fake.geminiBaseUrl())
        .put("api_key", CHANNEL_KEY));
    routedModel(alias, "fake-gemini", upstreamModel, price);
  }

  /** A chat model served by one existing channel. */
  void routedModel(String alias, String channel, String upstreamModel, JsonObject price) {
    admin.ok("PUT", "/admin/models/" + alias, new JsonObject()
        .put("type", "llm")
        .put("context_length", 128000)
        .put("price", price)
        .put("routes", new JsonArray().add(new JsonObject().put("channel", channel).put("model", upstreamModel))));
  }

  /**
   * Another gateway process in all but name: its own Vert.x instance, the same database and
   * Redis, its own HTTP port. Start it after the catalog and keys are set up.
   */
  GatewayUnderTest alongside(Vertx other) {
    StackConfig second = StackConfig.of(config.env().with("GATEWAY_HTTP_PORT", TestServices.freePort()));
    result(other.deployVerticle(new CatalogVerticle(second.catalog())));
    result(other.deployVerticle(new AuthVerticle(second.auth())));
    result(other.deployVerticle(new BillingVerticle(second.billing())));
    result(other.deployVerticle(new RouterVerticle(second.router())));
    return new GatewayUnderTest(other, second, fake);
  }

  /** A channel of the given type on the fake upstream, with extra definition fields. */
  void fakeChannel(String name, JsonObject extra) {
    channel(name, new JsonObject().put("type", "openai").put("base_url", fake.openAiBaseUrl())
        .put("api_key", CHANNEL_KEY).mergeIn(extra));
  }

  /** A model over several routes: each {channel, model, priority?, weight?}. */
  void model(String alias, JsonObject price, JsonObject... routes) {
    JsonArray list = new JsonArray();
    for (JsonObject route : routes) {
      list.add(route);
    }
    admin.ok("PUT", "/admin/models/" + alias, new JsonObject().put("type", "llm").put("price", price)
        .put("routes", list));
  }

  /** Settles trail the answers: waits until the balance is what the charges make it, with no hold left. */
  void awaitBalance(long accountId, long micros) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        org.assertj.core.api.Assertions.assertThat(balanceMicros(accountId)).isEqualTo(micros));
    org.assertj.core.api.Assertions.assertThat(heldMicros(accountId)).isZero();
  }
}
