/*
 * The operator's reports: revenue, upstream cost, margin, requests and errors by day, model, channel and account,
 * grouped by billing.
 */
"use strict";
const Reports = (() => {
  const {t, h, clear} = UI;
  const GROUPS = [
    {by: "day", title: "reports.byDay", label: "reports.day", cell: r => new Date(r.day + "T00:00:00Z").toLocaleDateString(undefined, {timeZone: "UTC"})},
    {by: "model", title: "reports.byModel", label: "usage.model", cell: r => h("code", {text: r.model})},
    {by: "channel", title: "reports.byChannel", label: "reports.channel",
      cell: r => r.channel ? r.channel : h("span", {class: "muted", text: t("reports.noChannel")})},
    {by: "account", title: "reports.byAccount", label: "accounts.id",
      cell: r => h("a", {href: "#/accounts/" + r.account_id, text: "#" + r.account_id})},
  ];

  function columns(group) {
    return [
      {label: t(group.label), cell: group.cell},
      {label: t("usage.requests"), num: true, cell: r => UI.integer(r.requests)},
      {label: t("reports.failed"), num: true, cell: r => UI.integer(r.failed_requests)},
      {label: t("reports.errorRate"), num: true, cell: r => r.requests ? UI.number(100 * r.failed_requests / r.requests, 1) + " %" : "—"},
      {label: t("usage.tokensIn"), num: true, cell: r => UI.integer(r.input_tokens)},
      {label: t("usage.tokensOut"), num: true, cell: r => UI.integer(r.output_tokens)},
      {label: t("reports.revenue"), num: true, cell: r => UI.credits(r.cost_credits)},
      {label: "USD", num: true, cell: r => UI.usd(r.cost_credits)},
      {label: t("reports.upstream"), num: true, cell: r => h("span", {"data-test": "upstream-cost", text: UI.credits(r.upstream_cost_credits)})},
      {label: t("reports.margin"), num: true, cell: r => h("span", {"data-test": "margin", text: UI.credits(micros(r.margin_micros))})},
      {label: t("reports.uncosted"), num: true, cell: r => UI.integer(r.uncosted_requests)},
    ];
  }

  /** Credits from micro-credits, exactly (a margin may be negative). */
  function micros(value) {
    const negative = value < 0;
    const digits = String(Math.abs(value)).padStart(7, "0");
    const whole = digits.slice(0, -6), fraction = digits.slice(-6).replace(/0+$/, "");
    return (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
  }

  async function render(main) {
    const from = h("input", {type: "date", name: "from"});
    const until = h("input", {type: "date", name: "until"});
    const today = new Date();
    from.value = new Date(today.getTime() - 30 * 86400000).toISOString().slice(0, 10);
    until.value = today.toISOString().slice(0, 10);
    const totals = h("div", {class: "cards", "data-test": "report-totals"});
    const sections = GROUPS.map(group => ({group, out: h("div", {"data-test": "report-" + group.by})}));
    const form = h("form", {class: "toolbar panel"}, UI.field(t("usage.from"), from), UI.field(t("usage.until"), until),
      h("div", {class: "field"}, h("button", {type: "submit", class: "primary", text: t("usage.apply")})));
    const range = () => ({from: new Date(from.value + "T00:00:00Z").toISOString(),
      until: new Date(new Date(until.value + "T00:00:00Z").getTime() + 86400000).toISOString()});
    const load = async () => {
      const asked = range();
      const pages = await Promise.all(sections.map(s => section(s, asked)));
      const total = pages[0].total;
      clear(totals, UI.card(t("reports.revenue"), UI.credits(total.cost_credits), UI.usd(total.cost_credits), "report-revenue"),
        UI.card(t("reports.upstream"), UI.credits(total.upstream_cost_credits),
          total.uncosted_requests ? t("reports.uncostedCount", UI.integer(total.uncosted_requests)) : null, "report-upstream"),
        UI.card(t("reports.margin"), UI.credits(micros(total.margin_micros)), UI.usd(micros(total.margin_micros)), "report-margin"),
        UI.card(t("usage.requests"), UI.integer(total.requests)),
        UI.card(t("reports.failed"), UI.integer(total.failed_requests),
          total.requests ? UI.number(100 * total.failed_requests / total.requests, 1) + " %" : null));
    };
    form.addEventListener("submit", event => { event.preventDefault(); load().catch(e => clear(totals, UI.notice("error", UI.errorText(e)))); });
    clear(main, h("h1", {text: t("reports.title")}), form,
      UI.notice("info", t("reports.upstreamCost")), totals,
      sections.map(s => h("section", {}, h("h2", {text: t(s.group.title)}), s.out)));
    await load();
  }

  /** One grouped table, a page of groups at a time (the next page continues after the last group shown). */
  async function section(s, asked) {
    let rows = [];
    const more = h("button", {type: "button", class: "small hidden", text: t("usage.more")});
    const cols = columns(s.group);
    let after = null, first = null;
    const page = async () => {
      const p = await API.get("/admin/reports/revenue" + API.query(Object.assign({group_by: s.group.by, limit: 50, after}, asked)));
      rows = rows.concat(p.data);
      after = p.next_after;
      more.classList.toggle("hidden", !after);
      const total = Object.assign({day: null, model: null, channel: null, account_id: null}, p.total);
      const foot = h("tr", {}, cols.map((c, i) => h("td", {class: c.num ? "num" : null, "data-label": c.label},
        i === 0 ? t("reports.total") : c.cell(total))));
      clear(s.out, UI.table(cols, rows, t("usage.none"), foot), h("p", {}, more));
      return p;
    };
    more.addEventListener("click", () => page().catch(e => clear(s.out, UI.notice("error", UI.errorText(e)))));
    first = await page();
    return first;
  }

  return {render};
})();
