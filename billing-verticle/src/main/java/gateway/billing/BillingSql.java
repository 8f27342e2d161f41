package gateway.billing;

/**
 * Every statement of the billing schema. Each money movement is ONE statement (the hold
 * lifecycle as functions of the schema, V5), so it is atomic on its own and holds the account
 * row's lock only for that statement.
 */
final class BillingSql {
  /**
   * $1 request, $2 account, $3 key, $4 model, $5 amount, $6 voucher ids the key is bound to (null:
   * any), $7 whether cash may pay (the hold remembers it, V13). One row {outcome, hold_micros}: see
   * {@code billing.reserve} (V5).
   */
  static final String RESERVE =
      "SELECT outcome, hold_micros FROM billing.reserve_for($1, $2, $3, $4, $5, $6, $7, NULL)";

  /** As {@link #RESERVE}, $8 the hold's life in seconds: it is swept only after that (V8). */
  static final String RESERVE_FOR =
      "SELECT outcome, hold_micros FROM billing.reserve_for($1, $2, $3, $4, $5, $6, $7, $8)";

  static final String ENSURE_BALANCE_ROW =
      "INSERT INTO billing.balances (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING";

  /**
   * $1 request, $2 account, $3 key, $4 model, $5 channel, $6..$10 tokens (input, cache read,
   * cache write, output, reasoning), $11 priced cost, $12 outcome, $13 latency, $14 attempts, $15 error,
   * $16 upstream cost (null: unknown; V11).
   * Charges the whole cost from the pots the hold rests on, then cash (past the hold too: an
   * overrun is debt, never silently free), drops the hold, writes the ledger and usage rows. A hold
   * cash may not pay is charged only from its vouchers; what they cannot pay is waived (V13). A
   * second settle of the same request charges nothing and answers settled=false with what the first
   * was charged (V15), even when it waited for a concurrent first. No row when the account has no
   * balance row yet.
   */
  static final String SETTLE = """
      SELECT cost_micros, held_micros, balance_micros, settled
      FROM billing.settle_unless_recorded($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)""";

  /** Same parameters as {@link #SETTLE}; charges nothing, drops the hold, writes a usage row once. */
  static final String RELEASE = """
      SELECT released_micros
      FROM billing.release($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)""";

  /**
   * {@link #SETTLE}'s 16 parameters, then the lease each request's hold was placed against and that hold, as 18 arrays
   * with one element per request (V12): a row per request
   * whose account has a balance row, by position.
   */
  static final String SETTLE_LEASED_BATCH = """
      SELECT item, cost_micros, held_micros, balance_micros, settled
      FROM billing.settle_leased_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                                       $18)""";

  /** $1 lease, $2 account, $3 amount, $4 least worth granting, $5 life in seconds, $6 grow. See V10. */
  static final String TAKE_LEASE =
      "SELECT outcome, granted_micros FROM billing.take_lease($1, $2, $3, $4, $5, $6)";

  /** As {@link #SETTLE_LEASED_BATCH}, for requests placed on pot leases (V14). */
  static final String SETTLE_POT_LEASED_BATCH = """
      SELECT item, cost_micros, held_micros, balance_micros, settled
      FROM billing.settle_pot_leased_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                                           $17, $18)""";

  /** $1 account, $2 model, $3 a lease's life in seconds: which pot pays the model first. See V14. */
  static final String LEASE_POT = "SELECT outcome, voucher_id FROM billing.lease_pot($1, $2, $3)";

  /** $1 pot lease, $2 account, $3 voucher (null: cash), $4 amount, $5 least worth granting, $6 life, $7 grow. */
  static final String TAKE_POT_LEASE =
      "SELECT outcome, granted_micros FROM billing.take_pot_lease($1, $2, $3, $4, $5, $6, $7)";

  /** $1 lease, $2 amount to give back (null: all, and the lease). */
  static final String RETURN_LEASE = "SELECT billing.return_lease($1, $2) AS returned_micros";

  /** $1 lease ids, $2 life in seconds: one row per lease still there. */
  static final String RENEW_LEASES = "SELECT lease FROM billing.renew_leases($1, $2)";

  static final String SELECT_SETTLED =
      "SELECT cost_micros, outcome FROM billing.usage WHERE request_id = $1";

