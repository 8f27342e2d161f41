package gateway.catalog;

/** Every statement of the catalog schema. */
final class CatalogSql {
  static final String REPEATABLE_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY";
  static final String SELECT_CHANNELS =
      "SELECT name, type, base_url, api_key, priority, weight, stream_only, wire_api, enabled, settings "
          + "FROM catalog.channels ORDER BY name";
  static final String SELECT_MODELS =
      "SELECT alias, type, context_length, max_output_tokens, input_micros_per_mtok, output_micros_per_mtok, "
          + "cache_read_micros_per_mtok, cache_write_micros_per_mtok, enabled, listed, extra, media_price, created_at "
          + "FROM catalog.models ORDER BY alias";
  static final String SELECT_ROUTES =
      "SELECT alias, position, channel, upstream_model, priority, weight, cost FROM catalog.model_routes "
          + "ORDER BY alias, position";

  /** $4 api key: null keeps the stored one. */
  static final String UPSERT_CHANNEL = """
      INSERT INTO catalog.channels (name, type, base_url, api_key, priority, weight, stream_only, wire_api,
                                    enabled, settings)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (name) DO UPDATE SET
        type = EXCLUDED.type, base_url = EXCLUDED.base_url,
        api_key = COALESCE(EXCLUDED.api_key, catalog.channels.api_key),
        priority = EXCLUDED.priority, weight = EXCLUDED.weight, stream_only = EXCLUDED.stream_only,
        wire_api = EXCLUDED.wire_api, enabled = EXCLUDED.enabled, settings = EXCLUDED.settings,
        updated_at = now()""";

  static final String UPSERT_MODEL = """
      INSERT INTO catalog.models (alias, type, context_length, max_output_tokens, input_micros_per_mtok,
                                  output_micros_per_mtok, cache_read_micros_per_mtok, cache_write_micros_per_mtok,
                                  enabled, listed, extra, media_price)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      ON CONFLICT (alias) DO UPDATE SET
        type = EXCLUDED.type, context_length = EXCLUDED.context_length,
        max_output_tokens = EXCLUDED.max_output_tokens,
        input_micros_per_mtok = EXCLUDED.input_micros_per_mtok,
        output_micros_per_mtok = EXCLUDED.output_micros_per_mtok,
        cache_read_micros_per_mtok = EXCLUDED.cache_read_micros_per_mtok,
        cache_write_micros_per_mtok = EXCLUDED.cache_write_micros_per_mtok,
        enabled = EXCLUDED.enabled, listed = EXCLUDED.listed, extra = EXCLUDED.extra,
        media_price = EXCLUDED.media_price, updated_at = now()""";

  static final String DELETE_ROUTES = "DELETE FROM catalog.model_routes WHERE alias = $1";
  static final String INSERT_ROUTE =
      "INSERT INTO catalog.model_routes (alias, position, channel, upstream_model, priority, weight, cost) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7)";
  static final String CHANNEL_EXISTS = "SELECT 1 FROM catalog.channels WHERE name = $1";

  static final String SELECT_VERSION = "SELECT version FROM catalog.version";
  /** Every write transaction runs this first: it also serialises catalog writes, so versions follow commit order. */
  static final String BUMP_VERSION = "UPDATE catalog.version SET version = version + 1 RETURNING version";

  static final String PING = "SELECT 1";

  private CatalogSql() {
  }
}
