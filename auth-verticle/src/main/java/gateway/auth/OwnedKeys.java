package gateway.auth;

import gateway.common.GatewayError;
import gateway.common.bus.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Keys as a signed-in user reaches them: the scope comes from the user's own row (an owner reaches
 * every key of the account, a member only their own), never from the caller. A key outside the scope
 * answers exactly like a missing one (404), so ids of other accounts reveal nothing. What a user may
 * set is bounded by the operator: models among the account's, limits at most the account's, and never
 * the voucher binding.
 */
final class OwnedKeys {
  private static final int MAX_PAGE = 1000;
  private static final Set<String> USER_FIELDS =
      Set.of("name", "models", "expires_at", "disabled", "rpm", "rph", "rpd", "tpm", "concurrency");

  /** Whose keys a user reaches: one account, and one owner within it unless the user owns the account. */
  private record Scope(long userId, long accountId, Long ownerFilter) {
  }

  private final Pool pool;
  private final ApiKeys keys;
  private final Accounts accounts;

  OwnedKeys(Pool pool, ApiKeys keys, Accounts accounts) {
    this.pool = pool;
    this.keys = keys;
    this.accounts = accounts;
  }

  Future<JsonObject> list(JsonObject body) {
    int limit = Math.max(1, Math.min(body.getInteger("limit", MAX_PAGE), MAX_PAGE));
    long before = body.getLong("before_id", Long.MAX_VALUE);
    boolean withDeleted = Requests.optionalBoolean(body, "include_deleted", false);
    String search = body.getString("q");
    String q = search == null || search.isBlank() ? null : search.strip();
    return scope(body).compose(scope -> pool.preparedQuery(AuthSql.SELECT_OWNED_KEYS)
        .execute(Tuple.of(scope.accountId(), scope.ownerFilter(), withDeleted, before, limit, q))
        .map(rows -> {
          JsonArray data = new JsonArray();
          Long last = null;
          for (Row row : rows) {
            data.add(ApiKeys.view(row));
            last = row.getLong("id");
          }
          return new JsonObject().put("data", data).put("next_before_id", rows.size() == limit ? last : null);
        }));
  }

  Future<JsonObject> get(JsonObject body) {
    boolean withDeleted = Requests.optionalBoolean(body, "include_deleted", false);
    return scope(body).compose(scope -> owned(scope, Requests.requiredLong(body, "id"), withDeleted));
  }

  Future<JsonObject> create(JsonObject body) {
    return scope(body).compose(scope -> bounded(scope, body, true).compose(fields -> keys.create(fields
        .put("account_id", scope.accountId())
        .put("user_id", scope.userId()))));
  }

  Future<JsonObject> update(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return scope(body).compose(scope -> owned(scope, id)
        .compose(key -> bounded(scope, body, false))
        .compose(fields -> keys.update(fields.put("id", id))));
  }

  Future<JsonObject> regenerate(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return scope(body).compose(scope -> owned(scope, id)).compose(key -> keys.regenerate(id));
  }

  Future<JsonObject> delete(JsonObject body) {
    long id = Requests.requiredLong(body, "id");
    return scope(body).compose(scope -> pool.preparedQuery(AuthSql.DELETE_OWNED_KEY)
        .execute(Tuple.of(id, scope.accountId(), scope.ownerFilter())))
        .map(rows -> {
          if (rows.size() == 0) {
            throw notFound(id);
          }
          return new JsonObject().put("id", id).put("deleted", true);
        });
  }

  private Future<Scope> scope(JsonObject body) {
    long userId = Requests.requiredLong(body, "user_id");
    return pool.preparedQuery(AuthSql.SELECT_USER).execute(Tuple.of(userId)).map(rows -> {
      Row user = rows.size() == 0 ? null : rows.iterator().next();
      if (user == null || user.getBoolean("disabled") || user.getLong("account_id") == null) {
        throw GatewayError.FORBIDDEN.exception("Only an account's users have keys.");
      }
      boolean owner = "owner".equals(user.getString("role"));
      return new Scope(userId, user.getLong("account_id"), owner ? null : userId);
    });
  }

  private Future<JsonObject> owned(Scope scope, long id) {
    return owned(scope, id, false);
  }

  private Future<JsonObject> owned(Scope scope, long id, boolean withDeleted) {
    return pool.preparedQuery(AuthSql.SELECT_OWNED_KEY)
        .execute(Tuple.of(id, scope.accountId(), scope.ownerFilter(), withDeleted))
        .map(rows -> {
          if (rows.size() == 0) {
            throw notFound(id);
          }
          return ApiKeys.view(rows.iterator().next());
        });
  }

  /** The fields a user may set, each checked against what the operator gave the account. */
  private Future<JsonObject> bounded(Scope scope, JsonObject body, boolean creating) {
    JsonObject fields = new JsonObject();
    body.forEach(entry -> {
      if (USER_FIELDS.contains(entry.getKey())) {
        fields.put(entry.getKey(), entry.getValue());
      }
    });
    if (creating && fields.getValue("name") == null) {
      throw GatewayError.MISSING_FIELD.exception("'name' is required", "name");
    }
    return accounts.get(scope.accountId()).map(account -> {
      if (fields.containsKey("models")) {
        checkModels(Requests.models(fields), stringList(account.getJsonArray("models")));
      }
      RateLimits most = RateLimits.fromJson(account.getJsonObject("limits"));
      JsonObject asked = Requests.mergeLimits(new JsonObject(), fields);
      for (String field : RateLimits.FIELDS) {
        Integer bound = field(most, field);
        Integer value = asked.getInteger(field);
        if (bound != null && value != null && value > bound) {
          throw GatewayError.INVALID_VALUE.exception("'" + field + "' may be at most the account's " + bound, field);
        }
      }
      return fields;
    });
  }

  private static void checkModels(List<String> asked, List<String> allowed) {
    if (allowed.contains("*")) {
      return;
    }
    Set<String> permitted = new HashSet<>(allowed);
    for (String model : asked) {
      if (!permitted.contains(model)) {
        throw GatewayError.INVALID_VALUE.exception("The account may not use the model '" + model + "'; it may use "
            + String.join(", ", allowed), "models");
      }
    }
  }

  private static Integer field(RateLimits limits, String name) {
    Function<RateLimits, Integer> getter = switch (name) {
      case "rpm" -> RateLimits::rpm;
      case "rph" -> RateLimits::rph;
      case "rpd" -> RateLimits::rpd;
      case "tpm" -> RateLimits::tpm;
      default -> RateLimits::concurrency;
    };
    return getter.apply(limits);
  }

  private static List<String> stringList(JsonArray array) {
    return array == null ? List.of("*") : array.stream().map(String.class::cast).toList();
  }

  private static RuntimeException notFound(long id) {
    return GatewayError.NOT_FOUND.exception("no API key " + id, "id");
  }
}