  /** $1 account, $2 amount, $3 idempotency key, $4 note. */
  static final String TOPUP = """
      WITH balance AS (
        INSERT INTO billing.balances (account_id, balance_micros) VALUES ($1, $2)
        ON CONFLICT (account_id) DO UPDATE
          SET balance_micros = billing.balances.balance_micros + EXCLUDED.balance_micros, updated_at = now()
        RETURNING balance_micros
      )
      INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, idempotency_key, note)
      SELECT $1, 'topup', $2, balance_micros, $3, $4 FROM balance
      RETURNING id, balance_after_micros""";

  static final String SELECT_TOPUP =
      "SELECT id, amount_micros FROM billing.ledger WHERE account_id = $1 AND kind = 'topup' AND idempotency_key = $2";

  static final String SELECT_BALANCE =
      "SELECT balance_micros, held_micros FROM billing.balances WHERE account_id = $1";

  /** $1 max age in seconds of a hold without its own expiry. Releases expired holds from every pot; a row per hold. */
  static final String SWEEP_EXPIRED_HOLDS = "SELECT account_id, total FROM billing.sweep_holds($1)";

  /** $1 account or null for all, $2 limit. */
  static final String SELECT_USAGE = """
      SELECT request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens, cache_write_tokens,
             output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome, latency_ms, attempts,
             error, created_at
      FROM billing.usage WHERE ($1::bigint IS NULL OR account_id = $1)
      ORDER BY created_at DESC, request_id LIMIT $2""";

  /** $1 account or null for all, $2 from, $3 until (timestamptz). Totals per model. */
  static final String SUMMARIZE_USAGE = """
      SELECT model, count(*) AS requests, count(*) FILTER (WHERE outcome = 'failed') AS failed,
             sum(input_tokens)::bigint AS input_tokens, sum(cache_read_tokens)::bigint AS cache_read_tokens,
             sum(cache_write_tokens)::bigint AS cache_write_tokens, sum(output_tokens)::bigint AS output_tokens,
             sum(cost_micros)::bigint AS cost_micros
      FROM billing.usage
      WHERE ($1::bigint IS NULL OR account_id = $1) AND created_at >= $2 AND created_at < $3
      GROUP BY model ORDER BY model""";

  /** $1 account, $2 models, $3 LIKE patterns, $4 amount, $5 expiry, $6 source, $7 note, $8 idempotency key. */
  static final String GRANT_VOUCHER = """
      WITH granted AS (
        INSERT INTO billing.vouchers (account_id, models, like_patterns, granted_micros, remaining_micros, expires_at,
            source, note, idempotency_key)
        VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)
        RETURNING *
      ), ledger AS (
        INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, voucher_id, idempotency_key,
            note)
        SELECT account_id, 'voucher_grant', granted_micros, granted_micros, id, idempotency_key, note FROM granted
      )
      SELECT * FROM granted""";

  static final String SELECT_VOUCHER_BY_KEY =
      "SELECT * FROM billing.vouchers WHERE account_id = $1 AND idempotency_key = $2";

  static final String SELECT_VOUCHER = "SELECT * FROM billing.vouchers WHERE id = $1";

  /** $1 account: live ones first, soonest expiry first (the order they pay in). */
  static final String LIST_VOUCHERS = """
      SELECT * FROM billing.vouchers WHERE account_id = $1
      ORDER BY closed_at IS NOT NULL, expires_at NULLS LAST, id""";

  /** $1 voucher, $2 reason: written-off amount, 0 when already closed, null when unknown. */
  static final String CLOSE_VOUCHER = "SELECT billing.close_voucher($1, $2) AS written_off";

  /** Writes off every voucher past its expiry. */
  static final String EXPIRE_DUE_VOUCHERS = """
      SELECT x.id, x.account_id, billing.close_voucher(x.id, 'expired') AS written_off
      FROM billing.vouchers x WHERE x.closed_at IS NULL AND x.expires_at <= now()""";

  /** $1 account: what its live vouchers hold in all. */
  static final String SUM_LIVE_VOUCHERS = """
      SELECT COALESCE(sum(remaining_micros), 0)::bigint AS remaining_micros,
             COALESCE(sum(held_micros), 0)::bigint AS held_micros
      FROM billing.vouchers
      WHERE account_id = $1 AND closed_at IS NULL AND (expires_at IS NULL OR expires_at > now())""";

