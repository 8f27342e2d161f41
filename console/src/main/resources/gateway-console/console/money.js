/* The operator's money pages: redemption code batches and the audit log (the reports are in reports.js). */
"use strict";
const Money = (() => {
  const {t, h, clear} = UI;

  async function codes(main, me, params) {
    if (params && params[0]) return batch(main, Number(params[0]));
    const list = await API.get("/admin/code-batches");
    const again = () => codes(main, me);
    const canWrite = me.user.role === "admin";
    clear(main, h("div", {class: "toolbar"}, h("h1", {class: "grow", text: t("codes.title")}),
      canWrite ? h("button", {type: "button", class: "primary", "data-test": "new-batch", text: t("codes.new"), onclick: () => create(again)}) : null),
    UI.table([
      {label: t("codes.name"), cell: b => h("a", {href: "#/codes/" + b.id, text: b.name})},
      {label: t("codes.gives"), cell: b => b.kind === "voucher" ? t("codes.gives.voucher", UI.credits(b.amount_credits), b.voucher.models.join(", "))
        : t("codes.gives.credits", UI.credits(b.amount_credits))},
      {label: t("codes.count"), num: true, cell: b => UI.integer(b.code_count)},
      {label: t("codes.redeemed"), num: true, cell: b => UI.integer(b.redeemed)},
      {label: t("codes.accounts"), num: true, cell: b => UI.integer(b.accounts)},
      {label: t("codes.expires"), cell: b => UI.dateTime(b.codes_expire_at)},
      {label: t("channels.status"), cell: b => b.disabled ? UI.badge(t("status.disabled"), "off") : UI.badge(t("status.active"), "ok")},
      {label: t("channels.actions"), cell: b => canWrite && !b.disabled ? UI.action(t("action.disable"), async () => {
        if (await UI.confirm(t("codes.disable.title"), t("codes.disable.text", b.name), t("action.disable"))) {
          await API.post("/admin/code-batches/" + b.id + "/disable");
          again();
        }
      }, {class: "small danger"}) : "—"},
    ], list.data, t("codes.none")));
  }

  async function batch(main, id) {
    const b = await API.get("/admin/code-batches/" + id);
    clear(main, h("p", {}, h("a", {href: "#/codes", text: t("codes.back")})), h("h1", {text: b.name}),
      h("div", {class: "cards"}, UI.card(t("codes.count"), UI.integer(b.code_count)), UI.card(t("codes.redeemed"), UI.integer(b.redeemed)),
        UI.card(t("codes.accounts"), UI.integer(b.accounts))),
      h("h2", {text: t("codes.redemptions")}),
      UI.table([
        {label: t("redeem.when"), cell: r => UI.dateTime(r.created_at)},
        {label: t("accounts.id"), cell: r => h("a", {href: "#/accounts/" + r.account_id, text: "#" + r.account_id})},
        {label: t("redeem.codeCol"), cell: r => "…" + r.code_hint},
        {label: t("redeem.amount"), num: true, cell: r => UI.credits(r.amount_credits)},
      ], b.redemptions || [], t("redeem.none")));
  }

  /** The codes come back once, in the answer: they are offered as a CSV file made in the page, then forgotten. */
  function create(done) {
    return UI.dialog(t("codes.new"), close => {
      const name = h("input", {type: "text", name: "name", required: true, maxlength: 100});
      const count = h("input", {type: "number", name: "count", required: true, min: 1, max: 10000, value: 10});
      const amount = h("input", {type: "number", name: "amount_credits", required: true, min: 0, step: "any"});
      const asVoucher = h("input", {type: "checkbox", name: "voucher"});
      const models = h("input", {type: "text", name: "models", value: "*"});
      const days = h("input", {type: "number", name: "valid_days", min: 1});
      const expires = h("input", {type: "date", name: "expires_at"});
      const perCode = h("input", {type: "number", name: "redemptions_per_code", min: 1, value: 1});
      const perAccount = h("input", {type: "number", name: "redemptions_per_account", min: 1, value: 1});
      const voucherFields = h("div", {class: "grid2 hidden"}, UI.field(t("accounts.voucher.models"), models), UI.field(t("codes.validDays"), days));
      asVoucher.addEventListener("change", () => voucherFields.classList.toggle("hidden", !asVoucher.checked));
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {"data-test": "batch-form"}, status, UI.field(t("codes.name"), name),
        h("div", {class: "grid2"}, UI.field(t("codes.count"), count), UI.field(t("codes.amount"), amount)),
        UI.field(t("codes.asVoucher"), asVoucher), voucherFields,
        UI.field(t("codes.expires"), expires),
        h("div", {class: "grid2"}, UI.field(t("codes.perCode"), perCode), UI.field(t("codes.perAccount"), perAccount)),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("action.create")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        const body = {name: name.value.trim(), count: Number(count.value), amount_credits: amount.value,
          redemptions_per_code: Number(perCode.value), redemptions_per_account: Number(perAccount.value)};
        if (asVoucher.checked) {
          body.voucher = {models: models.value.split(",").map(s => s.trim()).filter(Boolean)};
          if (days.value) body.voucher.valid_days = Number(days.value);
        }
        if (expires.value) body.expires_at = new Date(expires.value + "T23:59:59").toISOString();
        try {
          const made = await API.post("/admin/code-batches", body);
          close();
          done(); // the list behind the dialog shows the new batch at once
          await showCodes(made);
        } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
      });
      return form;
    });
  }

  function showCodes(made) {
    const codes = (made.codes || []).map(c => (typeof c === "string" ? c : c.code));
    const csv = "code\r\n" + codes.join("\r\n") + "\r\n";
    const url = URL.createObjectURL(new Blob([csv], {type: "text/csv"}));
    return UI.dialog(t("codes.made", made.name), close => h("div", {},
      UI.notice("warn", t("codes.once")),
      h("p", {}, h("a", {class: "button primary", href: url, download: "codes-" + made.id + ".csv", "data-test": "codes-csv",
        text: t("codes.csv", codes.length)})),
      h("pre", {class: "snippet", "data-test": "codes"}, h("code", {text: codes.slice(0, 20).join("\n") + (codes.length > 20 ? "\n…" : "")})),
      h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.done"), onclick: () => { URL.revokeObjectURL(url); close(); }}))));
  }

  async function audit(main) {
    const action = h("input", {type: "text", name: "action", placeholder: t("audit.action.placeholder")});
    const out = h("div");
    const more = h("button", {type: "button", class: "hidden", text: t("usage.more")});
    let before = null, rows = [];
    const load = async reset => {
      if (reset) { rows = []; before = null; }
      const page = await API.get("/admin/audit" + API.query({limit: 50, before_id: before, action: action.value.trim()}));
      rows = rows.concat(page.data);
      before = page.next_before_id;
      more.classList.toggle("hidden", !before);
      clear(out, UI.table([
        {label: t("audit.at"), cell: r => UI.dateTime(r.at)},
        {label: t("audit.actor"), cell: r => r.actor ? (r.actor.email || r.actor.kind) : "—"},
        {label: t("audit.action"), cell: r => h("code", {text: r.action})},
        {label: t("audit.target"), cell: r => r.target === null || r.target === undefined ? "—" : String(r.target)},
        {label: t("audit.request"), cell: r => r.method + " " + r.path},
        {label: t("audit.status"), num: true, cell: r => r.status},
        {label: t("audit.address"), cell: r => r.client_address || "—"},
      ], rows, t("audit.none")));
    };
    const form = h("form", {class: "toolbar"}, h("div", {class: "grow"}, UI.field(t("audit.action"), action)),
      h("div", {class: "field"}, h("button", {type: "submit", class: "primary", text: t("usage.apply")})));
    form.addEventListener("submit", event => { event.preventDefault(); load(true).catch(e => clear(out, UI.notice("error", UI.errorText(e)))); });
    more.addEventListener("click", () => load(false).catch(e => clear(out, UI.notice("error", UI.errorText(e)))));
    clear(main, h("h1", {text: t("audit.title")}), form, out, h("p", {}, more));
    await load(true);
  }

  return {codes, audit};
})();
