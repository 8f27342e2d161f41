/* The customer's media: video jobs (keyset-paged from /api/videos) and recent image requests from usage rows. */
"use strict";
const Media = (() => {
  const {t, h, clear} = UI;
  const PAGE = 20;
  /** Image requests per image model: one indexed usage query each, for at most this many image models. */
  const IMAGES_PER_MODEL = 10;
  const MAX_IMAGE_MODELS = 5;

  async function render(main) {
    const [keys, catalog, first] = await Promise.all([API.get("/api/keys?limit=1000"), API.get("/api/models"),
      API.get("/api/videos" + API.query({limit: PAGE}))]);
    const names = new Map(keys.data.map(k => [k.id, k.name]));
    let videos = first.data;
    const list = h("div");
    const more = h("button", {type: "button", "data-test": "more-videos", text: t("usage.more")});
    const status = h("div", {"aria-live": "polite"});
    const draw = (page) => {
      more.classList.toggle("hidden", !page.has_more);
      clear(list, videoTable(videos));
    };
    more.addEventListener("click", async () => {
      try {
        const page = await API.get("/api/videos" + API.query({limit: PAGE, after: videos[videos.length - 1].id}));
        videos = videos.concat(page.data);
        draw(page);
      } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
    });
    const images = h("div", {"data-test": "images"});
    clear(main, h("h1", {text: t("media.title")}), status,
      h("h2", {text: t("media.videos")}), list, h("p", {}, more),
      h("h2", {text: t("media.images")}), images);
    draw(first);
    const imageModels = catalog.data.filter(m => m.model_type === "text2image").map(m => m.id);
    await imageRequests(images, imageModels.slice(0, MAX_IMAGE_MODELS), names);
  }

  function videoTable(videos) {
    return UI.table([
      {label: t("media.created"), cell: v => UI.dateTime(new Date(v.created_at * 1000).toISOString())},
      {label: t("media.model"), cell: v => v.model},
      {label: t("media.prompt"), cell: v => h("span", {class: "prompt", title: v.prompt || "", text: v.prompt || "—"})},
      {label: t("media.status"), cell: v => statusBadge(v)},
      {label: t("media.seconds"), num: true, cell: v => UI.integer(v.seconds)},
      {label: t("media.resolution"), cell: v => v.resolution || v.size || "—"},
      {label: t("media.cost"), num: true, cell: v => v.cost === undefined || v.cost === null ? "—" : UI.credits(v.cost)},
      {label: t("media.file"), cell: v => v.url
        ? h("a", {href: v.url, target: "_blank", rel: "noopener", "data-test": "video-file", text: t("media.open")})
        : (v.error && v.error.message ? h("span", {class: "muted", text: v.error.message}) : t("media.noFile"))},
    ], videos, t("media.noVideos"));
  }

  function statusBadge(video) {
    const kind = video.status === "completed" ? "ok" : video.status === "failed" ? "off" : "";
    const text = t("media.status." + video.status) + (video.status === "in_progress" ? " · " + t("media.progress", video.progress) : "");
    return UI.badge(text, kind);
  }

  async function imageRequests(where, models, names) {
    if (!models.length) {
      clear(where, h("p", {class: "muted", text: t("media.noImageModels")}));
      return;
    }
    const pages = await Promise.all(models.map(m => API.get("/api/usage" + API.query({model: m, limit: IMAGES_PER_MODEL}))));
    const rows = pages.flatMap(p => p.data).sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
    clear(where, UI.table([
      {label: t("usage.time"), cell: r => UI.dateTime(r.created_at)},
      {label: t("usage.key"), cell: r => names.get(r.key_id) || ("#" + r.key_id)},
      {label: t("usage.model"), cell: r => r.model},
      {label: t("usage.outcome"), cell: r => UI.badge(Usage.outcomeText(r.outcome), Usage.succeeded(r) ? "ok" : "off")},
      {label: t("usage.costCol"), num: true, cell: r => UI.credits(r.cost_credits)},
    ], rows, t("media.noImages")), h("p", {class: "muted", text: t("media.images.note", IMAGES_PER_MODEL)}));
  }

  return {render};
})();
