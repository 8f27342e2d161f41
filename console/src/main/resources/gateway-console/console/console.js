/* The operator console (operator users only): its pages. */
"use strict";
document.addEventListener("DOMContentLoaded", () => Shell.start({
  title: UI.t("console.title"),
  accept: me => (me.account ? UI.t("console.customer") : null),
  footer: () => UI.h("p", {class: "muted"}, UI.t("signin.customer"), " ", UI.h("a", {href: "/dashboard/", text: UI.t("signin.customer.link")})),
  pages: [
    {id: "channels", label: UI.t("nav.channels"), render: Catalog.channels},
    {id: "models", label: UI.t("nav.models"), render: Catalog.models},
    {id: "accounts", label: UI.t("nav.accounts"), render: Accounts.render},
    {id: "codes", label: UI.t("nav.codes"), render: Money.codes},
    {id: "reports", label: UI.t("nav.reports"), render: Reports.render},
    {id: "audit", label: UI.t("nav.audit"), render: Money.audit},
  ],
}));
