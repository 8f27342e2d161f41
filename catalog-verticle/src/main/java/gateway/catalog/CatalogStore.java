package gateway.catalog;

import gateway.catalog.ModelDefinition.RouteDefinition;
import gateway.common.GatewayError;
import gateway.common.money.MediaPrice;
import gateway.common.money.Price;
import gateway.common.money.RouteCost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes the catalog schema; every write is one transaction. */
final class CatalogStore {
  private final Pool pool;

  CatalogStore(Pool pool) {
    this.pool = pool;
  }

  /** The whole catalog as of one moment: the three reads share one repeatable-read snapshot. */
  Future<CatalogSnapshot> load() {
    return pool.withTransaction(tx -> tx.query(CatalogSql.REPEATABLE_READ).execute().compose(v -> load(tx)));
  }

  private static Future<CatalogSnapshot> load(SqlClient pool) {
    Future<Map<String, ChannelDefinition>> channels = pool.query(CatalogSql.SELECT_CHANNELS).execute().map(rows -> {
      Map<String, ChannelDefinition> byName = new HashMap<>();
      rows.forEach(row -> byName.put(row.getString("name"), channel(row)));
      return byName;
    });
    Future<Map<String, List<RouteDefinition>>> routes = pool.query(CatalogSql.SELECT_ROUTES).execute().map(rows -> {
      Map<String, List<RouteDefinition>> byAlias = new HashMap<>();
      rows.forEach(row -> byAlias.computeIfAbsent(row.getString("alias"), a -> new ArrayList<>())
          .add(new RouteDefinition(row.getString("channel"), row.getString("upstream_model"),
              row.getInteger("priority"), row.getInteger("weight"),
              RouteCost.fromJson((JsonObject) row.getValue("cost")))));
      return byAlias;
    });
    Future<List<Row>> models = pool.query(CatalogSql.SELECT_MODELS).execute().map(rows -> {
      List<Row> list = new ArrayList<>();
      rows.forEach(list::add);
      return list;
    });
    Future<Long> version = pool.query(CatalogSql.SELECT_VERSION).execute()
        .map(rows -> rows.iterator().next().getLong("version"));
    return Future.all(channels, routes, models, version).map(all -> {
      Map<String, ModelDefinition> byAlias = new HashMap<>();
      Map<String, Long> created = new HashMap<>();
      for (Row row : models.result()) {
        String alias = row.getString("alias");
        byAlias.put(alias, model(row, routes.result().getOrDefault(alias, List.of())));
        created.put(alias, row.getOffsetDateTime("created_at").toEpochSecond());
      }
      return new CatalogSnapshot(channels.result(), byAlias, created, version.result());
    });
  }

  /** Each write returns the catalog version it committed. */
  Future<Long> putChannel(ChannelDefinition channel) {
    return pool.withTransaction(tx -> bumpVersion(tx).compose(version -> upsertChannel(tx, channel).map(version)));
  }

  Future<Long> putModel(ModelDefinition model) {
    return pool.withTransaction(tx -> bumpVersion(tx).compose(version -> upsertModel(tx, model).map(version)));
  }

  /** Upserts a whole catalog file: channels first, so models can route to them. */
  Future<Long> apply(List<ChannelDefinition> channels, List<ModelDefinition> models) {
    return pool.withTransaction(tx -> bumpVersion(tx).compose(version -> {
      Future<Void> chain = Future.succeededFuture();
      for (ChannelDefinition channel : channels) {
        chain = chain.compose(v -> upsertChannel(tx, channel));
      }
      for (ModelDefinition model : models) {
        chain = chain.compose(v -> upsertModel(tx, model));
      }
      return chain.map(version);
    }));
  }

  private static Future<Long> bumpVersion(SqlClient tx) {
    return tx.query(CatalogSql.BUMP_VERSION).execute().map(rows -> rows.iterator().next().getLong("version"));
  }

  Future<Void> ping() {
    return pool.query(CatalogSql.PING).execute().mapEmpty();
  }

  private static Future<Void> upsertChannel(SqlClient tx, ChannelDefinition c) {
    return tx.preparedQuery(CatalogSql.UPSERT_CHANNEL).execute(Tuple.from(new Object[] {
        c.name(), c.type(), c.baseUrl(), c.apiKey(), c.priority(), c.weight(), c.streamOnly(), c.wireApi(),
        c.enabled(), c.settings()})).mapEmpty();
  }

  private static Future<Void> upsertModel(SqlClient tx, ModelDefinition m) {
    Price p = m.price();
    Future<Void> chain = checkChannelsExist(tx, m)
        .compose(v -> tx.preparedQuery(CatalogSql.UPSERT_MODEL).execute(Tuple.from(new Object[] {
            m.alias(), m.type(), m.contextLength(), m.maxOutputTokens(), p.inputPerMtok(), p.outputPerMtok(),
            p.cacheReadPerMtok(), p.cacheWritePerMtok(), m.enabled(), m.listed(), m.extra(), m.mediaPrice().toJson()})))
        .compose(v -> tx.preparedQuery(CatalogSql.DELETE_ROUTES).execute(Tuple.of(m.alias())))
        .mapEmpty();
    for (int i = 0; i < m.routes().size(); i++) {
      RouteDefinition r = m.routes().get(i);
      int position = i;
      chain = chain.compose(v -> tx.preparedQuery(CatalogSql.INSERT_ROUTE).execute(Tuple.from(new Object[] {
          m.alias(), position, r.channel(), r.upstreamModel(), r.priority(), r.weight(),
          r.cost() == null ? null : r.cost().toJson()})).mapEmpty());
    }
    return chain;
  }

  private static Future<Void> checkChannelsExist(SqlClient tx, ModelDefinition m) {
    Future<Void> chain = Future.succeededFuture();
    for (RouteDefinition r : m.routes()) {
      chain = chain.compose(v -> tx.preparedQuery(CatalogSql.CHANNEL_EXISTS).execute(Tuple.of(r.channel()))
          .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture() : Future.failedFuture(
              GatewayError.INVALID_VALUE.exception("model '" + m.alias() + "' routes to the unknown channel '"
                  + r.channel() + "'", "routes"))));
    }
    return chain;
  }

  private static ChannelDefinition channel(Row row) {
    return new ChannelDefinition(row.getString("name"), row.getString("type"), row.getString("base_url"),
        row.getString("api_key"), row.getInteger("priority"), row.getInteger("weight"),
        row.getBoolean("stream_only"), row.getString("wire_api"), row.getBoolean("enabled"),
        (JsonObject) row.getValue("settings"));
  }

  private static ModelDefinition model(Row row, List<RouteDefinition> routes) {
    return new ModelDefinition(row.getString("alias"), row.getString("type"), row.getInteger("context_length"),
        row.getInteger("max_output_tokens"),
        new Price(row.getLong("input_micros_per_mtok"), row.getLong("output_micros_per_mtok"),
            row.getLong("cache_read_micros_per_mtok"), row.getLong("cache_write_micros_per_mtok")),
        MediaPrice.fromJson((JsonObject) row.getValue("media_price")), row.getBoolean("enabled"),
        row.getBoolean("listed"), (JsonObject) row.getValue("extra"), routes);
  }
}
