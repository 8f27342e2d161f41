/* The customer's overview: money, vouchers, spend, the 30-day chart by model, and the runway. */
"use strict";
const Overview = (() => {
  const {t, h, clear} = UI;
  const DAY = 86400000;

  async function render(main) {
    const until = new Date(Math.ceil(Date.now() / DAY) * DAY);
    const from = new Date(until.getTime() - 30 * DAY);
    const range = {from: from.toISOString(), until: until.toISOString()};
    const [account, byModel] = await Promise.all([
      API.get("/api/account"),
      API.get("/api/usage/totals" + API.query(Object.assign({group_by: "model"}, range)))]);
    // The chart's stacks: a day series per model (the few biggest apart, the rest as "other").
    const models = byModel.data.slice().sort((a, b) => b.cost_credits - a.cost_credits);
    const shown = models.slice(0, 6);
    const perModel = await Promise.all(shown.map(m =>
      API.get("/api/usage/totals" + API.query(Object.assign({group_by: "day", model: m.model}, range)))));
    const days = [];
    for (let d = from.getTime(); d < until.getTime(); d += DAY) days.push(new Date(d).toISOString().slice(0, 10));
    const series = shown.map((m, i) => ({label: m.model, values: dayValues(days, perModel[i].data)}));
    if (models.length > shown.length) {
      const all = await API.get("/api/usage/totals" + API.query(Object.assign({group_by: "day"}, range)));
      const total = dayValues(days, all.data);
      const rest = total.map((v, i) => Math.max(0, v - series.reduce((s, x) => s + x.values[i], 0)));
      series.push({label: t("overview.other"), values: rest});
    }
    const last7 = series.reduce((sum, s) => sum + s.values.slice(-7).reduce((a, b) => a + b, 0), 0);
    const perDay = last7 / 7;
    // What can be spent now: the cash not held plus what the live vouchers have left (each for its models).
    const spendable = Number(account.available_credits) + Number(account.voucher_available_credits || 0);
    const runway = perDay > 0 ? Math.floor(spendable / perDay) : null;

    clear(main,
      h("h1", {text: t("overview.title", account.name)}),
      h("div", {class: "cards"},
        UI.card(t("overview.available"), UI.credits(spendable), UI.usd(spendable), "available"),
        UI.card(t("overview.balance"), UI.credits(account.balance_credits),
          t("overview.cash.sub", UI.credits(account.available_credits)), "balance"),
        UI.card(t("overview.held"), UI.credits(account.held_credits), t("overview.held.sub"), "held"),
        UI.card(t("overview.vouchers"), UI.credits(account.voucher_available_credits),
          t("overview.vouchers.sub", account.vouchers.length), "vouchers"),
        UI.card(t("overview.today"), UI.credits(account.spend_today_credits), UI.usd(account.spend_today_credits), "today"),
        UI.card(t("overview.month"), UI.credits(account.spend_month_credits), UI.usd(account.spend_month_credits), "month"),
        UI.card(t("overview.runway"), runway === null ? "—" : t("overview.runway.days", UI.integer(runway)),
          runway === null ? t("overview.runway.none") : t("overview.runway.sub", UI.credits(perDay)), "runway")),
      h("section", {class: "panel"},
        h("h2", {text: t("overview.chart")}),
        Chart.stackedBars(days, series, UI.credits)),
      h("h2", {text: t("vouchers.title")}),
      vouchersTable(account.vouchers));
  }

  function dayValues(days, rows) {
    const byDay = new Map(rows.map(r => [String(r.day).slice(0, 10), Number(r.cost_credits)]));
    return days.map(d => byDay.get(d) || 0);
  }

  function vouchersTable(vouchers) {
    return UI.table([
      {label: t("vouchers.models"), cell: v => (v.models || []).map(m => UI.badge(m))},
      {label: t("vouchers.left"), num: true, cell: v => UI.credits(v.available_credits)},
      {label: t("vouchers.granted"), num: true, cell: v => UI.credits(v.granted_credits)},
      {label: t("vouchers.expires"), cell: v => UI.dateTime(v.expires_at)},
      {label: t("vouchers.status"), cell: v => UI.badge(v.status, v.status === "active" ? "ok" : "off")},
    ], vouchers, t("vouchers.none"));
  }

  return {render, vouchersTable};
})();
