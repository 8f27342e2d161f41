package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import gateway.testsupport.fake.Behavior;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What requests cost upstream: a route's cost price, priced with the same usage as the customer's charge, kept on
 * the usage row and reported with the margin in {@code GET /admin/reports/revenue}.
 */
@ExtendWith(VertxExtension.class)
class UpstreamCostTest {
  // the customer pays 3 / 5 µcr a token, the provider of the "cheap" route charges 0.5 / 2
  private static final long CHARGE = 100 * 3 + 20 * 5;
  private static final long UPSTREAM = 100 / 2 + 20 * 2;

  private GatewayUnderTest gateway;
  private RawHttp http;

  @BeforeEach
  void start(Vertx vertx) {
    gateway = GatewayUnderTest.start(vertx);
    gateway.openAiModel("plain", "up-plain", GatewayUnderTest.price("3", "5", null));
    gateway.fakeChannel("cheap", new JsonObject());
    gateway.model("costed", GatewayUnderTest.price("3", "5", null), new JsonObject().put("channel", "cheap")
        .put("model", "up-costed").put("cost", GatewayUnderTest.price("0.5", "2", null)));
    http = new RawHttp(gateway.v1());
  }

  @Test
  @DisplayName("a request through a route with a cost price stores its upstream cost on its usage row, priced from the "
      + "same usage as the charge; a failure there costs 0, a route without a cost price leaves it null")
  void storedOnTheUsageRow() {
    GatewayUnderTest.Customer customer = gateway.customer("10", "*");
    gateway.fake.script("up-costed", Behavior.reply("hello there").usage(100, 20),
        Behavior.error(400, "bad request, says upstream"));
    gateway.fake.script("up-plain", Behavior.reply("hi").usage(100, 20));
    assertThat(http.post("/chat/completions", customer.key(), chat("costed")).statusCode()).isEqualTo(200);
    assertThat(http.post("/chat/completions", customer.key(), chat("costed")).statusCode()).isEqualTo(400);
    assertThat(http.post("/chat/completions", customer.key(), chat("plain")).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == 3);

    assertThat(upstream(customer, "costed", "completed")).isEqualTo(UPSTREAM);
    assertThat(gateway.sql("SELECT cost_micros FROM billing.usage WHERE account_id = ? AND model = 'costed' "
        + "AND outcome = 'completed'", customer.accountId())).isEqualTo(CHARGE);
    assertThat(upstream(customer, "costed", "failed")).isZero();
    assertThat(upstream(customer, "plain", "completed")).isEqualTo(-1); // null: unknown
  }

