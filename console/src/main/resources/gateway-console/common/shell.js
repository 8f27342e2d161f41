/* The frame both consoles share: sign-in, the navigation, and pages chosen by the URL's hash. */
"use strict";
const Shell = (() => {
  const {t, h, clear} = UI;

  /**
   * start({title, pages: [{id, label, render(main, user, params)}], accept(me) -> error text or null}).
   * The signed-in user comes from GET /api/me; a 401 shows the sign-in form.
   */
  async function start(app) {
    document.title = app.title;
    let me;
    try {
      me = await API.get("/api/me");
    } catch (e) {
      if (e.status === 401) return signIn(app);
      return fatal(UI.errorText(e));
    }
    const refused = app.accept(me);
    if (refused) return signIn(app, refused, true);
    frame(app, me);
  }

  function fatal(text) {
    clear(document.body, h("main", {}, UI.notice("error", text)));
  }

  function signIn(app, message, signOutFirst) {
    const email = h("input", {type: "email", name: "email", autocomplete: "username", required: true});
    const password = h("input", {type: "password", name: "password", autocomplete: "current-password", required: true});
    const status = h("div", {"aria-live": "polite"}, message ? UI.notice("error", message) : null);
    const form = h("form", {class: "panel signin", "data-test": "signin"},
      h("h1", {text: app.title}),
      h("p", {class: "muted", text: t("signin.intro")}),
      status,
      UI.field(t("signin.email"), email),
      UI.field(t("signin.password"), password),
      h("button", {type: "submit", class: "primary", text: t("signin.submit")}),
      app.signUp ? h("p", {}, t("signup.question"), " ",
        h("button", {type: "button", class: "small", "data-test": "to-signup", text: t("signup.link"), onclick: () => signUp(app)})) : null,
      app.footer ? app.footer() : null);
    form.addEventListener("submit", async event => {
      event.preventDefault();
      clear(status);
      try {
        if (signOutFirst) { await API.post("/api/logout").catch(() => null); signOutFirst = false; }
        await API.post("/api/login", {email: email.value.trim(), password: password.value});
        password.value = "";
        await start(app);
      } catch (e) {
        clear(status, UI.notice("error", e.status === 401 ? t("signin.wrong") : UI.errorText(e)));
      }
    });
    clear(document.body, h("main", {}, form));
    email.focus();
  }

  /** Self sign-up, which the gateway allows only with GATEWAY_SIGNUP=open (otherwise its 403 is shown). */
  function signUp(app) {
    const email = h("input", {type: "email", name: "email", autocomplete: "username", required: true});
    const name = h("input", {type: "text", name: "display_name", autocomplete: "name", maxlength: 100});
    const company = h("input", {type: "text", name: "account_name", autocomplete: "organization", maxlength: 100});
    const password = h("input", {type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 10});
    const status = h("div", {"aria-live": "polite"});
    const form = h("form", {class: "panel signin", "data-test": "signup"},
      h("h1", {text: t("signup.title")}), status,
      UI.field(t("signin.email"), email), UI.field(t("link.name"), name), UI.field(t("signup.account"), company),
      UI.field(t("account.new"), password, t("account.new.hint")),
      h("button", {type: "submit", class: "primary", text: t("signup.submit")}), " ",
      h("button", {type: "button", text: t("signup.back"), onclick: () => signIn(app)}));
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const body = {email: email.value.trim(), password: password.value};
      if (name.value.trim()) body.display_name = name.value.trim();
      if (company.value.trim()) body.account_name = company.value.trim();
      try {
        await API.post("/api/signup", body);
        await start(app);
      } catch (e) { clear(status, UI.notice("error", UI.errorText(e))); }
    });
    clear(document.body, h("main", {}, form));
    email.focus();
  }

  function frame(app, me) {
    const main = h("main", {id: "main", tabindex: "-1"});
    const links = app.pages.filter(p => !p.hidden).map(p => h("a", {href: "#/" + p.id, "data-page": p.id, text: p.label}));
    const signOut = h("button", {type: "button", class: "small", "data-test": "signout", text: t("signout"), onclick: async () => {
      await API.post("/api/logout").catch(() => null);
      location.hash = "";
      start(app);
    }});
    const who = me.user.display_name || me.user.email;
    clear(document.body,
      h("header", {class: "top"},
        h("span", {class: "brand", text: app.title}),
        h("nav", {class: "tabs", "aria-label": t("nav.label")}, links),
        h("span", {class: "who", text: who}),
        signOut),
      main);
    const show = async () => {
      const [id, ...params] = (location.hash.replace(/^#\/?/, "") || app.pages[0].id).split("/").map(decodeURIComponent);
      const page = app.pages.find(p => p.id === id) || app.pages[0];
      links.forEach(a => (a.dataset.page === page.id ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current")));
      document.title = page.label + " · " + app.title;
      clear(main, h("p", {class: "muted", text: t("loading")}));
      try {
        await page.render(main, me, params);
      } catch (e) {
        if (e.status === 401) return start(app);
        clear(main, UI.notice("error", UI.errorText(e)));
      }
    };
    window.onhashchange = show;
    show();
  }

  return {start};
})();
