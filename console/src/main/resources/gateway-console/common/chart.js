/* A stacked bar chart drawn as SVG by script: a few dozen elements, no library to load. */
"use strict";
const Chart = (() => {
  const {h, t} = UI;
  const COLORS = ["#2f5bd3", "#12b76a", "#f79009", "#7a5af8", "#ee46bc", "#06aed4", "#98a2b3"];

  /** days: ["2026-01-01", ...]; series: [{label, values: [number per day]}]; format: a value as text. */
  function stackedBars(days, series, format) {
    const width = 760, height = 240, left = 56, bottom = 26, top = 10, right = 8;
    const totals = days.map((d, i) => series.reduce((sum, s) => sum + s.values[i], 0));
    const max = niceMax(Math.max(0, ...totals));
    const plotW = width - left - right, plotH = height - top - bottom;
    const slot = plotW / Math.max(1, days.length), bar = Math.max(2, slot * 0.7);
    const svg = h("svg:svg", {viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t("chart.label")});
    for (let i = 0; i <= (max === 0 ? 0 : 4); i++) {
      const y = top + plotH - (plotH * i) / 4;
      svg.appendChild(h("svg:line", {x1: left, x2: width - right, y1: y, y2: y, stroke: "#e4e7ec"}));
      svg.appendChild(h("svg:text", {x: left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#5c6779"},
        format((max * i) / 4)));
    }
    days.forEach((day, i) => {
      let y = top + plotH;
      const x = left + i * slot + (slot - bar) / 2;
      series.forEach((s, k) => {
        const value = s.values[i];
        if (!value || max === 0) return;
        const barH = (value / max) * plotH;
        y -= barH;
        svg.appendChild(h("svg:rect", {x, y, width: bar, height: Math.max(barH, 0.5), fill: COLORS[k % COLORS.length]},
          h("svg:title", {text: `${day} · ${s.label}: ${format(value)}`})));
      });
      if (i % 5 === 0 || i === days.length - 1) {
        svg.appendChild(h("svg:text", {x: x + bar / 2, y: height - 8, "text-anchor": "middle", "font-size": 11, fill: "#5c6779"},
          new Date(day + "T00:00:00Z").toLocaleDateString(undefined, {month: "short", day: "numeric", timeZone: "UTC"})));
      }
    });
    const legend = h("div", {class: "legend"}, series.length ? series.map((s, k) =>
      h("span", {}, swatch(COLORS[k % COLORS.length]), s.label)) : h("span", {class: "muted", text: t("chart.empty")}));
    return h("div", {class: "chart", "data-test": "chart"}, svg, legend);
  }

  function swatch(color) {
    const el = h("span", {class: "swatch"});
    el.style.background = color; // CSSOM, allowed by the page's style-src policy (no inline style attribute)
    return el;
  }

  function niceMax(value) {
    if (value <= 0) return 0;
    const step = Math.pow(10, Math.floor(Math.log10(value)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
    return 10 * step;
  }

  return {stackedBars};
})();
