/* The customer's API keys: the table, create (models by a searchable multi-select), regenerate, disable, delete. */
"use strict";
const Keys = (() => {
  const {t, h, clear} = UI;
  const LIMITS = ["rpm", "rph", "rpd", "tpm", "concurrency"];
  /** Keys come a page at a time, newest first (keyset: the ids below the last one shown). */
  const PAGE = 100;

  async function render(main, me, params, search) {
    const since = new Date(Date.now() - 30 * 86400000).toISOString();
    const q = search || undefined;
    const [keys, catalog, account, use] = await Promise.all([API.get("/api/keys" + API.query({limit: PAGE, q})),
      API.get("/api/models"),
      API.get("/api/account"), API.get("/api/usage/totals" + API.query({group_by: "key", from: since}))]);
    // Last used comes with each key (its newest usage row); the last 30 days' requests and spend say how much.
    const used = new Map(use.data.map(r => [Number(r.key_id), r]));
    const allowed = allowedModels(catalog.data.map(m => m.id), account.models || ["*"]);
    const status = h("div", {"aria-live": "polite"});
    const rerender = () => render(main, me, params, search);
    let rows = keys.data;
    const list = h("div");
    const more = h("button", {type: "button", "data-test": "more-keys", text: t("usage.more")});
    const draw = () => {
      more.classList.toggle("hidden", rows.length % PAGE !== 0 || rows.length === 0);
      clear(list, table(rows));
    };
    more.addEventListener("click", async () => {
      try {
        const page = await API.get("/api/keys" + API.query({limit: PAGE, before_id: rows[rows.length - 1].id, q}));
        rows = rows.concat(page.data);
        if (page.data.length < PAGE) more.classList.add("hidden");
        clear(list, table(rows));
      } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
    });
    const table = shown => UI.table([
      {label: t("keys.name"), cell: k => k.name},
      {label: t("keys.prefix"), cell: k => h("code", {text: k.prefix.endsWith("…") ? k.prefix : k.prefix + "…"})},
      {label: t("keys.models"), cell: k => (k.models || []).map(m => UI.badge(m))},
      {label: t("keys.limits"), cell: k => limitsText(k)},
      {label: t("keys.created"), cell: k => UI.dateTime(k.created_at)},
      {label: t("keys.lastUsed"), cell: k => k.last_used_at
        ? h("time", {datetime: k.last_used_at, "data-test": "last-used", text: UI.dateTime(k.last_used_at)})
        : h("span", {class: "muted", "data-test": "last-used", text: t("keys.neverUsed")})},
      {label: t("keys.used30"), num: true, cell: k => used.has(k.id)
        ? t("keys.used30.value", UI.integer(used.get(k.id).requests), UI.credits(used.get(k.id).cost_credits)) : "—"},
      {label: t("keys.expires"), cell: k => UI.dateTime(k.expires_at)},
      {label: t("keys.status"), cell: k => k.disabled ? UI.badge(t("status.disabled"), "off") : UI.badge(t("status.active"), "ok")},
      {label: t("keys.actions"), cell: k => actions(k, status, rerender, allowed)},
    ], shown, t("keys.none"));
    clear(main,
      h("div", {class: "toolbar"},
        h("h1", {class: "grow", text: t("keys.title")}),
        h("button", {type: "button", class: "primary", "data-test": "create-key", text: t("keys.create"),
          onclick: () => create(allowed, rerender)})),
      searchForm(main, me, params, search), status, list, h("p", {}, more));
    draw();
  }

  /** Searches names and prefixes on the server (the account may hold many thousands of keys). */
  function searchForm(main, me, params, search) {
    const box = h("input", {type: "search", name: "q", maxlength: "100", "data-test": "key-search",
      placeholder: t("keys.search.placeholder")});
    box.value = search || "";
    const form = h("form", {class: "toolbar panel", "data-test": "key-search-form"}, UI.field(t("keys.search"), box),
      h("div", {class: "field actions"}, h("button", {type: "submit", text: t("keys.search.apply")})));
    form.addEventListener("submit", event => {
      event.preventDefault();
      render(main, me, params, box.value.trim());
    });
    return form;
  }

  /** The catalog's models the account may give its keys (its list may hold patterns such as "gpt-*"). */
  function allowedModels(ids, patterns) {
    const matchers = patterns.map(p => new RegExp("^" + p.split("*").map(s => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$"));
    return ids.filter(id => matchers.some(m => m.test(id)));
  }

  function limitsText(key) {
    const parts = LIMITS.filter(l => key[l] !== undefined && key[l] !== null).map(l => t("limit." + l) + " " + UI.integer(key[l]));
    return parts.length ? parts.join(", ") : h("span", {class: "muted", text: t("keys.noLimits")});
  }

  function actions(key, status, rerender, allowed) {
    const fail = e => clear(status, UI.notice("error", UI.errorText(e)));
    return h("div", {class: "actions"},
      h("button", {type: "button", class: "small", text: t("action.edit"), onclick: () => form(allowed, rerender, key)}),
      UI.action(t("keys.regenerate"), async () => {
        if (!(await UI.confirm(t("keys.regenerate.title"), t("keys.regenerate.text", key.name), t("keys.regenerate")))) return;
        try {
          const made = await API.post("/api/keys/" + key.id + "/regenerate");
          await UI.showSecret(t("keys.secret.title"), made.key, t("keys.secret.warning"));
          rerender();
        } catch (e) { fail(e); }
      }, {class: "small"}),
      UI.action(key.disabled ? t("action.enable") : t("action.disable"), async () => {
        try {
          await API.patch("/api/keys/" + key.id, {disabled: !key.disabled});
          rerender();
        } catch (e) { fail(e); }
      }, {class: "small"}),
      UI.action(t("action.delete"), async () => {
        if (!(await UI.confirm(t("keys.delete.title"), t("keys.delete.text", key.name), t("action.delete")))) return;
        try {
          await API.del("/api/keys/" + key.id);
          rerender();
        } catch (e) { fail(e); }
      }, {class: "small danger"}));
  }

  function create(allowed, rerender) {
    return form(allowed, rerender, null);
  }

  /** The create form, or with `key` the edit form (PATCH of what changed; the secret stays as it is). */
  function form(allowed, rerender, key) {
    return UI.dialog(key ? t("keys.edit", key.name) : t("keys.create"), close => {
      const name = h("input", {type: "text", name: "name", required: true, maxlength: 100, value: key ? key.name : ""});
      const models = multiSelect(key ? [...new Set(allowed.concat(key.models))] : allowed, t("keys.models.search"),
        key ? key.models : []);
      const expires = h("input", {type: "date", name: "expires", value: key && key.expires_at ? key.expires_at.slice(0, 10) : ""});
      const limits = LIMITS.map(l => h("input", {type: "number", min: 0, step: 1, name: l, inputmode: "numeric",
        value: key && key[l] !== undefined && key[l] !== null ? key[l] : ""}));
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {"data-test": "key-form"},
        status,
        UI.field(t("keys.name"), name),
        h("div", {class: "field"}, h("label", {for: models.inputId, text: t("keys.models")}), models.element),
        UI.field(t("keys.expires"), expires, t("keys.expires.hint")),
        h("div", {class: "grid2"}, limits.map((input, i) => UI.field(t("limit." + LIMITS[i] + ".long"), input))),
        h("div", {class: "dialog-actions"},
          h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: key ? t("action.save") : t("keys.create.submit")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        if (!models.selected().length) {
          clear(status, UI.notice("error", t("keys.models.required")));
          return;
        }
        const body = {name: name.value.trim(), models: models.selected()};
        if (expires.value) body.expires_at = new Date(expires.value + "T23:59:59").toISOString();
        else if (key && key.expires_at) body.expires_at = null;
        limits.forEach((input, i) => {
          if (input.value !== "") body[LIMITS[i]] = Number(input.value);
          else if (key && key[LIMITS[i]] !== undefined && key[LIMITS[i]] !== null) body[LIMITS[i]] = null;
        });
        try {
          if (key) {
            await API.patch("/api/keys/" + key.id, body);
            close();
            rerender();
            return;
          }
          const made = await API.post("/api/keys", body);
          close();
          await UI.showSecret(t("keys.secret.title"), made.key, t("keys.secret.warning"));
          rerender();
        } catch (e) {
          clear(status, UI.notice("error", UI.errorText(e)));
        }
      });
      setTimeout(() => name.focus(), 0);
      return form;
    });
  }

  /** A searchable list of checkboxes with the chosen ones as removable chips above it. */
  function multiSelect(options, placeholder, initial) {
    const chosen = new Set();
    const search = h("input", {type: "search", placeholder, "aria-label": placeholder, "data-test": "model-search"});
    const chips = h("div", {class: "chosen", "aria-live": "polite"});
    const list = h("ul", {role: "listbox", "aria-multiselectable": "true"});
    const boxes = new Map();
    const redraw = () => {
      clear(chips, chosen.size ? [...chosen].map(id => h("button", {type: "button", class: "small",
        "aria-label": t("multiselect.remove", id), onclick: () => toggle(id, false)}, id + " ×"))
        : h("span", {class: "muted", text: t("multiselect.none")}));
    };
    const toggle = (id, on) => {
      if (on) chosen.add(id); else chosen.delete(id);
      boxes.get(id).checked = on;
      redraw();
    };
    for (const id of options) {
      const box = h("input", {type: "checkbox", value: id, id: "ms-" + id.replace(/[^a-zA-Z0-9_-]/g, "_"),
        onchange: event => toggle(id, event.target.checked)});
      boxes.set(id, box);
      list.appendChild(h("li", {"data-model": id}, box, h("label", {for: box.id, text: id})));
    }
    if (!options.length) list.appendChild(h("li", {class: "muted", text: t("multiselect.empty")}));
    search.addEventListener("input", () => {
      const q = search.value.trim().toLowerCase();
      for (const li of list.children) if (li.dataset.model) li.classList.toggle("hidden", !li.dataset.model.toLowerCase().includes(q));
    });
    search.id = "ms-search-" + Math.random().toString(36).slice(2);
    (initial || []).forEach(id => { if (boxes.has(id)) toggle(id, true); });
    redraw();
    return {element: h("div", {class: "multiselect"}, chips, search, list), selected: () => [...chosen], inputId: search.id};
  }

  return {render, multiSelect, allowedModels};
})();
