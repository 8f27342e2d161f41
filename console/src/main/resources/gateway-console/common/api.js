/* The one way the pages talk to the gateway: same-origin fetch with the session cookie and the CSRF token. */
"use strict";
const API = (() => {
  const CSRF_HEADER = "X-XSRF-TOKEN";
  let token = null;

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || ("HTTP " + status));
      this.status = status;
      this.code = error.code;
      this.param = error.param;
    }
  }

  function cookieToken() {
    const found = document.cookie.split("; ").find(c => c.startsWith("XSRF-TOKEN="));
    return found ? decodeURIComponent(found.substring("XSRF-TOKEN=".length)) : null;
  }

  /** The CSRF token of the session: every answer carries the next one. */
  async function ensureToken() {
    if (!token && !cookieToken()) {
      await call("GET", "/api/csrf");
    }
  }

  async function call(method, path, body) {
    const headers = {"accept": "application/json"};
    if (method !== "GET" && method !== "HEAD") {
      await ensureToken();
      headers[CSRF_HEADER] = cookieToken() || token;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(path, {method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body)});
    const next = response.headers.get(CSRF_HEADER);
    if (next) token = next;
    const text = response.status === 204 ? "" : await response.text();
    let parsed = null;
    if (text) {
      try { parsed = JSON.parse(text); } catch (e) { parsed = null; }
    }
    if (!response.ok) throw new ApiError(response.status, parsed);
    return parsed;
  }

  /** A query string from an object, leaving out empty values. */
  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "") search.set(name, value);
    }
    const text = search.toString();
    return text ? "?" + text : "";
  }

  return {
    get: path => call("GET", path),
    post: (path, body) => call("POST", path, body),
    put: (path, body) => call("PUT", path, body),
    patch: (path, body) => call("PATCH", path, body),
    del: path => call("DELETE", path),
    query, ApiError,
  };
})();
