package gateway.router.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Redeeming codes through the self-service API: guessing from one address, and codes good for several accounts. */
@ExtendWith(VertxExtension.class)
class RedeemCodesTest {
  private GatewayUnderTest gateway;
  private PeerClient elsewhere;

  @AfterEach
  void close() {
    if (elsewhere != null) {
      elsewhere.close();
    }
  }

  @Test
  @DisplayName("failed redemptions from one address are counted across accounts: past 5 that address is locked (429), "
      + "for a good code and a fresh account too; another address is not")
  void guessesPerAddressAcrossAccounts(Vertx vertx) {
    Assumptions.assumeTrue(PeerClient.canBind(PeerClient.SECOND_LOOPBACK), PeerClient.NO_SECOND_LOOPBACK);
    gateway = GatewayUnderTest.start(vertx, config -> config
        .with("GATEWAY_REDEEM_MAX_FAILURES", 3)
        .with("GATEWAY_REDEEM_MAX_FAILURES_PER_ADDRESS", 5));
    String good = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "launch")
        .put("count", 2).put("amount_credits", 1)).getJsonArray("codes").getString(0);
    List<SelfServiceClient> guessers = new ArrayList<>();
    List<Long> accounts = new ArrayList<>();
    for (String name : List.of("ann", "bob", "cid", "dan")) {
      long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", name)).getLong("id");
      accounts.add(account);
      guessers.add(SelfServiceUsers.signedIn(gateway, account, name + "@example.com", "owner"));
    }

    // ann and bob guess twice, cid once: within each account's limit of 3, five from the one address.
    List<Integer> whoGuesses = List.of(0, 0, 1, 1, 2);
    for (int guess = 0; guess < whoGuesses.size(); guess++) {
      SelfServiceClient.Reply wrong = guessers.get(whoGuesses.get(guess)).post("/api/redeem", new JsonObject()
          .put("code", "AAAAA-BBBBB-CCCCC-DDDD" + guess));
      assertThat(wrong.status()).as(wrong.raw().body()).isEqualTo(400);
      assertThat(wrong.error().getString("param")).isEqualTo("code");
    }
    // cid failed once (its own limit is 3), dan never: the address is what is locked.
    for (SelfServiceClient locked : List.of(guessers.get(2), guessers.get(3))) {
      SelfServiceClient.Reply reply = locked.post("/api/redeem", new JsonObject().put("code", good));
      assertThat(reply.status()).as(reply.raw().body()).isEqualTo(429);
      assertThat(reply.error().getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(reply.error().getString("type")).isEqualTo("rate_limit_error");
      assertThat(reply.error().getString("message")).contains("redemption");
      assertThat(Long.parseLong(reply.raw().headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 900L);
    }
    assertThat(gateway.sql("SELECT count(*) FROM billing.redemptions WHERE ? > 0", 1)).isZero();

    // dan from another address (127.0.0.2): its attempts are its own.
    elsewhere = new PeerClient(vertx, PeerClient.SECOND_LOOPBACK, gateway.config.httpPort()).begin();
    assertThat(elsewhere.login("dan@example.com", SelfServiceUsers.PASSWORD).status()).isEqualTo(200);
    PeerClient.Reply redeemed = elsewhere.send(HttpMethod.POST, "/api/redeem", new JsonObject().put("code", good));
    assertThat(redeemed.status()).as(String.valueOf(redeemed.body())).isEqualTo(200);
    assertThat(gateway.sql("SELECT count(*) FROM billing.redemptions WHERE account_id = ?", accounts.get(3))).isOne();
  }

  @Test
  @DisplayName("a code good for 3 redemptions, redeemed by 10 accounts at once, gives exactly 3 successes and 3 credits")
  void multiUseCodeUnderConcurrency(Vertx vertx) throws Exception {
    gateway = GatewayUnderTest.start(vertx);
    String code = gateway.admin.ok("POST", "/admin/code-batches", new JsonObject().put("name", "three")
        .put("count", 1).put("amount_credits", 1).put("redemptions_per_code", 3)).getJsonArray("codes").getString(0);
    int accounts = 10;
    List<SelfServiceClient> owners = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      long account = gateway.admin.ok("POST", "/admin/accounts", new JsonObject().put("name", "a" + i)).getLong("id");
      owners.add(SelfServiceUsers.signedIn(gateway, account, "owner" + i + "@example.com", "owner"));
    }

    ExecutorService threads = Executors.newFixedThreadPool(accounts);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<SelfServiceClient.Reply>> replies = new ArrayList<>();
    try {
      for (SelfServiceClient owner : owners) {
        replies.add(threads.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          return owner.post("/api/redeem", new JsonObject().put("code", code));
        }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      List<String> refusals = new ArrayList<>();
      for (Future<SelfServiceClient.Reply> reply : replies) {
        SelfServiceClient.Reply r = reply.get(60, TimeUnit.SECONDS);
        statuses.add(r.status());
        if (r.status() == 400) {
          refusals.add(r.error().getString("message"));
        }
      }
      assertThat(statuses).as(statuses.toString()).containsOnly(200, 400);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(3);
      assertThat(refusals).hasSize(accounts - 3).allMatch(m -> m.contains("already been redeemed"));
    } finally {
      threads.shutdownNow();
    }
    assertThat(gateway.sql("SELECT count(*) FROM billing.redemptions WHERE ? > 0", 1)).isEqualTo(3);
    assertThat(gateway.sql("SELECT count(*) FROM billing.ledger WHERE kind = 'redemption' AND ? > 0", 1)).isEqualTo(3);
    assertThat(gateway.sql("SELECT COALESCE(sum(balance_micros), 0) FROM billing.balances WHERE ? > 0", 1))
        .isEqualTo(3_000_000);
  }
}
