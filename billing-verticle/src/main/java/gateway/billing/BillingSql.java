package gateway.billing;

/**
 * Every statement of the billing schema. Each money movement is ONE statement, so it is
 * atomic on its own and holds the account row's lock only for that statement.
 */
final class BillingSql {
  /** $1 request, $2 account, $3 key, $4 amount. Returns a row only if the hold was placed. */
  static final String RESERVE = """
      WITH reserved AS (
        UPDATE billing.balances SET held_micros = held_micros + $4, updated_at = now()
        WHERE account_id = $2 AND balance_micros - held_micros >= $4
          AND NOT EXISTS (SELECT 1 FROM billing.holds WHERE request_id = $1)
          AND NOT EXISTS (SELECT 1 FROM billing.usage WHERE request_id = $1)
        RETURNING account_id
      )
      INSERT INTO billing.holds (request_id, account_id, key_id, amount_micros)
      SELECT $1, account_id, $3, $4 FROM reserved
      RETURNING amount_micros""";

  /** Why a reserve placed nothing: $1 request, $2 account. */
  static final String RESERVE_DIAGNOSIS = """
      SELECT (SELECT amount_micros FROM billing.holds WHERE request_id = $1) AS hold_micros,
             EXISTS (SELECT 1 FROM billing.usage WHERE request_id = $1) AS finished,
             (SELECT balance_micros - held_micros FROM billing.balances WHERE account_id = $2) AS available_micros""";

  static final String ENSURE_BALANCE_ROW =
      "INSERT INTO billing.balances (account_id) VALUES ($1) ON CONFLICT (account_id) DO NOTHING";

  /**
   * $1 request, $2 account, $3 key, $4 model, $5 channel, $6..$10 tokens (input, cache read,
   * cache write, output, reasoning), $11 priced cost, $12 outcome, $13 latency, $14 attempts, $15 error.
   * Charges the whole cost, drops the hold, writes the ledger and usage rows. A cost beyond the
   * hold is still charged: the balance may go below zero by that overrun, never silently free.
   * A second settle of the same request violates the usage key.
   */
  static final String SETTLE = """
      WITH released AS (
        DELETE FROM billing.holds WHERE request_id = $1 RETURNING amount_micros
      ), balance AS (
        UPDATE billing.balances b
        SET balance_micros = b.balance_micros - $11::bigint,
            held_micros = b.held_micros - COALESCE((SELECT amount_micros FROM released), 0),
            updated_at = now()
        WHERE b.account_id = $2
        RETURNING b.balance_micros, COALESCE((SELECT amount_micros FROM released), 0) AS released_micros
      ), ledger AS (
        INSERT INTO billing.ledger (account_id, kind, amount_micros, balance_after_micros, request_id)
        SELECT $2, 'charge', -$11::bigint, balance_micros, $1 FROM balance WHERE $11::bigint > 0
      )
      INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
          cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome,
          latency_ms, attempts, error)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::bigint, $11::bigint, released_micros, $12, $13, $14, $15
      FROM balance
      RETURNING cost_micros, held_micros, (SELECT balance_micros FROM balance) AS balance_micros""";

  /** Same parameters as {@link #SETTLE}; charges nothing, drops the hold, writes a usage row once. */
  static final String RELEASE = """
      WITH released AS (
        DELETE FROM billing.holds WHERE request_id = $1 RETURNING account_id, amount_micros
      ), balance AS (
        UPDATE billing.balances b SET held_micros = b.held_micros - r.amount_micros, updated_at = now()
        FROM released r WHERE b.account_id = r.account_id
        RETURNING r.amount_micros
      )
      INSERT INTO billing.usage (request_id, account_id, key_id, model, channel, input_tokens, cache_read_tokens,
          cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, priced_micros, held_micros, outcome,
          latency_ms, attempts, error)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, (SELECT amount_micros FROM balance), $12, $13, $14, $15)
      ON CONFLICT (request_id) DO NOTHING
      RETURNING COALESCE((SELECT amount_micros FROM balance), 0) AS released_micros""";

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

  /** $1 max age in seconds. Releases expired holds and reports each account's total. */
  static final String SWEEP_EXPIRED_HOLDS = """
      WITH expired AS (
        DELETE FROM billing.holds WHERE created_at < now() - $1 * interval '1 second'
        RETURNING account_id, amount_micros
      ), per_account AS (
        SELECT account_id, sum(amount_micros)::bigint AS total FROM expired GROUP BY account_id
      )
      UPDATE billing.balances b SET held_micros = b.held_micros - p.total, updated_at = now()
      FROM per_account p WHERE b.account_id = p.account_id
      RETURNING b.account_id, p.total""";

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

  static final String PING = "SELECT 1";

  private BillingSql() {
  }
}
