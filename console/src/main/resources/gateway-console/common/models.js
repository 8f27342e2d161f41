/* The model market: the public catalog with prices in credits and USD, filters, and a detail view with snippets. */
"use strict";
const Market = (() => {
  const {t, h, clear} = UI;
  const TYPES = ["llm", "embedding", "text2image", "text2video"];

  async function render(main, me, params) {
    const catalog = await API.get("/api/models");
    const models = catalog.data;
    if (params && params[0]) {
      const model = models.find(m => m.id === params[0]);
      return model ? detail(main, model) : clear(main, UI.notice("error", t("market.unknown", params[0])));
    }
    const search = h("input", {type: "search", name: "q", placeholder: t("market.search.placeholder"), "data-test": "market-search"});
    const type = h("select", {name: "type"}, h("option", {value: "", text: t("market.allTypes")}),
      TYPES.map(v => h("option", {value: v, text: t("type." + v)})));
    const grid = h("div", {class: "market", "data-test": "market"});
    const count = h("p", {class: "muted", "aria-live": "polite"});
    const draw = () => {
      const q = search.value.trim().toLowerCase();
      const shown = models.filter(m => (!type.value || m.model_type === type.value) && (!q || m.id.toLowerCase().includes(q)
        || String(m.owned_by || "").toLowerCase().includes(q)));
      count.textContent = t("market.count", shown.length, models.length);
      clear(grid, shown.length ? shown.map(card) : h("p", {class: "empty", text: t("market.none")}));
    };
    search.addEventListener("input", draw);
    type.addEventListener("change", draw);
    clear(main, h("h1", {text: t("market.title")}), h("p", {class: "muted", text: t("market.intro")}),
      h("div", {class: "toolbar"}, h("div", {class: "grow"}, UI.field(t("market.search"), search)), UI.field(t("market.type"), type)),
      count, grid);
    draw();
  }

  function card(model) {
    return h("article", {class: "model-card", "data-model": model.id},
      h("h3", {}, h("a", {href: "#/models/" + encodeURIComponent(model.id), text: model.id})),
      h("div", {}, UI.badge(t("type." + model.model_type)),
        model.context_length ? UI.badge(t("market.context", UI.integer(model.context_length))) : null),
      prices(model));
  }

  /** Token models: per million tokens; image models: per image by size (and quality); video: per second by resolution. */
  function prices(model) {
    const p = model.pricing || {};
    const line = (label, credits) => h("div", {}, h("span", {class: "muted", text: label}),
      h("span", {text: t("market.price", UI.credits(credits), UI.usd(credits))}));
    if (p.per_image) {
      return h("div", {class: "prices"}, h("div", {class: "muted", text: t("market.perImage")}),
        Object.entries(p.per_image).flatMap(([size, v]) => typeof v === "object"
          ? Object.entries(v).map(([quality, c]) => line(size + " · " + quality, c)) : [line(size, v)]),
        allowList(t("market.ratios"), model.available_ratios));
    }
    if (p.per_second) {
      return h("div", {class: "prices"}, h("div", {class: "muted", text: t("market.perSecond")}),
        Object.entries(p.per_second).map(([resolution, c]) => line(resolution, c)),
        allowList(t("market.durations"), (model.available_durations || []).map(d => t("market.seconds", d))),
        allowList(t("market.ratios"), model.available_ratios));
    }
    return h("div", {class: "prices"}, h("div", {class: "muted", text: t("market.perMillion")}),
      line(t("market.input"), p.input_per_mtok),
      model.model_type === "embedding" ? null : line(t("market.output"), p.output_per_mtok),
      p.cache_read_per_mtok !== undefined && p.cache_read_per_mtok !== p.input_per_mtok ? line(t("market.cacheRead"), p.cache_read_per_mtok) : null);
  }

  function allowList(label, values) {
    return values && values.length ? h("div", {}, h("span", {class: "muted", text: label}), h("span", {text: values.join(", ")})) : null;
  }

  function detail(main, model) {
    const base = location.origin + "/v1";
    clear(main,
      h("p", {}, h("a", {href: "#/models", text: t("market.back")})),
      h("h1", {"data-test": "model-title", text: model.id}),
      h("div", {class: "panel"}, h("div", {}, UI.badge(t("type." + model.model_type)),
        model.context_length ? UI.badge(t("market.context", UI.integer(model.context_length))) : null,
        model.max_output_tokens ? UI.badge(t("market.maxOutput", UI.integer(model.max_output_tokens))) : null), prices(model)),
      h("h2", {text: t("market.snippets")}),
      h("p", {class: "muted", text: t("market.snippets.intro")}),
      snippets(model, base).map(([title, code]) => h("section", {},
        h("div", {class: "snippet-head"}, h("strong", {text: title}),
          h("button", {type: "button", class: "small", text: t("action.copy"), onclick: async event => {
            event.target.textContent = (await UI.copy(code)) ? t("copy.done") : t("copy.failed");
          }})),
        h("pre", {class: "snippet"}, h("code", {text: code})))));
  }

  function snippets(model, base) {
    const id = model.id;
    const origin = base.replace(/\/v1$/, "");
    if (model.model_type === "text2image") {
      return [["curl", `curl ${base}/images/generations \\\n  -H "Authorization: Bearer $GATEWAY_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": ${JSON.stringify(id)}, "prompt": "a lighthouse at dawn", "size": ${JSON.stringify((model.available_sizes || ["1024x1024"])[0])}}'`],
        ["Python (openai)", `import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url="${base}", api_key=os.environ["GATEWAY_API_KEY"])\nimage = client.images.generate(model=${JSON.stringify(id)}, prompt="a lighthouse at dawn")\nprint(image.data[0].url)`]];
    }
    if (model.model_type === "embedding") {
      return [["curl", `curl ${base}/embeddings \\\n  -H "Authorization: Bearer $GATEWAY_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": ${JSON.stringify(id)}, "input": "hello"}'`],
        ["Python (openai)", `import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url="${base}", api_key=os.environ["GATEWAY_API_KEY"])\nprint(client.embeddings.create(model=${JSON.stringify(id)}, input="hello").data[0].embedding[:4])`]];
    }
    return [
      ["curl", `curl ${base}/chat/completions \\\n  -H "Authorization: Bearer $GATEWAY_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '{"model": ${JSON.stringify(id)}, "messages": [{"role": "user", "content": "Hello"}]}'`],
      ["Python (openai)", `import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url="${base}", api_key=os.environ["GATEWAY_API_KEY"])\nanswer = client.chat.completions.create(\n    model=${JSON.stringify(id)},\n    messages=[{"role": "user", "content": "Hello"}],\n)\nprint(answer.choices[0].message.content)`],
      ["Node (openai)", `import OpenAI from "openai";\n\nconst client = new OpenAI({ baseURL: "${base}", apiKey: process.env.GATEWAY_API_KEY });\nconst answer = await client.chat.completions.create({\n  model: ${JSON.stringify(id)},\n  messages: [{ role: "user", content: "Hello" }],\n});\nconsole.log(answer.choices[0].message.content);`],
      ["Cursor", t("snippet.cursor", base, id)],
      ["Cline", t("snippet.cline", base, id)],
      ["Codex CLI (~/.codex/config.toml)", `model = ${JSON.stringify(id)}\nmodel_provider = "gateway"\n\n[model_providers.gateway]\nname = "gateway"\nbase_url = "${base}"\nenv_key = "GATEWAY_API_KEY"\nwire_api = "responses"`],
      ["Claude Code", `export ANTHROPIC_BASE_URL=${origin}\nexport ANTHROPIC_API_KEY=$GATEWAY_API_KEY\nexport ANTHROPIC_MODEL=${id}\nclaude`],
    ];
  }

  return {render};
})();
