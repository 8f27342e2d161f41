package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.router.e2e.FuzzClient.Answer;
import gateway.router.e2e.GatewayUnderTest.Customer;
import gateway.router.e2e.HostileBodies.Mutation;
import gateway.router.e2e.HostileBodies.Shape;
import gateway.testsupport.Await;
import gateway.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile JSON bodies (and a few hostile path parameters) at every admin call that takes a body,
 * against one real gateway: each answer is a 2xx or a 4xx in the OpenAI error shape, never a 5xx, a
 * hang or a Java class name; and a top-up that was refused left no ledger row and no credit — the
 * account's balance is exactly the sum of the top-ups that were answered as applied.
 */
class AdminBodiesFuzzTest {
  private static Vertx vertx;
  private static GatewayUnderTest gateway;
  private static Customer customer;
  private static FuzzClient client;
  private static final AtomicLong appliedTopUps = new AtomicLong();

  /** An admin call: its method, its path (with the test account's and key's ids) and a valid body. */
  enum Call {
    CREATE_ACCOUNT("POST", "/admin/accounts", "{\"name\": \"acme\", \"rpm\": 60, \"tpm\": 100000}"),
    UPDATE_ACCOUNT("PATCH", "/admin/accounts/{account}", "{\"name\": \"acme 2\", \"rpm\": 120, \"concurrency\": 5}"),
    TOP_UP("POST", "/admin/accounts/{account}/credits",
        "{\"amount_credits\": \"1.5\", \"note\": \"invoice 7\", \"idempotency_key\": \"inv-7\"}"),
    CREATE_KEY("POST", "/admin/accounts/{account}/keys", "{\"name\": \"laptop\", \"models\": [\"*\"],"
        + " \"expires_at\": \"2031-01-01T00:00:00Z\", \"rpm\": 60, \"rph\": 600, \"rpd\": 6000, \"tpm\": 100000,"
        + " \"concurrency\": 4}"),
    UPDATE_KEY("PATCH", "/admin/keys/{key}", "{\"disabled\": false, \"name\": \"ci\", \"models\": [\"gpt-chat\"],"
        + " \"rpm\": 30}"),
    PUT_CHANNEL("PUT", "/admin/channels/fuzz-channel", "{\"type\": \"openai\", \"base_url\": \"https://api.example.com/v1\","
        + " \"api_key\": \"sk-x\", \"priority\": 1, \"weight\": 2, \"stream_only\": false, \"wire_api\": \"chat\","
        + " \"timeouts\": {\"connect_ms\": 1000, \"first_byte_ms\": 5000}, \"headers\": {\"X-A\": \"b\"}, \"rpm\": 100,"
        + " \"allow\": {\"server_tools\": [\"web_search\"], \"provider_files\": false}}"),
    PUT_MODEL("PUT", "/admin/models/fuzz-model", "{\"type\": \"llm\", \"context_length\": 128000,"
        + " \"max_output_tokens\": 4096, \"price\": {\"input_per_mtok\": 15, \"output_per_mtok\": 60,"
        + " \"cache_read_per_mtok\": \"7.5\"}, \"routes\": [{\"channel\": \"fake-openai\", \"model\": \"up\","
        + " \"priority\": 0, \"weight\": 1}], \"listed\": true, \"description\": \"d\"}");

    final String method;
    final String path;
    final String body;

    Call(String method, String path, String body) {
      this.method = method;
      this.path = path;
      this.body = body;
    }
  }

  record Case(Call call, List<Mutation> mutations, Shape shape, int cut, String hostilePath) {
    byte[] body() {
      return HostileBodies.build(FuzzJson.of(new JsonObject(call.body)), mutations, shape, cut);
    }

    String path() {
      if (!hostilePath.isEmpty()) {
        return call.path.replaceAll("\\{[a-z]+}|fuzz-[a-z]+$", hostilePath);
      }
      return call.path.replace("{account}", Long.toString(customer.accountId()))
          .replace("{key}", Long.toString(customer.keyId()));
    }

    @Override
    public String toString() {
      return call.method + " " + path() + ", " + mutations + ", " + shape + "\n  body: " + FuzzJson.show(body(), 3_000);
    }
  }

  @BeforeContainer
  static void startGateway() {
    vertx = Vertx.vertx();
    gateway = GatewayUnderTest.start(vertx);
    Upstream.OPENAI_CHAT.install(gateway);
    customer = gateway.customer(null, "*");
    client = new FuzzClient(gateway.baseUrl());
  }

  @AfterContainer
  static void stopGateway() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Property(tries = 600, edgeCases = EdgeCasesMode.NONE)
  void adminBodies(@ForAll("cases") Case request) {
    Answer answer = client.send(request.call().method, request.path(), request.body(),
        Map.of("authorization", "Bearer " + TestServices.ADMIN_TOKEN), request.toString());
    Statistics.label("status").collect(request.call() + " " + answer.status());
    FuzzClient.assertWellFormed(answer, false, request.toString());
    if (request.call() == Call.TOP_UP && answer.status() == 200 && request.hostilePath().isEmpty()
        && !new JsonObject(answer.body()).getBoolean("replayed", false)) {
      appliedTopUps.incrementAndGet();
    }
  }

  /** Only top-ups answered as applied moved money: one ledger row each, and the balance is their sum. */
  @AfterProperty
  void refusedTopUpsChangedNothing() {
    long account = customer.accountId();
    assertThat(gateway.sql("SELECT count(*) FROM billing.ledger WHERE kind = 'topup' AND account_id = ?", account))
        .isEqualTo(appliedTopUps.get());
    long credited = gateway.sql("SELECT COALESCE(SUM(amount_micros), 0) FROM billing.ledger WHERE account_id = ?",
        account);
    long balance = appliedTopUps.get() == 0 ? 0 : gateway.balanceMicros(account);
    assertThat(balance).isEqualTo(credited);
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> paths = Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of("%00", "a%0Ab", "-1", "0", "99999999999999999999", "%ED%A0%80", "x".repeat(2_000),
            "%F0%9F%98%80", "..%2F..")));
    return Combinators.combine(Arbitraries.of(Call.values()), HostileBodies.mutations(), HostileBodies.shapes(),
        Arbitraries.integers().between(0, 5_000), paths).as(Case::new);
  }
}
