package gateway.router.e2e;

import io.vertx.core.json.JsonObject;

/** Users made the way an operator makes them: invited through the admin API, the invitation accepted. */
final class SelfServiceUsers {
  static final String PASSWORD = "correct horse battery staple";

  private SelfServiceUsers() {
  }

  /** Invites the user and returns the invitation token (shown only in the admin API's reply). */
  static JsonObject invite(GatewayUnderTest gateway, Long accountId, String email, String role) {
    JsonObject body = new JsonObject().put("email", email).put("role", role).put("display_name", email);
    if (accountId != null) {
      body.put("account_id", accountId);
    }
    return gateway.admin.ok("POST", "/admin/users", body);
  }

  /** An invited user who accepted with {@link #PASSWORD}: a client signed in as them. */
  static SelfServiceClient signedIn(GatewayUnderTest gateway, Long accountId, String email, String role) {
    String token = invite(gateway, accountId, email, role).getJsonObject("invitation").getString("token");
    SelfServiceClient client = new SelfServiceClient(gateway.baseUrl()).begin();
    client.ok("POST", "/api/invitations/accept", new JsonObject().put("token", token).put("password", PASSWORD));
    return client;
  }

  static long userId(SelfServiceClient client) {
    return client.ok("GET", "/api/me", null).getJsonObject("user").getLong("id");
  }
}