  /** $1 name, $2 credits, $3 voucher models, $4 their LIKE patterns, $5 voucher days, $6 codes expiry, $7 per code, $8 per account, $9 count. */
  static final String CREATE_CODE_BATCH = """
      INSERT INTO billing.code_batches (name, credits_micros, voucher_models, voucher_like_patterns, voucher_valid_days,
          codes_expire_at, redemptions_per_code, redemptions_per_account, code_count)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, created_at""";

  /** $1 batch, $2 hashes, $3 hints, $4 redemptions per code. */
  static final String INSERT_CODES = """
      INSERT INTO billing.codes (batch_id, code_sha256, hint, remaining)
      SELECT $1, t.hash, t.hint, $4 FROM unnest($2::bytea[], $3::text[]) AS t(hash, hint)""";

  private static final String BATCH_COLUMNS = """
      b.*, (SELECT count(*) FROM billing.redemptions r WHERE r.batch_id = b.id) AS redeemed,
           (SELECT count(DISTINCT r.account_id) FROM billing.redemptions r WHERE r.batch_id = b.id) AS accounts""";

  static final String LIST_CODE_BATCHES = "SELECT " + BATCH_COLUMNS + " FROM billing.code_batches b ORDER BY b.id DESC";

  static final String SELECT_CODE_BATCH = "SELECT " + BATCH_COLUMNS + " FROM billing.code_batches b WHERE b.id = $1";

  /** $1 batch: who redeemed which code, oldest first, at most 10,000. */
  static final String BATCH_REDEMPTIONS = """
      SELECT r.id, r.account_id, k.hint, r.amount_micros, r.voucher_id, r.created_at
      FROM billing.redemptions r JOIN billing.codes k ON k.id = r.code_id
      WHERE r.batch_id = $1 ORDER BY r.id LIMIT 10000""";

  /** $1 account: its redemptions, newest first. */
  static final String ACCOUNT_REDEMPTIONS = """
      SELECT r.id, r.account_id, r.batch_id, b.name AS batch_name, k.hint, r.amount_micros, r.voucher_id, r.created_at
      FROM billing.redemptions r JOIN billing.codes k ON k.id = r.code_id JOIN billing.code_batches b ON b.id = r.batch_id
      WHERE r.account_id = $1 ORDER BY r.id DESC LIMIT 1000""";

  static final String DISABLE_CODE_BATCH =
      "UPDATE billing.code_batches SET disabled_at = COALESCE(disabled_at, now()) WHERE id = $1 RETURNING id";

  /** $1 code hash, $2 account. See {@code billing.redeem} (V6). */
  static final String REDEEM = "SELECT * FROM billing.redeem($1, $2)";

  // Read-only reports for the self-service API (UsageReports).

  private static final String USAGE_COLUMNS = """
      request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens, cache_write_tokens,
      output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome, latency_ms, attempts, error,
      created_at""";

  /**
   * The filters every report shares: $1 account, $2 only these keys (or null), $3 one key, $4 model, $5 from,
   * $6 until, $7 outcome (or null).
   */
  private static final String USAGE_FILTER = """
      account_id = $1 AND ($2::bigint[] IS NULL OR key_id = ANY($2)) AND ($3::bigint IS NULL OR key_id = $3)
      AND ($4::text IS NULL OR model = $4) AND created_at >= $5 AND created_at < $6
      AND ($7::text IS NULL OR outcome = $7)""";

  /**
   * Filters $1..$7, then the keyset: $8 the last row's created_at (or null on the first page), $9 its
   * request id; $10 limit. $6 is already capped at the cursor, so the index range ends there.
   */
  static final String USAGE_PAGE = "SELECT " + USAGE_COLUMNS + " FROM billing.usage WHERE " + USAGE_FILTER + """
       AND ($8::timestamptz IS NULL OR created_at < $8 OR (created_at = $8 AND request_id < $9))
      ORDER BY created_at DESC, request_id DESC LIMIT $10""";

  /**
   * $1 account, $2 key ids: each key's newest usage row time (null when it has none), one probe of
   * {@code usage_by_key} per key, so "last used" costs no write per request.
   */
  static final String KEYS_LAST_USED = """
      SELECT k.id AS key_id, (SELECT u.created_at FROM billing.usage u WHERE u.key_id = k.id AND u.account_id = $1
                              ORDER BY u.created_at DESC LIMIT 1) AS last_used_at
      FROM unnest($2::bigint[]) AS k(id)""";

