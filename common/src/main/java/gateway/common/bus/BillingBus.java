package gateway.common.bus;

/**
 * The billing service: the Postgres ledger of record. Every command names the request id,
 * and every command is idempotent on it.
 */
public final class BillingBus {
  /**
   * {@link Hold} → {hold_micros}. Refuses with 402 {@code insufficient_credits} when balance
   * minus holds cannot cover the amount; 409 {@code conflict} when the request id was settled already.
   */
  public static final String RESERVE = "billing.reserve";
  /**
   * {@link UsageReport} → {charged_micros, balance_micros, replayed}. Charges the cost once per
   * request id (never below a zero balance), drops the hold, writes the usage row.
   */
  public static final String SETTLE = "billing.settle";
  /** {@link UsageReport} of a failed request → {released_micros}: drops the hold, charges nothing. */
  public static final String RELEASE = "billing.release";
  /** {account_id} → {account_id, balance_credits, held_credits, balance_micros, held_micros}. */
  public static final String BALANCE = "billing.balance";
  /** {account_id, amount_micros, note?, idempotency_key?} → {balance_micros, balance_credits, replayed}. */
  public static final String TOPUP = "billing.topup";
  /**
   * {account_id?, limit?} → {data: [usage rows], limit, capped, has_more}, newest first: {@code limit} the page size
   * used (at most 1000), {@code capped} when the one asked for was larger, {@code has_more} when older rows exist.
   */
  public static final String USAGE = "billing.usage";
  /**
   * {account_id?, from?, until?} (ISO-8601) → {total, models: [{model, requests, failed_requests,
   * input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, cost_micros, cost_credits}]}.
   */
  public static final String USAGE_SUMMARY = "billing.usage.summary";
  /** Local only: {} → {} when the service can reach its database. */
  public static final String HEALTH = "billing.health";

  private BillingBus() {
  }
}
