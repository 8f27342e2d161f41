/* The page of invitation and password-reset links: the token stays in the URL's fragment (never sent to a server log). */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const {t, h, clear} = UI;
  const invitation = location.pathname.endsWith("/invitation");
  const token = new URLSearchParams(location.hash.replace(/^#/, "")).get("token") || "";
  const name = h("input", {type: "text", name: "display_name", autocomplete: "name", maxlength: 100});
  const password = h("input", {type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 10});
  const again = h("input", {type: "password", name: "password2", autocomplete: "new-password", required: true, minlength: 10});
  const status = h("div", {"aria-live": "polite"});
  const form = h("form", {class: "panel signin", "data-test": "link-form"},
    h("h1", {text: invitation ? t("link.invitation") : t("link.reset")}), status,
    invitation ? UI.field(t("link.name"), name) : null,
    UI.field(t("account.new"), password, t("account.new.hint")), UI.field(t("link.again"), again),
    h("button", {type: "submit", class: "primary", text: t("link.submit")}));
  form.addEventListener("submit", async event => {
    event.preventDefault();
    if (password.value !== again.value) return clear(status, UI.notice("error", t("link.mismatch")));
    try {
      if (invitation) {
        const body = {token, password: password.value};
        if (name.value.trim()) body.display_name = name.value.trim();
        const me = await API.post("/api/invitations/accept", body);
        history.replaceState(null, "", location.pathname);
        location.href = me.account ? "/dashboard/" : "/console/";
      } else {
        await API.post("/api/password-reset", {token, password: password.value});
        history.replaceState(null, "", location.pathname);
        clear(form, UI.notice("ok", t("link.done")), h("p", {}, h("a", {href: "/dashboard/", text: t("link.signin")})));
      }
    } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
  });
  clear(document.body, h("main", {}, token ? form : UI.notice("error", t("link.noToken"))));
});
