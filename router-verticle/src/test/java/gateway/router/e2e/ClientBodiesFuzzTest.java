package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.common.PgUrl;
import gateway.router.e2e.FuzzClient.Answer;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.HostileBodies.Mutation;
import gateway.router.e2e.HostileBodies.Shape;
import gateway.testsupport.Await;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.awaitility.Awaitility;

/**
 * Hostile bodies thrown at every client endpoint of one real gateway (every verticle, Postgres,
 * Redis, the fake upstream answering for OpenAI chat and Responses, Anthropic and Gemini channels):
 * each answer is a 4xx in the endpoint's error shape, or a 200 (always for the unmutated body),
 * never a 5xx, a hang or a Java class name; and the money reconciles after each property — the
 * balance dropped by exactly what the usage rows cost and the ledger charged, no hold is left, and
 * no refused request cost anything.
 */
class ClientBodiesFuzzTest {
  private static final String START_CREDITS = "100000";
  private static final long START_MICROS = 100_000_000_000L;
  private static final String EMBEDDING = "embed";

  private static Vertx vertx;
  private static GatewayUnderTest gateway;
  private static Customer customer;
  private static FuzzClient client;
  private static final Set<String> refused = ConcurrentHashMap.newKeySet();

  enum Endpoint {
    CHAT("/chat/completions"), RESPONSES("/responses"), MESSAGES("/messages"), COUNT_TOKENS("/messages/count_tokens"),
    EMBEDDINGS("/embeddings"), IMAGES("/images/generations");

    final String path;

    Endpoint(String path) {
      this.path = path;
    }

    boolean anthropic() {
      return this == MESSAGES || this == COUNT_TOKENS;
    }
  }

  /** One request: the endpoint, the channel kind its model is routed to, and what was done to the body. */
  record Case(Endpoint endpoint, Upstream target, boolean stream, List<Mutation> mutations, Shape shape, int cut,
              String query) {
    byte[] body() {
      return HostileBodies.build(FuzzJson.of(BaseBodies.of(endpoint, target, stream)), mutations, shape, cut);
    }

    boolean untouched() {
      return mutations.isEmpty() && shape == Shape.INTACT && query.isEmpty();
    }

    @Override
    public String toString() {
      return endpoint.path + query + " → " + target + (stream ? " (stream)" : "") + ", " + mutations + ", " + shape
          + "\n  body: " + FuzzJson.show(body(), 3_000);
    }
  }

