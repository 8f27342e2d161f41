package gateway.router.selfservice;

import io.vertx.core.json.JsonObject;

/**
 * The user behind a session, as auth knows them right now (loaded on every request, so a disabled
 * user or a changed role takes effect at once).
 *
 * @param accountId null for operators
 * @param role      owner, member (account users), admin or viewer (operators)
 */
public record SignedInUser(long id, Long accountId, String email, String displayName, String role, long sessionEpoch,
                           JsonObject view) {

  public static SignedInUser fromView(JsonObject view) {
    return new SignedInUser(view.getLong("id"), view.getLong("account_id"), view.getString("email"),
        view.getString("display_name"), view.getString("role"), view.getLong("session_epoch"), view);
  }

  public boolean operator() {
    return accountId == null;
  }

  public boolean owner() {
    return "owner".equals(role);
  }

  /** What the API shows of the user (no session epoch). */
  public JsonObject publicView() {
    JsonObject shown = view.copy();
    shown.remove("session_epoch");
    return shown;
  }
}
