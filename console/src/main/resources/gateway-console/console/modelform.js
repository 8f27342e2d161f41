/*
 * The operator's model editor: every catalog field of a model as a form field (routes as rows, allow-lists by type,
 * media prices as rows), the body it sends shown read-only as JSON. Fields it has no input for are kept as they were.
 */
"use strict";
const ModelForm = (() => {
  const {t, h, clear} = UI;
  const MODEL_TYPES = ["llm", "embedding", "text2image", "text2video"];
  /** What the form owns; anything else in the stored definition (owned_by, description, ...) is sent back unchanged. */
  const OWNED = ["alias", "type", "context_length", "listed", "enabled", "price", "routes", "available_sizes",
    "available_qualities", "max_n", "available_resolutions", "available_durations", "available_ratios"];

  const blank = v => (v === undefined || v === null ? "" : v);
  const list = v => (Array.isArray(v) ? v.join(", ") : "");
  const splitList = text => text.split(",").map(s => s.trim()).filter(Boolean);

  /** A table of editable rows: columns [{label, input(row) -> element}], rows added and removed by buttons. */
  function rowsEditor(test, columns, rows, emptyRow, addLabel, onChange) {
    const body = h("tbody");
    const add = row => {
      const inputs = columns.map(c => {
        const input = c.input(row);
        input.setAttribute("aria-label", c.label);
        return input;
      });
      const tr = h("tr", {}, inputs.map((input, i) => h("td", {"data-label": columns[i].label, class: columns[i].cls || null}, input)),
        h("td", {}, h("button", {type: "button", class: "small", "data-test": "remove-row", text: t("models.row.remove"),
          onclick: () => { tr.remove(); onChange(); }})));
      tr.inputs = inputs;
      tr.row = row;
      body.appendChild(tr);
    };
    rows.forEach(add);
    const addButton = h("button", {type: "button", class: "small", "data-test": "add-" + test, text: addLabel,
      onclick: () => { add(emptyRow()); onChange(); body.lastChild.inputs[0].focus(); }});
    const element = h("div", {class: "rows-editor", "data-test": test},
      h("div", {class: "table-wrap"}, h("table", {}, h("thead", {}, h("tr", {},
        columns.map(c => h("th", {scope: "col", class: c.cls || null, text: c.label})), h("th", {scope: "col", text: t("channels.actions")}))), body)),
      addButton);
    return {element, values: () => Array.from(body.children).map(tr => tr.inputs.map(i => i.value.trim())),
      rows: () => Array.from(body.children).map(tr => tr.row)};
  }

  /** {"1024x1024": 4, "1536x1024": {"hd": 8}} as rows ["1024x1024", 4], ["1536x1024/hd", 8]. */
  function priceRows(prices) {
    const rows = [];
    Object.entries(prices || {}).forEach(([key, value]) => {
      if (value !== null && typeof value === "object") Object.entries(value).forEach(([q, v]) => rows.push([key + "/" + q, v]));
      else rows.push([key, value]);
    });
    return rows;
  }

  /** The rows back as the catalog's nested form; a size priced both whole and per quality is refused. */
  function nestedPrices(rows) {
    const prices = {};
    for (const [key, credits] of rows.filter(r => r[0] || r[1])) {
      const slash = key.indexOf("/");
      if (slash < 0) {
        if (typeof prices[key] === "object") throw new Error(t("models.media.mixed", key));
        prices[key] = credits;
      } else {
        const size = key.slice(0, slash);
        if (prices[size] !== undefined && typeof prices[size] !== "object") throw new Error(t("models.media.mixed", size));
        prices[size] = Object.assign(prices[size] || {}, {[key.slice(slash + 1)]: credits});
      }
    }
    return prices;
  }

  function open(model, channelList, done) {
    const creating = !model;
    const m = model || {type: "llm", listed: true, enabled: true, price: {input_per_mtok: 0, output_per_mtok: 0}, routes: []};
    return UI.dialog(creating ? t("models.new") : t("models.edit", m.alias), close => {
      const price = m.price || {};
      const num = (name, value, attrs) => h("input", Object.assign({type: "number", name, step: "any", min: 0, value: blank(value)}, attrs || {}));
      const text = (name, value, attrs) => h("input", Object.assign({type: "text", name, value: blank(value)}, attrs || {}));
      const alias = text("alias", m.alias, {required: true, readonly: !creating});
      const type = h("select", {name: "type"}, MODEL_TYPES.map(v => h("option", {value: v, text: v, selected: m.type === v})));
      const context = num("context_length", m.context_length, {min: 1, step: 1});
      const input = num("input_per_mtok", price.input_per_mtok);
      const output = num("output_per_mtok", price.output_per_mtok);
      const cacheRead = num("cache_read_per_mtok", price.cache_read_per_mtok, {placeholder: t("models.cache.default")});
      const cacheWrite = num("cache_write_per_mtok", price.cache_write_per_mtok, {placeholder: t("models.cache.default")});
      const sizes = text("available_sizes", list(m.available_sizes), {placeholder: "1024x1024, 1536x1024"});
      const qualities = text("available_qualities", list(m.available_qualities), {placeholder: "standard, hd"});
      const maxN = num("max_n", m.max_n, {min: 1, max: 128, step: 1});
      const resolutions = text("available_resolutions", list(m.available_resolutions), {placeholder: "720P, 1080P"});
      const durations = text("available_durations", list(m.available_durations), {placeholder: "5, 10"});
      const ratios = text("available_ratios", list(m.available_ratios), {placeholder: "16:9, 9:16"});
      const listed = h("input", {type: "checkbox", name: "listed", checked: m.listed !== false});
      const enabled = h("input", {type: "checkbox", name: "enabled", checked: m.enabled !== false});
      const preview = h("pre", {class: "json-preview", "data-test": "model-json"});
      const status = h("div", {"aria-live": "polite", "data-test": "model-status"});
      const changed = () => refresh();
      const contextField = UI.field(t("models.context"), context);

      const channelSelect = r => h("select", {name: "channel"}, h("option", {value: "", text: t("models.route.channel.choose")}),
        channelList.map(c => h("option", {value: c.name, text: c.name, selected: r.channel === c.name})));
      const routes = rowsEditor("routes", [
        {label: t("models.route.channel"), input: channelSelect},
        {label: t("models.upstream"), input: r => text("upstream_model", r.model, {placeholder: t("models.upstream.hint")})},
        {label: t("channels.priority"), input: r => num("route_priority", r.priority, {min: null, step: 1, placeholder: t("models.route.inherit")})},
        {label: t("channels.weight"), input: r => num("route_weight", r.weight, {step: 1, placeholder: t("models.route.inherit")})},
        // what the provider charges (credits per million tokens); blank: unknown. Media routes keep theirs as stored.
        {label: t("models.route.costInput"), cls: "token-cost", input: r => num("route_cost_input", r.cost && r.cost.input_per_mtok, {placeholder: t("models.route.costUnknown")})},
        {label: t("models.route.costOutput"), cls: "token-cost", input: r => num("route_cost_output", r.cost && r.cost.output_per_mtok, {placeholder: t("models.route.costUnknown")})},
      ], (m.routes && m.routes.length ? m.routes : creating && channelList.length ? [{}] : []), () => ({}),
        t("models.route.add"), changed);
      const imagePrices = rowsEditor("image-prices", [
        {label: t("models.media.size"), input: r => text("price_size", r[0], {placeholder: "1024x1024 or 1024x1024/hd"})},
        {label: t("models.media.perImage"), input: r => num("price_per_image", r[1])},
      ], priceRows(price.per_image), () => ["", ""], t("models.media.add"), changed);
      const videoPrices = rowsEditor("video-prices", [
        {label: t("models.media.resolution"), input: r => text("price_resolution", r[0], {placeholder: "720P"})},
        {label: t("models.media.perSecond"), input: r => num("price_per_second", r[1])},
      ], priceRows(price.per_second), () => ["", ""], t("models.media.add"), changed);

      const tokenPart = h("fieldset", {"data-test": "token-prices"}, h("legend", {text: t("models.prices.tokens")}),
        h("div", {class: "grid2"}, UI.field(t("models.input"), input), UI.field(t("models.output"), output)),
        h("div", {class: "grid2"}, UI.field(t("models.cacheRead"), cacheRead), UI.field(t("models.cacheWrite"), cacheWrite)));
      const imagePart = h("fieldset", {"data-test": "image-options"}, h("legend", {text: t("models.image.legend")}),
        h("div", {class: "grid2"}, UI.field(t("models.sizes"), sizes, t("models.list.hint")),
          UI.field(t("models.qualities"), qualities, t("models.qualities.hint"))),
        UI.field(t("models.maxN"), maxN), h("h3", {text: t("models.media.perImage.title")}), imagePrices.element);
      const videoPart = h("fieldset", {"data-test": "video-options"}, h("legend", {text: t("models.video.legend")}),
        h("div", {class: "grid2"}, UI.field(t("models.resolutions"), resolutions, t("models.list.hint")),
          UI.field(t("models.durations"), durations, t("models.durations.hint"))),
        UI.field(t("models.ratios"), ratios, t("models.list.hint")),
        h("h3", {text: t("models.media.perSecond.title")}), videoPrices.element);

      /** The definition the form describes; throws an Error whose message is for the operator. */
      function body() {
        const b = {};
        Object.entries(m).forEach(([k, v]) => { if (!OWNED.includes(k)) b[k] = v; });
        b.type = type.value;
        const media = type.value === "text2image" || type.value === "text2video";
        if (context.value && !media) b.context_length = Number(context.value);
        b.listed = listed.checked;
        b.enabled = enabled.checked;
        const stored = routes.rows();
        b.routes = routes.values().map((v, i) => [v, stored[i] || {}]).filter(([r]) => r[0] || r[1])
          .map(([[channel, upstream, priority, weight, costInput, costOutput], before]) => {
            if (!channel) throw new Error(t("models.route.channel.missing"));
            const route = {channel, model: upstream || alias.value.trim()};
            if (priority !== "") route.priority = Number(priority);
            if (weight !== "") route.weight = Number(weight);
            if (media) {
              if (before.cost) route.cost = before.cost;
            } else if (costInput !== "" || costOutput !== "") {
              route.cost = {input_per_mtok: costInput || "0", output_per_mtok: costOutput || "0"};
              // cache prices the form has no input for are kept, unless they only echoed the old input price
              const old = before.cost || {};
              ["cache_read_per_mtok", "cache_write_per_mtok"].forEach(k => {
                if (old[k] !== undefined && String(old[k]) !== String(old.input_per_mtok)) route.cost[k] = old[k];
              });
            }
            return route;
          });
        if (type.value === "llm" || type.value === "embedding") {
          b.price = {input_per_mtok: input.value || "0", output_per_mtok: output.value || "0"};
          if (cacheRead.value) b.price.cache_read_per_mtok = cacheRead.value;
          if (cacheWrite.value) b.price.cache_write_per_mtok = cacheWrite.value;
        } else if (type.value === "text2image") {
          b.price = {per_image: nestedPrices(imagePrices.values())};
          if (sizes.value.trim()) b.available_sizes = splitList(sizes.value);
          if (qualities.value.trim()) b.available_qualities = splitList(qualities.value);
          if (maxN.value) b.max_n = Number(maxN.value);
        } else {
          b.price = {per_second: nestedPrices(videoPrices.values())};
          if (resolutions.value.trim()) b.available_resolutions = splitList(resolutions.value);
          if (durations.value.trim()) b.available_durations = splitList(durations.value).map(Number);
          if (ratios.value.trim()) b.available_ratios = splitList(ratios.value);
        }
        if (m.free === true && b.price && !Object.keys(b.price).some(k => b.price[k] && b.price[k] !== "0")) delete b.price;
        return b;
      }

      function refresh() {
        const media = type.value === "text2image" || type.value === "text2video";
        tokenPart.classList.toggle("hidden", media);
        form.querySelectorAll(".token-cost").forEach(el => el.classList.toggle("hidden", media));
        contextField.classList.toggle("hidden", media);
        imagePart.classList.toggle("hidden", type.value !== "text2image");
        videoPart.classList.toggle("hidden", type.value !== "text2video");
        try { preview.textContent = JSON.stringify(body(), null, 2); } catch (e) { preview.textContent = e.message; }
      }

      /** The API's 400 names the field: the message goes at the top and beside that field's inputs. */
      function clearErrors() {
        form.querySelectorAll("[aria-invalid]").forEach(el => el.removeAttribute("aria-invalid"));
        form.querySelectorAll(".field-error").forEach(el => el.remove());
        form.querySelectorAll("[aria-describedby='model-error']").forEach(el => el.removeAttribute("aria-describedby"));
        clear(status);
      }

      function showError(e) {
        clearErrors();
        clear(status, UI.notice("error", UI.errorText(e)));
        const param = e && e.param ? String(e.param) : "";
        const target = param === "price" ? form.querySelector(type.value === "text2image" ? "[data-test=image-prices]"
          : type.value === "text2video" ? "[data-test=video-prices]" : "[data-test=token-prices]")
          : param ? form.querySelector("[name='" + param.replace(/[^A-Za-z0-9_]/g, "") + "'], [data-test='" + param.replace(/[^A-Za-z0-9_-]/g, "") + "']") : null;
        if (target) {
          target.setAttribute("aria-invalid", "true");
          const message = h("div", {class: "field-error", id: "model-error", role: "alert", text: UI.errorText(e)});
          target.after(message);
          // keyboard and screen-reader users land on the field the API named, its message read with it
          const focusable = target.matches("input, select") ? target : target.querySelector("input, select");
          if (focusable) {
            focusable.setAttribute("aria-describedby", "model-error");
            focusable.focus();
          }
        }
      }

      const form = h("form", {"data-test": "model-form"}, status,
        h("div", {class: "grid2"}, UI.field(t("models.alias"), alias, t("models.alias.hint")), UI.field(t("models.type"), type)),
        contextField,
        h("fieldset", {}, h("legend", {text: t("models.routes")}), routes.element),
        tokenPart, imagePart, videoPart,
        h("div", {class: "grid2"}, UI.field(t("models.listed.long"), listed), UI.field(t("models.enabled"), enabled)),
        h("details", {}, h("summary", {text: t("models.json.preview")}), preview),
        h("div", {class: "dialog-actions"}, h("button", {type: "button", text: t("action.cancel"), onclick: () => close()}),
          h("button", {type: "submit", class: "primary", text: t("action.save")})));
      // An edit makes the last refusal stale: it goes, the preview follows the form.
      const edited = () => { clearErrors(); refresh(); };
      form.addEventListener("input", edited);
      form.addEventListener("change", edited);
      form.addEventListener("submit", async event => {
        event.preventDefault();
        let definition;
        try { definition = body(); } catch (e) { showError(e); return; }
        try {
          await API.put("/admin/models/" + encodeURIComponent(alias.value.trim()), definition);
          close();
          done();
        } catch (e) { showError(e); }
      });
      refresh();
      return form;
    });
  }

  return {open};
})();