  @Test
  @DisplayName("the revenue report by channel, model, day and account shows the upstream cost and the margin, summing "
      + "exactly to the total; a route without a cost price counts as uncosted")
  void revenueReportWithCostAndMargin() {
    GatewayUnderTest.Customer first = gateway.customer("10", "*");
    GatewayUnderTest.Customer second = gateway.customer("10", "*");
    gateway.fake.script("up-costed", Behavior.reply("one").usage(100, 20), Behavior.reply("two").usage(100, 20));
    gateway.fake.script("up-plain", Behavior.reply("three").usage(100, 20));
    assertThat(http.post("/chat/completions", first.key(), chat("costed")).statusCode()).isEqualTo(200);
    assertThat(http.post("/chat/completions", second.key(), chat("costed")).statusCode()).isEqualTo(200);
    assertThat(http.post("/chat/completions", second.key(), chat("plain")).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(first.accountId())
        + gateway.usageRowCount(second.accountId()) == 3);

    JsonObject total = revenue("day").getJsonObject("total");
    assertThat(total.getLong("cost_micros")).isEqualTo(3 * CHARGE);
    assertThat(total.getLong("upstream_cost_micros")).isEqualTo(2 * UPSTREAM);
    assertThat(new java.math.BigDecimal(total.getValue("upstream_cost_credits").toString())).isEqualByComparingTo("0.00018");
    assertThat(total.getLong("margin_micros")).isEqualTo(3 * CHARGE - 2 * UPSTREAM);
    assertThat(total.getLong("uncosted_requests")).isEqualTo(1);

    JsonObject today = find(revenue("day").getJsonArray("data"), "day", LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(today.getLong("margin_micros")).isEqualTo(3 * CHARGE - 2 * UPSTREAM);
    JsonObject cheap = find(revenue("channel").getJsonArray("data"), "channel", "cheap");
    assertThat(cheap.getLong("upstream_cost_micros")).isEqualTo(2 * UPSTREAM);
    assertThat(cheap.getLong("margin_micros")).isEqualTo(2 * (CHARGE - UPSTREAM));
    assertThat(cheap.getLong("uncosted_requests")).isZero();
    JsonObject plain = find(revenue("model").getJsonArray("data"), "model", "plain");
    assertThat(plain.getLong("upstream_cost_micros")).isZero();
    assertThat(plain.getLong("margin_micros")).isEqualTo(CHARGE);
    assertThat(plain.getLong("uncosted_requests")).isEqualTo(1);
    JsonArray accounts = revenue("account").getJsonArray("data");
    assertThat(accounts.getJsonObject(0).getLong("account_id")).isEqualTo(first.accountId());
    assertThat(accounts.getJsonObject(0).getLong("margin_micros")).isEqualTo(CHARGE - UPSTREAM);
    assertThat(accounts.getJsonObject(1).getLong("margin_micros")).isEqualTo(2 * CHARGE - UPSTREAM);
    assertThat(accounts.getJsonObject(1).getLong("uncosted_requests")).isEqualTo(1);

    for (String grouping : List.of("day", "model", "channel", "account")) {
      JsonObject report = revenue(grouping);
      for (String field : List.of("cost_micros", "upstream_cost_micros", "margin_micros", "uncosted_requests")) {
        long sum = report.getJsonArray("data").stream().mapToLong(g -> ((JsonObject) g).getLong(field)).sum();
        assertThat(sum).as(grouping + " " + field).isEqualTo(report.getJsonObject("total").getLong(field));
      }
    }
  }

  @Test
  @DisplayName("an image route's cost prices the images delivered; the admin API returns a route's cost in credits "
      + "and refuses a bad one with a 400 naming 'cost'")
  void imagesAndTheAdminApi() {
    gateway.admin.ok("PUT", "/admin/models/painter", new JsonObject().put("type", "text2image")
        .put("price", new JsonObject().put("per_image", new JsonObject().put("1024x1024", 4)))
        .put("routes", new JsonArray().add(new JsonObject().put("channel", "cheap").put("model", "up-painter")
            .put("cost", new JsonObject().put("per_image", new JsonObject().put("1024x1024", "1.5"))))));
    GatewayUnderTest.Customer customer = gateway.customer("100", "*");
    gateway.fake.script("up-painter", Behavior.images());
    String body = new JsonObject().put("model", "painter").put("prompt", "a lighthouse").put("n", 2)
        .put("size", "1024x1024").put("response_format", "b64_json").encode();
    assertThat(http.post("/images/generations", customer.key(), body).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> gateway.usageRowCount(customer.accountId()) == 1);
    assertThat(upstream(customer, "painter", "completed")).isEqualTo(3_000_000);

    JsonObject route = gateway.admin.ok("GET", "/admin/models/costed", null).getJsonArray("routes").getJsonObject(0);
    assertThat(route.getJsonObject("cost").getValue("input_per_mtok").toString()).isEqualTo("0.5");
    assertThat(route.getJsonObject("cost").getValue("output_per_mtok").toString()).isEqualTo("2");
    AdminClient.Reply bad = gateway.admin.send("PUT", "/admin/models/costed", new JsonObject()
        .put("price", GatewayUnderTest.price("3", "5", null)).put("routes", new JsonArray().add(new JsonObject()
            .put("channel", "cheap").put("cost", new JsonObject().put("input_per_mtok", "-1")
                .put("output_per_mtok", 1)))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonObject("error").getString("param")).isEqualTo("cost");
    assertThat(bad.body().getJsonObject("error").getString("message")).contains("'cost'");
  }

  private long upstream(GatewayUnderTest.Customer customer, String model, String outcome) {
    return gateway.sql("SELECT COALESCE(upstream_cost_micros, -1) FROM billing.usage WHERE account_id = ? AND model = '"
        + model + "' AND outcome = '" + outcome + "'", customer.accountId());
  }

  private JsonObject revenue(String groupBy) {
    return gateway.admin.ok("GET", "/admin/reports/revenue?group_by=" + groupBy, null);
  }

  private static String chat(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 20)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  private static JsonObject find(JsonArray rows, String field, String value) {
    for (Object row : rows) {
      if (value.equals(String.valueOf(((JsonObject) row).getValue(field)))) {
        return (JsonObject) row;
      }
    }
    throw new AssertionError("no row with " + field + " " + value + " in " + rows.encode());
  }
}