  private static final String TOTALS_COLUMNS = """
      count(*) AS requests, count(*) FILTER (WHERE outcome = 'failed') AS failed,
      COALESCE(sum(input_tokens), 0)::bigint AS input_tokens, COALESCE(sum(cache_read_tokens), 0)::bigint AS cache_read_tokens,
      COALESCE(sum(cache_write_tokens), 0)::bigint AS cache_write_tokens,
      COALESCE(sum(output_tokens), 0)::bigint AS output_tokens, COALESCE(sum(cost_micros), 0)::bigint AS cost_micros""";

  /** Filters $1..$7; totals per UTC day. */
  static final String USAGE_TOTALS_BY_DAY = "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS grp, "
      + TOTALS_COLUMNS + " FROM billing.usage WHERE " + USAGE_FILTER + " GROUP BY grp ORDER BY grp LIMIT 10000";
  /** Filters $1..$7; totals per model. */
  static final String USAGE_TOTALS_BY_MODEL = "SELECT model AS grp, " + TOTALS_COLUMNS + " FROM billing.usage WHERE "
      + USAGE_FILTER + " GROUP BY grp ORDER BY grp LIMIT 10000";
  /** Filters $1..$7; totals per key. */
  static final String USAGE_TOTALS_BY_KEY = "SELECT key_id AS grp, " + TOTALS_COLUMNS + " FROM billing.usage WHERE "
      + USAGE_FILTER + " GROUP BY grp ORDER BY grp LIMIT 10000";

  /** $1 account, $2 key or null: spend since the start of today and of this month, UTC. */
  static final String SPEND = """
      SELECT COALESCE(sum(cost_micros) FILTER (WHERE created_at >= date_trunc('day', now(), 'UTC')), 0)::bigint AS today,
             COALESCE(sum(cost_micros), 0)::bigint AS month
      FROM billing.usage
      WHERE account_id = $1 AND ($2::bigint IS NULL OR key_id = $2) AND created_at >= date_trunc('month', now(), 'UTC')""";

  private static final String REPORT_COLUMNS = """
      count(*) AS requests, count(*) FILTER (WHERE outcome = 'failed') AS failed,
      COALESCE(sum(input_tokens + cache_read_tokens + cache_write_tokens), 0)::bigint AS input_tokens,
      COALESCE(sum(output_tokens), 0)::bigint AS output_tokens, COALESCE(sum(cost_micros), 0)::bigint AS cost_micros,
      COALESCE(sum(upstream_cost_micros), 0)::bigint AS upstream_cost_micros,
      count(*) FILTER (WHERE upstream_cost_micros IS NULL) AS uncosted""";
  /** $1 from, $2 until: every account's usage in the range (the usage_by_time index bounds it). */
  private static final String REPORT_RANGE = " FROM billing.usage WHERE created_at >= $1 AND created_at < $2";
  /** $1 from, $2 until: the operator report's total. */
  static final String REPORT_TOTAL = "SELECT " + REPORT_COLUMNS + REPORT_RANGE;
  /** $1 from, $2 until, $3 the last day seen (or null), $4 limit: per UTC day. */
  static final String REPORT_BY_DAY = "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS grp, "
      + REPORT_COLUMNS + REPORT_RANGE + " AND ($3::text IS NULL OR created_at >= (($3::text)::date + 1)::timestamp "
      + "AT TIME ZONE 'UTC') GROUP BY grp ORDER BY grp LIMIT $4";
  /** As above, per model. */
  static final String REPORT_BY_MODEL = "SELECT model AS grp, " + REPORT_COLUMNS + REPORT_RANGE
      + " AND ($3::text IS NULL OR model > $3) GROUP BY grp ORDER BY grp LIMIT $4";
  /** As above, per channel; rows with no channel (refused before any route) are the channel "". */
  static final String REPORT_BY_CHANNEL = "SELECT COALESCE(channel, '') AS grp, " + REPORT_COLUMNS + REPORT_RANGE
      + " AND ($3::text IS NULL OR COALESCE(channel, '') > $3) GROUP BY grp ORDER BY grp LIMIT $4";
  /** As above, per account, $3 the last account id seen. */
  static final String REPORT_BY_ACCOUNT = "SELECT account_id AS grp, " + REPORT_COLUMNS + REPORT_RANGE
      + " AND ($3::bigint IS NULL OR account_id > $3) GROUP BY grp ORDER BY grp LIMIT $4";

  static final String PING = "SELECT 1";

  private BillingSql() {
  }
}
