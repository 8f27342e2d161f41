/* The operator's accounts: search, one account's money, vouchers, keys, users and usage; top-up, invite, voucher. */
"use strict";
const Accounts = (() => {
  const {t, h, clear} = UI;

  async function render(main, me, params) {
    if (params && params[0]) return detail(main, me, Number(params[0]));
    const q = h("input", {type: "search", name: "q", placeholder: t("accounts.search.placeholder"), "data-test": "account-search"});
    const results = h("div");
    const form = h("form", {class: "toolbar"}, h("div", {class: "grow"}, UI.field(t("accounts.search"), q)),
      h("div", {class: "field"}, h("button", {type: "submit", class: "primary", text: t("accounts.search.submit")})));
    const status = h("div", {"aria-live": "polite"});
    const canWrite = me.user.role === "admin";
    const more = h("button", {type: "button", class: "hidden", text: t("usage.more")});
    let rows = [], before = null;
    const search = async reset => {
      if (reset !== false) { rows = []; before = null; }
      const found = await API.get("/admin/accounts" + API.query({q: q.value.trim(), limit: 100, before_id: before}));
      rows = rows.concat(found.data);
      before = found.next_before_id;
      more.classList.toggle("hidden", !before);
      clear(results, UI.table([
        {label: t("accounts.id"), num: true, cell: a => a.id},
        {label: t("accounts.name"), cell: a => h("a", {href: "#/accounts/" + a.id, text: a.name})},
        {label: t("accounts.models"), cell: a => (a.models || []).map(m => UI.badge(m))},
        {label: t("accounts.created"), cell: a => UI.dateTime(a.created_at)},
      ], rows, t("accounts.none")));
    };
    more.addEventListener("click", () => search(false).catch(e => clear(results, UI.notice("error", UI.errorText(e)))));
    form.addEventListener("submit", event => {
      event.preventDefault();
      search().catch(e => clear(results, UI.notice("error", UI.errorText(e))));
    });
    clear(main, h("div", {class: "toolbar"}, h("h1", {class: "grow", text: t("accounts.title")}),
      canWrite ? h("button", {type: "button", class: "primary", "data-test": "new-account", text: t("accounts.new"), onclick: () => create()}) : null),
      status, form, results, h("p", {}, more));
    await search();
  }

  function create() {
    return UI.dialog(t("accounts.new"), close => {
      const name = h("input", {type: "text", name: "name", required: true, maxlength: 100});
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {}, status, UI.field(t("accounts.name"), name),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("action.create")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        try {
          const made = await API.post("/admin/accounts", {name: name.value.trim()});
          close();
          location.hash = "#/accounts/" + made.id;
        } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
      });
      return form;
    });
  }

  async function detail(main, me, id) {
    const [account, vouchers, keys, users, usage] = await Promise.all([
      API.get("/admin/accounts/" + id), API.get("/admin/accounts/" + id + "/vouchers"), API.get("/admin/accounts/" + id + "/keys"),
      API.get("/admin/users?account_id=" + id), API.get("/admin/usage?limit=20&account_id=" + id)]);
    const again = () => detail(main, me, id);
    const canWrite = me.user.role === "admin";
    clear(main,
      h("p", {}, h("a", {href: "#/accounts", text: t("accounts.back")})),
      h("div", {class: "toolbar"}, h("h1", {class: "grow", "data-test": "account-title", text: t("accounts.detail", account.name, account.id)}),
        canWrite ? [
          h("button", {type: "button", class: "primary", "data-test": "top-up", text: t("accounts.topUp"), onclick: () => topUp(account, again)}),
          h("button", {type: "button", "data-test": "grant-voucher", text: t("accounts.voucher"), onclick: () => voucher(account, again)}),
          h("button", {type: "button", "data-test": "invite", text: t("accounts.invite"), onclick: () => invite(account, again)})] : null),
      h("div", {class: "cards"},
        UI.card(t("overview.available"), UI.credits(account.available_credits), UI.usd(account.available_credits), "available"),
        UI.card(t("overview.balance"), UI.credits(account.balance_credits), null, "balance"),
        UI.card(t("overview.held"), UI.credits(account.held_credits), null, "held")),
      h("h2", {text: t("vouchers.title")}),
      UI.table([
        {label: t("vouchers.models"), cell: v => (v.models || []).map(m => UI.badge(m))},
        {label: t("vouchers.left"), num: true, cell: v => UI.credits(v.available_credits)},
        {label: t("vouchers.granted"), num: true, cell: v => UI.credits(v.granted_credits)},
        {label: t("vouchers.expires"), cell: v => UI.dateTime(v.expires_at)},
        {label: t("vouchers.status"), cell: v => UI.badge(v.status, v.status === "active" ? "ok" : "off")},
        {label: t("channels.actions"), cell: v => canWrite && v.status === "active" ? UI.action(t("accounts.revoke"), async () => {
          if (await UI.confirm(t("accounts.revoke"), t("accounts.revoke.text"), t("accounts.revoke"))) {
            await API.post("/admin/vouchers/" + v.id + "/revoke");
            again();
          }
        }, {class: "small danger"}) : "—"},
      ], vouchers.data, t("vouchers.none")),
      h("h2", {text: t("accounts.users")}),
      UI.table([
        {label: t("accounts.email"), cell: u => u.email},
        {label: t("accounts.displayName"), cell: u => u.display_name || "—"},
        {label: t("accounts.role"), cell: u => t("role." + u.role)},
        {label: t("channels.status"), cell: u => u.disabled ? UI.badge(t("status.disabled"), "off")
          : u.has_password === false ? UI.badge(t("accounts.invited"), "warn") : UI.badge(t("status.active"), "ok")},
      ], users.data, t("accounts.noUsers")),
      h("h2", {text: t("keys.title")}),
      UI.table([
        {label: t("keys.name"), cell: k => k.name},
        {label: t("keys.prefix"), cell: k => h("code", {text: k.prefix.endsWith("…") ? k.prefix : k.prefix + "…"})},
        {label: t("keys.models"), cell: k => (k.models || []).map(m => UI.badge(m))},
        {label: t("keys.created"), cell: k => UI.dateTime(k.created_at)},
        {label: t("keys.status"), cell: k => k.disabled ? UI.badge(t("status.disabled"), "off") : UI.badge(t("status.active"), "ok")},
      ], keys.data, t("keys.none")),
      h("h2", {text: t("accounts.usage")}),
      UI.table([
        {label: t("usage.time"), cell: r => UI.dateTime(r.created_at)},
        {label: t("usage.model"), cell: r => r.model},
        {label: t("reports.channel"), cell: r => r.channel || "—"},
        {label: t("usage.outcome"), cell: r => UI.badge(r.outcome, r.outcome === "completed" ? "ok" : "off")},
        {label: t("usage.input"), num: true, cell: r => UI.integer(r.input_tokens)},
        {label: t("usage.output"), num: true, cell: r => UI.integer(r.output_tokens)},
        {label: t("usage.costCol"), num: true, cell: r => UI.credits(r.cost_credits)},
      ], usage.data, t("usage.none")));
  }

  /** The idempotency key is made when the dialog opens: a double click or a retry of the same top-up credits once. */
  function topUp(account, done) {
    const key = UI.idempotencyKey("console-topup");
    return UI.dialog(t("accounts.topUp.title", account.name), close => {
      const amount = h("input", {type: "number", name: "amount_credits", required: true, min: 0, step: "any", inputmode: "decimal"});
      const note = h("input", {type: "text", name: "note", maxlength: 200});
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {"data-test": "top-up-form"}, status, UI.field(t("accounts.amount"), amount, t("accounts.amount.hint")),
        UI.field(t("accounts.note"), note),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("accounts.topUp")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        try {
          await API.post("/admin/accounts/" + account.id + "/credits", {amount_credits: amount.value, note: note.value || undefined,
            idempotency_key: key});
          close();
          done();
        } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
      });
      return form;
    });
  }

  function voucher(account, done) {
    const key = UI.idempotencyKey("console-voucher");
    return UI.dialog(t("accounts.voucher.title", account.name), close => {
      const amount = h("input", {type: "number", name: "amount_credits", required: true, min: 0, step: "any"});
      const models = h("input", {type: "text", name: "models", required: true, value: "*"});
      const expires = h("input", {type: "date", name: "expires_at"});
      const note = h("input", {type: "text", name: "note", maxlength: 200});
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {}, status, UI.field(t("accounts.amount"), amount),
        UI.field(t("accounts.voucher.models"), models, t("accounts.voucher.models.hint")),
        UI.field(t("vouchers.expires"), expires), UI.field(t("accounts.note"), note),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("accounts.voucher")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        const body = {amount_credits: amount.value, models: models.value.split(",").map(s => s.trim()).filter(Boolean),
          idempotency_key: key};
        if (expires.value) body.expires_at = new Date(expires.value + "T23:59:59").toISOString();
        if (note.value) body.note = note.value;
        try {
          await API.post("/admin/accounts/" + account.id + "/vouchers", body);
          close();
          done();
        } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
      });
      return form;
    });
  }

  function invite(account, done) {
    return UI.dialog(t("accounts.invite.title", account.name), close => {
      const email = h("input", {type: "email", name: "email", required: true});
      const name = h("input", {type: "text", name: "display_name"});
      const role = h("select", {name: "role"}, ["owner", "member"].map(r => h("option", {value: r, text: t("role." + r)})));
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {}, status, UI.field(t("accounts.email"), email), UI.field(t("accounts.displayName"), name),
        UI.field(t("accounts.role"), role),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("accounts.invite")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        try {
          const made = await API.post("/admin/users", {email: email.value.trim(), display_name: name.value.trim() || undefined,
            role: role.value, account_id: account.id});
          close();
          const url = made.invitation.url.startsWith("/") ? location.origin + made.invitation.url : made.invitation.url;
          await UI.showSecret(t("accounts.invite.link"), url, t("accounts.invite.warning"));
          done();
        } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
      });
      return form;
    });
  }

  return {render};
})();
