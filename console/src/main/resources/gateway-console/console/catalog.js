/* The operator's catalog: channels (API key write-only) and models, read and written through /admin. */
"use strict";
const Catalog = (() => {
  const {t, h, clear} = UI;
  const CHANNEL_TYPES = ["openai", "anthropic", "gemini"];

  async function channels(main, me) {
    const [list, health, recent] = await Promise.all([API.get("/admin/channels"), API.get("/admin/channel-breakers"),
      API.get("/admin/reports/channels").catch(() => null)]);
    const breakers = new Map(health.data.map(b => [b.name, b.state]));
    const traffic = new Map(recent ? recent.data.map(r => [r.channel, r]) : []);
    const status = h("div", {"aria-live": "polite"});
    const again = () => channels(main, me);
    const canWrite = me.user.role === "admin";
    clear(main,
      h("div", {class: "toolbar"}, h("h1", {class: "grow", text: t("channels.title")}),
        canWrite ? h("button", {type: "button", class: "primary", "data-test": "new-channel", text: t("channels.new"),
          onclick: () => editChannel(null, again)}) : null),
      status,
      UI.table([
        {label: t("channels.name"), cell: c => c.name},
        {label: t("channels.typeSpeaks"), cell: c => h("span", {}, c.type, h("br"), h("span", {class: "muted",
          text: (c.wire_api || "chat") + (c.stream_only ? " · " + t("channels.streamOnly").toLowerCase() : "")}))},
        {label: t("channels.baseUrl"), cell: c => h("code", {class: "url", text: c.base_url})},
        {label: t("channels.apiKey"), cell: c => c.api_key_set ? UI.badge(t("channels.key.set"), "ok") : UI.badge(t("channels.key.unset"), "warn")},
        {label: t("channels.priorityWeight"), num: true, cell: c => c.priority + " / " + c.weight},
        {label: t("channels.status"), cell: c => c.enabled === false ? UI.badge(t("status.disabled"), "off") : UI.badge(t("status.enabled"), "ok")},
        {label: t("channels.breaker"), cell: c => breakers.get(c.name) ? UI.badge(t("breaker." + breakers.get(c.name)),
          breakers.get(c.name) === "closed" ? "ok" : breakers.get(c.name) === "open" ? "off" : "warn") : "—"},
        {label: t("channels.errors"), num: true, cell: c => recent ? errorRate(traffic.get(c.name)) : "—"},
        {label: t("channels.test.column"), cell: c => canWrite ? testButton(c) : "—"},
        {label: t("channels.actions"), cell: c => canWrite ? h("div", {class: "actions"},
          h("button", {type: "button", class: "small", text: t("action.edit"), onclick: () => editChannel(c, again)}),
          UI.action(c.enabled === false ? t("action.enable") : t("action.disable"), async () => {
            try {
              await API.put("/admin/channels/" + encodeURIComponent(c.name), withoutView(Object.assign({}, c, {enabled: c.enabled === false}))) ;
              again();
            } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
          }, {class: "small"})) : "—"},
      ], list.data, t("channels.none")),
      h("p", {class: "muted", text: t("channels.note")}));
  }

  /** The last hour's failed share of a channel's requests, from billing's usage rows. */
  function errorRate(r) {
    if (!r || !r.requests) return h("span", {class: "muted", text: t("channels.errors.none")});
    const share = r.failed_requests / r.requests;
    return h("span", {class: "rate", "data-test": "error-rate"},
      UI.badge(UI.number(share * 100, 1) + " %", share === 0 ? "ok" : share < 0.1 ? "warn" : "off"),
      h("span", {class: "muted", text: t("channels.errors.of", UI.integer(r.failed_requests), UI.integer(r.requests))}));
  }

  /** Sends one tiny request to the channel (POST /admin/channels/{name}/test) and shows the outcome beside the button. */
  function testButton(c) {
    const result = h("span", {class: "test-result", "data-test": "test-result", "aria-live": "polite"});
    const button = UI.action(t("channels.test"), async () => {
      clear(result, h("span", {class: "muted", text: t("channels.test.running")}));
      try {
        const r = await API.post("/admin/channels/" + encodeURIComponent(c.name) + "/test", {});
        clear(result, r.ok ? UI.badge(t("channels.test.ok", UI.integer(r.latency_ms)), "ok")
          : UI.badge(t("channels.test.failed", r.status || "—", UI.integer(r.latency_ms)), "off"),
          r.ok ? null : h("span", {class: "test-error", title: r.error || "", text: shorten(r.error || "", 90)}));
        result.title = t("channels.test.model", r.model);
      } catch (e) { clear(result, UI.badge(UI.errorText(e), "off")); }
    }, {class: "small", "data-test": "test-channel"});
    return h("span", {class: "test"}, button, result);
  }

  function shorten(text, max) {
    return text.length <= max ? text : text.slice(0, max - 1) + "…";
  }

  /** The view as it can be sent back: the masked settings are restored by the catalog; api_key absent keeps the stored one. */
  function withoutView(view) {
    const body = Object.assign({}, view);
    delete body.api_key_set;
    delete body.name;
    return body;
  }

  function editChannel(channel, done) {
    const creating = !channel;
    const c = channel || {type: "openai", priority: 0, weight: 1, enabled: true, settings: {}};
    return UI.dialog(creating ? t("channels.new") : t("channels.edit", c.name), close => {
      const name = h("input", {type: "text", name: "name", required: true, value: c.name || "", readonly: !creating, pattern: "[A-Za-z0-9._-]+"});
      const type = h("select", {name: "type"}, CHANNEL_TYPES.map(v => h("option", {value: v, text: v, selected: c.type === v})));
      const baseUrl = h("input", {type: "url", name: "base_url", required: true, value: c.base_url || ""});
      const apiKey = h("input", {type: "password", name: "api_key", autocomplete: "off",
        placeholder: c.api_key_set ? t("channels.key.keep") : ""});
      const responses = h("input", {type: "checkbox", name: "wire_api", checked: c.wire_api === "responses"});
      const streamOnly = h("input", {type: "checkbox", name: "stream_only", checked: !!c.stream_only});
      const priority = h("input", {type: "number", name: "priority", value: c.priority === undefined ? 0 : c.priority, step: 1});
      const weight = h("input", {type: "number", name: "weight", value: c.weight === undefined ? 1 : c.weight, min: 0, step: 1});
      const enabled = h("input", {type: "checkbox", name: "enabled", checked: c.enabled !== false});
      const settings = h("textarea", {name: "settings", spellcheck: "false"});
      settings.value = JSON.stringify(c.settings || {}, null, 2);
      const status = h("div", {"aria-live": "polite"});
      const form = h("form", {"data-test": "channel-form"}, status,
        h("div", {class: "grid2"}, UI.field(t("channels.name"), name), UI.field(t("channels.type"), type)),
        UI.field(t("channels.baseUrl"), baseUrl),
        UI.field(t("channels.apiKey"), apiKey, c.api_key_set ? t("channels.key.hintSet") : t("channels.key.hint")),
        UI.field(t("channels.responses"), responses),
        UI.field(t("channels.streamOnly.long"), streamOnly),
        h("div", {class: "grid2"}, UI.field(t("channels.priority"), priority), UI.field(t("channels.weight"), weight)),
        UI.field(t("channels.enabled"), enabled),
        UI.field(t("channels.settings"), settings, t("channels.settings.hint")),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("action.save")})));
      form.addEventListener("submit", async event => {
        event.preventDefault();
        let extra;
        try { extra = JSON.parse(settings.value || "{}"); } catch (e) {
          clear(status, UI.notice("error", t("json.invalid", t("channels.settings"))));
          return;
        }
        const body = {type: type.value, base_url: baseUrl.value.trim(), priority: Number(priority.value), weight: Number(weight.value),
          stream_only: streamOnly.checked, wire_api: responses.checked ? "responses" : "chat", enabled: enabled.checked, settings: extra};
        if (apiKey.value) body.api_key = apiKey.value;
        try {
          await API.put("/admin/channels/" + encodeURIComponent(name.value.trim()), body);
          apiKey.value = "";
          close();
          done();
        } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
      });
      return form;
    });
  }

  async function models(main, me) {
    const [list, chans] = await Promise.all([API.get("/admin/models"), API.get("/admin/channels")]);
    const again = () => models(main, me);
    const canWrite = me.user.role === "admin";
    const search = h("input", {type: "search", placeholder: t("models.search")});
    const body = h("div");
    const draw = () => {
      const q = search.value.trim().toLowerCase();
      clear(body, UI.table([
        {label: t("models.alias"), cell: m => m.alias},
        {label: t("models.type"), cell: m => m.type},
        {label: t("models.price"), cell: m => priceText(m)},
        {label: t("models.context"), num: true, cell: m => m.context_length ? UI.integer(m.context_length) : "—"},
        {label: t("models.routes"), cell: m => (m.routes || []).map(r => UI.badge(routeText(r)))},
        {label: t("models.visibility"), cell: m => (m.enabled === false ? UI.badge(t("status.disabled"), "off")
          : m.listed === false ? UI.badge(t("models.hidden"), "warn") : UI.badge(t("models.listed"), "ok"))},
        {label: t("channels.actions"), cell: m => canWrite ? h("button", {type: "button", class: "small", text: t("action.edit"),
          onclick: () => ModelForm.open(m, chans.data, again)}) : "—"},
      ], list.data.filter(m => !q || m.alias.toLowerCase().includes(q)), t("models.none")));
    };
    search.addEventListener("input", draw);
    clear(main, h("div", {class: "toolbar"}, h("h1", {class: "grow", text: t("models.title")}),
      canWrite ? h("button", {type: "button", class: "primary", "data-test": "new-model", text: t("models.new"),
        onclick: () => ModelForm.open(null, chans.data, again)}) : null),
      h("div", {class: "toolbar"}, UI.field(t("models.search"), search)), body);
    draw();
  }

  function routeText(r) {
    const extra = [r.priority === null || r.priority === undefined ? null : t("models.route.priority", r.priority),
      r.weight === null || r.weight === undefined ? null : t("models.route.weight", r.weight)].filter(Boolean);
    return r.channel + " → " + r.model + (extra.length ? " (" + extra.join(", ") + ")" : "");
  }

  function priceText(m) {
    const p = m.price || {};
    if (p.per_image) return t("models.price.image", Object.keys(p.per_image).length);
    if (p.per_second) return t("models.price.video", Object.keys(p.per_second).length);
    return t("models.price.tokens", UI.credits(p.input_per_mtok), UI.credits(p.output_per_mtok));
  }

  return {channels, models};
})();