  @BeforeContainer
  static void startGateway() {
    vertx = Vertx.vertx();
    gateway = GatewayUnderTest.start(vertx);
    for (Upstream upstream : Upstream.values()) {
      upstream.install(gateway);
    }
    gateway.admin.ok("PUT", "/admin/models/" + EMBEDDING, new JsonObject().put("type", "embedding")
        .put("price", GatewayUnderTest.price("15", "0", null))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", Upstream.OPENAI_CHAT.channel)
            .put("model", "up-embed"))));
    gateway.admin.ok("PUT", "/admin/models/fuzz-painter", new JsonObject().put("type", "text2image")
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", 4).put("1536x1024", 6)))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", Upstream.OPENAI_CHAT.channel)
            .put("model", "up-painter"))));
    customer = gateway.customer(START_CREDITS, "*");
    client = new FuzzClient(gateway.baseUrl());
  }

  @AfterContainer
  static void stopGateway() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void chatCompletions(@ForAll("chat") Case request) {
    send(request);
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void responses(@ForAll("responses") Case request) {
    send(request);
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void messages(@ForAll("messages") Case request) {
    send(request);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void countTokens(@ForAll("countTokens") Case request) {
    send(request);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void embeddings(@ForAll("embeddings") Case request) {
    send(request);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void images(@ForAll("images") Case request) {
    send(request);
  }

  /** After every property: the money of every request so far reconciles exactly. */
  @AfterProperty
  void moneyReconciles() {
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        // held for requests: the credit leases of the routers stay until idle, and are themselves holds
        assertThat(query("SELECT held_micros - (SELECT COALESCE(SUM(amount_micros), 0) FROM billing.holds h "
            + "WHERE h.account_id = b.account_id AND h.request_id LIKE 'lease:%') FROM billing.balances b "
            + "WHERE account_id = ?")).isZero());
    long drop = START_MICROS - query("SELECT balance_micros FROM billing.balances WHERE account_id = ?");
    assertThat(query("SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE account_id = ?")).isEqualTo(drop);
    assertThat(query("SELECT COALESCE(-SUM(amount_micros), 0) FROM billing.ledger WHERE kind = 'charge'"
        + " AND account_id = ?")).isEqualTo(drop);
    assertThat(refusedCost()).as("what the refused requests cost").isZero();
  }

  @Provide
  Arbitrary<Case> chat() {
    return cases(Endpoint.CHAT, Arbitraries.of(Upstream.values()));
  }

  @Provide
  Arbitrary<Case> responses() {
    return cases(Endpoint.RESPONSES, Arbitraries.of(Upstream.values()));
  }

  @Provide
  Arbitrary<Case> messages() {
    return cases(Endpoint.MESSAGES, Arbitraries.of(Upstream.values()));
  }

  @Provide
  Arbitrary<Case> countTokens() {
    return cases(Endpoint.COUNT_TOKENS, Arbitraries.of(Upstream.ANTHROPIC, Upstream.OPENAI_CHAT));
  }

  @Provide
  Arbitrary<Case> embeddings() {
    return cases(Endpoint.EMBEDDINGS, Arbitraries.just(Upstream.OPENAI_CHAT));
  }

  @Provide
  Arbitrary<Case> images() {
    return cases(Endpoint.IMAGES, Arbitraries.just(Upstream.OPENAI_CHAT));
  }

  private static Arbitrary<Case> cases(Endpoint endpoint, Arbitrary<Upstream> targets) {
    Arbitrary<Boolean> stream = endpoint == Endpoint.COUNT_TOKENS || endpoint == Endpoint.EMBEDDINGS
        || endpoint == Endpoint.IMAGES ? Arbitraries.just(false) : Arbitraries.of(true, false);
    return Combinators.combine(targets, stream, HostileBodies.mutations(), HostileBodies.shapes(),
        Arbitraries.integers().between(0, 5_000), queries()).as(
            (target, streams, mutations, shape, cut, query) ->
                new Case(endpoint, target, streams, mutations, shape, cut, query));
  }

  private static Arbitrary<String> queries() {
    return Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of("?channel=fake-openai", "?channel=nope", "?channel=%00",
            "?channel=a%0Ab", "?channel=%ED%A0%80", "?channel=" + "x".repeat(3_000), "?channel=&channel=x")));
  }

  private static void send(Case request) {
    Map<String, String> headers = request.endpoint().anthropic()
        ? Map.of("x-api-key", customer.key(), "anthropic-version", "2023-06-01",
            "anthropic-beta", "interleaved-thinking-2025-05-14,context-1m-2025-08-07")
        : Map.of("authorization", "Bearer " + customer.key());
    Answer answer = client.send("POST", "/v1" + request.endpoint().path + request.query(), request.body(), headers,
        request.toString());
    Statistics.label("status").collect(answer.status());
    FuzzClient.assertWellFormed(answer, request.endpoint().anthropic(), request.toString());
    if (request.untouched()) {
      assertThat(answer.status()).as("an untouched valid body is served: %s\n→ %s", request, answer.body())
          .isEqualTo(200);
    }
    if (answer.status() != 200 && answer.requestId() != null) {
      refused.add(answer.requestId());
    }
  }

  private static long refusedCost() {
    PgUrl url = PgUrl.parse(gateway.config.pgUrl());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         PreparedStatement s = c.prepareStatement(
             "SELECT COALESCE(SUM(cost_micros), 0) FROM billing.usage WHERE request_id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("text", refused.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long query(String sql) {
    PgUrl url = PgUrl.parse(gateway.config.pgUrl());
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
         PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, customer.accountId());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
