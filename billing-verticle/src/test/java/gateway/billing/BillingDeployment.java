package gateway.billing;

import static gateway.testsupport.Await.result;

import gateway.common.PgDatabase;
import gateway.common.config.Env;
import io.vertx.core.Vertx;

/** Billing as the launcher starts it: its schema migrated once, then the verticle handed its record. */
final class BillingDeployment {
  private BillingDeployment() {
  }

  static BillingConfig deploy(Vertx vertx, Env env) {
    BillingConfig config = BillingConfig.fromEnv(env);
    PgDatabase.migrate(config.pg(), BillingVerticle.SCHEMA);
    result(vertx.deployVerticle(new BillingVerticle(config)));
    return config;
  }
}
