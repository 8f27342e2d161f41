/* The customer's usage: filters, a keyset-paged table (more rows on demand), totals, CSV download. */
"use strict";
const Usage = (() => {
  const {t, h, clear} = UI;
  const PAGE = 50;
  const OUTCOMES = ["completed", "failed", "client_disconnected", "upstream_cut", "gateway_error"];

  async function render(main) {
    const keys = await API.get("/api/keys?limit=1000");
    const names = new Map(keys.data.map(k => [k.id, k.name]));
    const from = h("input", {type: "date", name: "from"});
    const until = h("input", {type: "date", name: "until"});
    const key = h("select", {name: "key"}, h("option", {value: "", text: t("usage.allKeys")}),
      keys.data.map(k => h("option", {value: k.id, text: k.name + " (" + k.prefix + "…)"})));
    const model = h("input", {type: "text", name: "model", placeholder: t("usage.model.placeholder")});
    // Filtered by billing, so totals, pages and the CSV agree with what the filter says.
    const outcome = h("select", {name: "outcome"}, h("option", {value: "", text: t("usage.allOutcomes")}),
      OUTCOMES.map(o => h("option", {value: o, text: t("usage.outcome." + o)})));
    const csv = h("a", {class: "button", "data-test": "csv", download: "usage.csv", text: t("usage.csv")});
    const totals = h("div", {class: "cards"});
    const results = h("div");
    const more = h("button", {type: "button", class: "hidden", "data-test": "more", text: t("usage.more")});
    const filters = h("form", {class: "toolbar panel", "data-test": "usage-filters"},
      UI.field(t("usage.from"), from), UI.field(t("usage.until"), until), UI.field(t("usage.key"), key),
      UI.field(t("usage.model"), model), UI.field(t("usage.outcome"), outcome),
      h("div", {class: "field actions"}, h("button", {type: "submit", class: "primary", text: t("usage.apply")}), csv));
    let cursor = null;
    let rows = [];

    const params = () => ({
      from: from.value ? new Date(from.value + "T00:00:00").toISOString() : "",
      until: until.value ? new Date(until.value + "T00:00:00").getTime() + 86400000 : "",
      key_id: key.value, model: model.value.trim(), outcome: outcome.value});
    const query = () => {
      const p = params();
      if (p.until) p.until = new Date(p.until).toISOString();
      return p;
    };
    const load = async reset => {
      const q = query();
      if (reset) {
        rows = [];
        cursor = null;
        csv.href = "/api/usage/export.csv" + API.query(q);
        const sum = await API.get("/api/usage/totals" + API.query(Object.assign({group_by: "model"}, q)));
        const all = sum.total;
        clear(totals,
          UI.card(t("usage.requests"), UI.integer(all.requests), t("usage.failed", UI.integer(all.failed_requests)), "total-requests"),
          UI.card(t("usage.tokensIn"), UI.integer(all.input_tokens), t("usage.cached", UI.integer(all.cache_read_tokens))),
          UI.card(t("usage.tokensOut"), UI.integer(all.output_tokens)),
          UI.card(t("usage.cost"), UI.credits(all.cost_credits), UI.usd(all.cost_credits), "total-cost"));
      }
      const page = await API.get("/api/usage" + API.query(Object.assign({limit: PAGE, cursor}, q)));
      rows = rows.concat(page.data);
      cursor = page.next_cursor;
      more.classList.toggle("hidden", !cursor);
      clear(results, UI.table([
        {label: t("usage.time"), cell: r => UI.dateTime(r.created_at)},
        {label: t("usage.key"), cell: r => names.get(r.key_id) || ("#" + r.key_id)},
        {label: t("usage.model"), cell: r => r.model},
        {label: t("usage.outcome"), cell: r => UI.badge(outcomeText(r.outcome), succeeded(r) ? "ok" : "off")},
        {label: t("usage.input"), num: true, cell: r => UI.integer(r.input_tokens)},
        {label: t("usage.cachedCol"), num: true, cell: r => UI.integer(r.cache_read_tokens)},
        {label: t("usage.output"), num: true, cell: r => UI.integer(r.output_tokens)},
        {label: t("usage.latency"), num: true, cell: r => r.latency_ms === null || r.latency_ms === undefined ? "—" : UI.integer(r.latency_ms)},
        {label: t("usage.costCol"), num: true, cell: r => UI.credits(r.cost_credits)},
      ], rows, t("usage.none")));
    };
    filters.addEventListener("submit", event => {
      event.preventDefault();
      load(true).catch(e => clear(results, UI.notice("error", UI.errorText(e))));
    });
    outcome.addEventListener("change", () => load(true).catch(e => clear(results, UI.notice("error", UI.errorText(e)))));
    more.addEventListener("click", () => load(false).catch(e => clear(results, UI.notice("error", UI.errorText(e)))));
    clear(main, h("h1", {text: t("usage.title")}), filters, totals, results, h("p", {}, more),
      h("p", {class: "muted", text: t("usage.note")}));
    await load(true);
  }

  function outcomeText(wire) {
    return OUTCOMES.includes(wire) ? t("usage.outcome." + wire) : wire;
  }

  /** A request the customer got an answer for (a stream the client broke off was still answered and charged). */
  function succeeded(row) {
    return row.outcome === "completed" || row.outcome === "ok";
  }

  return {render, succeeded, outcomeText};
})();
