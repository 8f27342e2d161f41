/* Building blocks of both consoles: elements built node by node (never from markup strings), the page text, formats, dialogs. */
"use strict";
const UI = (() => {
  /** The page text (strings.js); "{0}" marks are replaced by the arguments. A missing key shows itself. */
  function t(key, ...args) {
    const text = Object.prototype.hasOwnProperty.call(STRINGS, key) ? STRINGS[key] : key;
    return text.replace(/\{(\d+)\}/g, (m, i) => (args[i] === undefined ? m : String(args[i])));
  }

  /** h("td", {class: "num"}, "text", child): attributes set one by one, text always as text nodes. */
  function h(tag, attrs, ...children) {
    const el = tag.startsWith("svg:") ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
      : document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else if (name === "text") el.textContent = String(value);
      else if (name === "checked" || name === "value" || name === "disabled" || name === "selected") el[name] = value;
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  function clear(el, ...children) {
    el.replaceChildren();
    return append(el, children);
  }

  let uid = 0;
  /** A labelled input: field(label, input) gives the input an id and its label a for. */
  function field(label, input, hint) {
    if (!input.id) input.id = "f" + (++uid);
    const inline = input.type === "checkbox";
    return h("div", {class: inline ? "field inline" : "field"},
      inline ? [input, h("label", {for: input.id, text: label})] : [h("label", {for: input.id, text: label}), input],
      hint ? h("div", {class: "muted", text: hint}) : null);
  }

  const locale = undefined; // the browser's own
  const number = (value, digits) => new Intl.NumberFormat(locale, {maximumFractionDigits: digits === undefined ? 6 : digits})
    .format(Number(value || 0));
  const credits = value => number(value, 6);
  /** 1 USD = 100 credits. */
  const usd = value => new Intl.NumberFormat(locale, {style: "currency", currency: "USD", maximumFractionDigits: 6})
    .format(Number(value || 0) / 100);
  const integer = value => new Intl.NumberFormat(locale, {maximumFractionDigits: 0}).format(Number(value || 0));
  const dateTime = iso => (iso ? new Date(iso).toLocaleString(locale) : "—");
  const date = iso => (iso ? new Date(iso).toLocaleDateString(locale) : "—");

  function notice(kind, text) {
    return h("div", {class: "notice " + kind, role: kind === "error" ? "alert" : "status", text});
  }

  /** Describes an API failure for a person: the server's message, or a generic one. */
  function errorText(error) {
    return error && error.message ? error.message : t("error.generic");
  }

  /** A modal dialog; resolves with what close(value) was given (undefined when dismissed). */
  function dialog(title, build) {
    return new Promise(resolve => {
      const body = h("div", {class: "dialog-body"});
      const box = h("dialog", {"aria-label": title}, body);
      let result;
      const close = value => { result = value; box.close(); };
      box.addEventListener("close", () => { box.remove(); resolve(result); });
      append(body, [h("h2", {text: title}), build(close)]);
      document.body.appendChild(box);
      box.showModal();
    });
  }

  function confirm(title, text, confirmLabel) {
    return dialog(title, close => h("div", {},
      h("p", {text}),
      h("div", {class: "dialog-actions"},
        h("button", {type: "button", text: t("action.cancel"), onclick: () => close(false)}),
        h("button", {type: "button", class: "danger", "data-test": "confirm", text: confirmLabel || t("action.confirm"),
          onclick: () => close(true)}))));
  }

  /** A one-time secret: shown once, with a copy button and the warning that it will not be shown again. */
  function showSecret(title, secret, warning) {
    return dialog(title, close => {
      const status = h("span", {class: "muted", role: "status"});
      return h("div", {},
        notice("warn", warning),
        h("div", {class: "secret"},
          h("code", {"data-test": "secret", text: secret}),
          h("button", {type: "button", class: "primary", "data-test": "copy", text: t("action.copy"), onclick: async () => {
            status.textContent = (await copy(secret)) ? t("copy.done") : t("copy.failed");
          }})),
        status,
        h("div", {class: "dialog-actions"},
          h("button", {type: "button", text: t("action.done"), "data-test": "done", onclick: () => close()})));
    });
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (e) {
      // Older browsers and non-secure origins: a selected textarea and the legacy command.
      const area = h("textarea", {"aria-hidden": "true", class: "offscreen"});
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const done = document.execCommand("copy");
      area.remove();
      return done;
    }
  }

  /** table(columns, rows): columns [{label, num?, cell(row) -> node|string}]. */
  function table(columns, rows, emptyText, foot) {
    const head = h("tr", {}, columns.map(c => h("th", {class: c.num ? "num" : null, scope: "col", text: c.label})));
    const body = rows.length ? rows.map(row => h("tr", {}, columns.map(c => h("td", {class: c.num ? "num" : null, "data-label": c.label}, c.cell(row)))))
      : [h("tr", {}, h("td", {colspan: columns.length, class: "empty", text: emptyText || t("table.empty")}))];
    return h("div", {class: "table-wrap"}, h("table", {}, h("thead", {}, head), h("tbody", {}, body),
      foot ? h("tfoot", {}, foot) : null));
  }

  function card(label, value, sub, test) {
    return h("div", {class: "card", "data-test": test},
      h("div", {class: "label", text: label}), h("div", {class: "value", text: value}), sub ? h("div", {class: "sub", text: sub}) : null);
  }

  function badge(text, kind) {
    return h("span", {class: "badge " + (kind || ""), text});
  }

  /** A random idempotency key made by the page, so a double click or a retry credits once. */
  function idempotencyKey(prefix) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return prefix + "-" + Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
  }

  /** A button that runs an async action once at a time and shows its failure in `where`. */
  function action(label, run, attrs) {
    const button = h("button", Object.assign({type: "button"}, attrs || {}), label);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try { await run(); } finally { button.disabled = false; }
    });
    return button;
  }

  return {t, h, append, clear, field, number, credits, usd, integer, dateTime, date, notice, errorText, dialog, confirm,
    showSecret, copy, table, card, badge, idempotencyKey, action};
})();
