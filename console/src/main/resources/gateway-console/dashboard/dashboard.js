/* The customer console: its pages, the redeem and quick-start pages, and the password form. */
"use strict";
(() => {
  const {t, h, clear} = UI;

  async function redeem(main) {
    const [vouchers, redemptions] = await Promise.all([API.get("/api/vouchers"), API.get("/api/redemptions")]);
    const code = h("input", {type: "text", name: "code", required: true, maxlength: 64, autocomplete: "off",
      spellcheck: "false", placeholder: "XXXX-XXXX-…"});
    const status = h("div", {"aria-live": "polite", "data-test": "redeem-status"});
    const form = h("form", {class: "panel", "data-test": "redeem-form"}, status, UI.field(t("redeem.code"), code),
      h("button", {type: "submit", class: "primary", text: t("redeem.submit")}));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        const done = await API.post("/api/redeem", {code: code.value.trim()});
        code.value = "";
        await redeem(main);
        main.querySelector("[data-test=redeem-status]").replaceChildren(UI.notice("ok", done.kind === "voucher"
          ? t("redeem.voucher", UI.credits(done.amount_credits)) : t("redeem.credits", UI.credits(done.amount_credits))));
      } catch (e) {
        clear(status, UI.notice("error", e.status === 429 ? t("redeem.locked") : UI.errorText(e)));
      }
    });
    clear(main, h("h1", {text: t("redeem.title")}), form,
      h("h2", {text: t("vouchers.title")}), Overview.vouchersTable(vouchers.data),
      h("h2", {text: t("redeem.history")}),
      UI.table([
        {label: t("redeem.when"), cell: r => UI.dateTime(r.created_at)},
        {label: t("redeem.kind"), cell: r => r.kind || (r.voucher_id ? "voucher" : "credits")},
        {label: t("redeem.amount"), num: true, cell: r => UI.credits(r.amount_credits)},
        {label: t("redeem.codeCol"), cell: r => (r.code_hint ? "…" + r.code_hint : "") + (r.batch_name ? " · " + r.batch_name : "")},
      ], redemptions.data, t("redeem.none")));
  }

  function quickStart(main) {
    const base = location.origin + "/v1";
    const errors = [["401", "invalid_api_key", t("qs.e401")], ["402", "insufficient_credits", t("qs.e402")],
      ["403", "model_not_allowed / voucher_model_not_allowed", t("qs.e403")], ["404", "model_not_found", t("qs.e404")],
      ["429", "rate_limit_exceeded", t("qs.e429")], ["502 / 503 / 504", "upstream_error", t("qs.e5xx")]];
    clear(main, h("h1", {text: t("qs.title")}),
      h("section", {class: "panel"}, h("h2", {text: t("qs.base")}),
        h("div", {class: "secret"}, h("code", {"data-test": "base-url", text: base}),
          h("button", {type: "button", text: t("action.copy"), onclick: () => UI.copy(base)}))),
      h("ol", {class: "steps panel"},
        h("li", {}, t("qs.step1"), " ", h("a", {href: "#/keys", text: t("qs.step1.link")})),
        h("li", {}, t("qs.step2"), h("pre", {class: "snippet"}, h("code", {text:
          `curl ${base}/chat/completions \\\n  -H "Authorization: Bearer $GATEWAY_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": "MODEL", "messages": [{"role": "user", "content": "Hello"}]}'`}))),
        h("li", {}, t("qs.step3"), " ", h("a", {href: "#/models", text: t("qs.step3.link")}))),
      h("h2", {text: t("qs.errors")}),
      UI.table([{label: t("qs.status"), cell: r => r[0]}, {label: t("qs.code"), cell: r => h("code", {text: r[1]})},
        {label: t("qs.meaning"), cell: r => r[2]}], errors));
  }

  function account(main, me) {
    const current = h("input", {type: "password", autocomplete: "current-password", required: true});
    const next = h("input", {type: "password", autocomplete: "new-password", required: true, minlength: 10});
    const status = h("div", {"aria-live": "polite"});
    const form = h("form", {class: "panel"}, status, UI.field(t("account.current"), current),
      UI.field(t("account.new"), next, t("account.new.hint")),
      h("button", {type: "submit", class: "primary", text: t("account.change")}));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      try {
        await API.post("/api/me/password", {current_password: current.value, new_password: next.value});
        current.value = next.value = "";
        clear(status, UI.notice("ok", t("account.changed")));
      } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
    });
    clear(main, h("h1", {text: t("account.title")}),
      h("div", {class: "panel"}, h("p", {}, t("account.signedInAs", me.user.email, t("role." + me.user.role)))),
      h("h2", {text: t("account.password")}), form,
      h("p", {}, UI.action(t("account.everywhere"), async () => {
        await API.post("/api/logout", {everywhere: true}).catch(() => null);
        location.reload();
      })));
  }

  document.addEventListener("DOMContentLoaded", () => Shell.start({
    title: t("dashboard.title"),
    accept: me => (me.account ? null : t("dashboard.operator")),
    signUp: true,
    footer: () => h("p", {class: "muted"}, t("signin.operator"), " ", h("a", {href: "/console/", text: t("signin.operator.link")})),
    pages: [
      {id: "overview", label: t("nav.overview"), render: Overview.render},
      {id: "keys", label: t("nav.keys"), render: Keys.render},
      {id: "usage", label: t("nav.usage"), render: Usage.render},
      {id: "media", label: t("nav.media"), render: Media.render},
      {id: "redeem", label: t("nav.redeem"), render: redeem},
      {id: "models", label: t("nav.models"), render: Market.render},
      {id: "start", label: t("nav.start"), render: quickStart},
      {id: "account", label: t("nav.account"), render: account},
    ],
  }));
})();
