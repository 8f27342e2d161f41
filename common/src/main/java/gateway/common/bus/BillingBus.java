package gateway.common.bus;

/**
 * The billing service: the Postgres ledger of record. Every command names the request id,
 * and every command is idempotent on it.
 */
public final class BillingBus {
  /**
   * {@link Hold} → {@link HoldReply}. Holds on the vouchers covering the model (soonest expiry first),
   * then cash. Refuses with 402 {@code insufficient_credits} when the pots cannot cover the amount,
   * 403 {@code voucher_model_not_allowed} when the key spends only vouchers and none covers the
   * model, 409 {@code conflict} when the request id was settled already.
   */
  public static final String RESERVE = "billing.reserve";
  /**
   * {@link UsageReport} → {@link SettleReply}. Charges the cost once per
   * request id from the pots the hold rests on, then cash (past the hold too: the balance may go
   * below zero by an overrun), drops the hold, writes the usage row.
   */
  public static final String SETTLE = "billing.settle";
  /**
   * A {@link UsageReport} with the {@link LeasedHold} fields ({@code lease_id}, {@code held_micros}) of a request
   * whose hold a router placed against its credit lease → {@link SettleReply}: charges the cost once from cash and
   * consumes as much of the lease, writes the usage row.
   */
  public static final String SETTLE_LEASED = "billing.settle_leased";
  /**
   * {settles: [a {@code billing.settle} body, or a {@code billing.settle_leased} one with {@code leased: true}]} →
   * {results: [for each, in order, its {@link SettleReply}, or {failure_status, failure} with the text a failed
   * single settle would carry]}. A router's settles of one event-loop turn in one message; each is still its own
   * idempotent settle, retried on its own when it failed.
   */
  public static final String SETTLE_BATCH = "billing.settle_batch";
  /** {@link UsageReport} of a failed request → {@link ReleaseReply}: drops the hold, charges nothing. */
  public static final String RELEASE = "billing.release";
  /**
   * {@link LeaseTake} → {@link LeaseGrant}: takes (or grows) a credit lease, a slice of the account's free cash
   * held as one hold that the router spends in memory; at most a quarter of what is free.
   */
  public static final String LEASES_TAKE = "billing.leases.take";
  /**
   * {account_id, model, life_seconds} → {@link LeasePot}: which pot of an account with vouchers pays the model first,
   * for a pot lease ({@link LeaseTake#POT_PREFIX}) on it.
   */
  public static final String LEASES_POT = "billing.leases.pot";
  /** {lease_id, amount_micros? (all, and the lease, when absent)} → {returned_micros}. */
  public static final String LEASES_RETURN = "billing.leases.return";
  /** {lease_ids[], life_seconds} → {leases: [the ones still there]}: their expiry is now + life. */
  public static final String LEASES_RENEW = "billing.leases.renew";
  /**
   * Published {account_id}: routers give back their credit leases on the account and hold per request for a while:
   * its pots changed (a voucher was granted or redeemed, and vouchers pay first), it went into debt, or a hold of it
   * was refused while leases may keep part of its balance.
   */
  public static final String LEASES_RECALL = "billing.leases.recall";
  /**
   * {account_id} → {@link BalanceView}: cash, and its live vouchers in all, in micro-credits (the admin
   * API converts to its {@code *_credits} fields).
   */
  public static final String BALANCE = "billing.balance";
  /** {account_id, amount_micros, note?, idempotency_key?} → {@link TopUpReply}. */
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
  /**
   * The operator's reports, all accounts: {group_by (day | model | channel | account), from?, until? (ISO-8601),
   * after? (the last group of the previous page), limit? (≤ 1000)} → {group_by, data: [{day | model | channel |
   * account_id, requests, failed_requests, input_tokens, output_tokens, cost_micros, cost_credits}] in group
   * order, total {…}, next_after (null on the last page)}. Days are UTC.
   */
  public static final String REPORTS_REVENUE = "billing.reports.revenue";
  /**
   * {account_id, amount_micros, models[] (alias patterns, {@code *} allowed), expires_at? (ISO-8601),
   * note?, idempotency_key?, source? (grant | redemption | signup)} → the voucher {id, models,
   * granted_micros, remaining_micros, held_micros, expires_at, status, ..., replayed}. 400 naming a bad field.
   */
  public static final String VOUCHERS_GRANT = "billing.vouchers.grant";
  /** {account_id} → {data: [vouchers]}: live ones first, in the order they pay. */
  public static final String VOUCHERS_LIST = "billing.vouchers.list";
  /** {voucher_id} → the voucher as {@link #VOUCHERS_LIST} shows it; 404 when unknown. */
  public static final String VOUCHERS_GET = "billing.vouchers.get";
  /** {voucher_id} → the voucher, {@code written_off_micros}: what was left is written off; 404 when unknown. */
  public static final String VOUCHERS_REVOKE = "billing.vouchers.revoke";
  /**
   * {name, count (≤ 10,000), amount_micros, voucher? {models[], valid_days?}, expires_at?,
   * redemptions_per_code? (1), redemptions_per_account? (1)} → the batch with {@code codes}: the only
   * time the codes are ever shown (only their hashes are kept).
   */
  public static final String CODES_CREATE = "billing.codes.create";
  /** {} → {data: [batches with redeemed and accounts counts]}, newest first. */
  public static final String CODES_BATCHES = "billing.codes.batches";
  /** {batch_id} → the batch and {@code redemptions: [{account_id, code_hint, amount_micros, ...}]}; 404 when unknown. */
  public static final String CODES_BATCH = "billing.codes.batch";
  /** {batch_id} → the batch, disabled: its codes redeem no more. */
  public static final String CODES_DISABLE = "billing.codes.disable";
  /**
   * {account_id, code} → {redemption_id, amount_micros, amount_credits, kind (credits | voucher),
   * voucher_id?}. Exactly once per unit of the code's allowance; 400 on {@code code} saying why not.
   */
  public static final String CODES_REDEEM = "billing.codes.redeem";
  /** {account_id} → {data: [the account's redemptions]}, newest first. */
  public static final String CODES_REDEMPTIONS = "billing.codes.redemptions";
  /**
   * {account_id, key_ids? (only these keys), key_id?, model?, outcome? (a usage row's outcome), from?, until?
   * (ISO-8601), limit? (≤ 1000), cursor?} → {data: [usage rows newest first], next_cursor (null on the last page)}. Keyset-paged: the
   * cursor names the last row seen, so a page costs the same however deep it is.
   */
  public static final String USAGE_PAGE = "billing.usage.page";
  /**
   * {account_id, group_by (day | model | key), key_ids?, key_id?, model?, from?, until?} → {data: [{day |
   * model | key_id, requests, failed_requests, tokens…, cost_micros, cost_credits}], total}. Days are UTC.
   */
  public static final String USAGE_TOTALS = "billing.usage.totals";
  /** {account_id, key_id?} → {today_micros, today_credits, month_micros, month_credits}: spend so far (UTC). */
  public static final String SPEND = "billing.spend";
  /**
   * {account_id, key_ids[] (≤ 10,000)} → {data: [{key_id, last_used_at (ISO-8601, null when never used)}]}: the
   * newest usage row of each key, read from the usage table (no write per request keeps it).
   */
  public static final String KEYS_LAST_USED = "billing.keys.last_used";
  /** Local only: {} → {} when the service can reach its database. */
  public static final String HEALTH = "billing.health";

  private BillingBus() {
  }
}
