// Talking to the API: the bearer token, one silent refresh on a 401, the error envelope as an ApiError.
// The access token lives in memory only. The refresh token is kept in sessionStorage (the README's "The browser app" section says why):
// it survives a reload of this tab, dies with the tab, and is never shared with other tabs.
import { t } from "./i18n.js";

const REFRESH_KEY = "elior.refresh";

export class ApiError extends Error {
  constructor(status, body) {
    const detail = body?.detail;
    // The server's own words (detail, error) are shown as given; only the browser's fallbacks are translated.
    super(typeof detail === "string" ? detail : status === 422 ? t("api.check_fields") :
      body?.error || t("api.server_answered", { status: String(status) }));
    this.status = status;
    this.detail = detail;
    this.body = body;
  }
}

const state = { access: null, expiresAt: 0, user: null, refreshing: null, timer: null };
const listeners = new Set();

export const currentUser = () => state.user;
export const accessToken = () => state.access;
export const hasStoredSession = () => Boolean(sessionStorage.getItem(REFRESH_KEY));

/** Called with a reason when the session ends against the user's will (refresh refused, account disabled). */
export function onSessionEnd(listener) { listeners.add(listener); }

function adopt(tokens) {
  state.access = tokens.access_token;
  state.expiresAt = Date.now() + (tokens.expires_in || 900) * 1000;
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
  if (tokens.user) state.user = tokens.user;
  // Refresh a minute before expiry so that a WebSocket reconnect or a request never starts with a dead token.
  clearTimeout(state.timer);
  const wait = Math.max(5, (tokens.expires_in || 900) - 60) * 1000;
  state.timer = setTimeout(() => refresh().catch(() => {}), wait);
}

function forget() {
  clearTimeout(state.timer);
  state.access = null;
  state.user = null;
  sessionStorage.removeItem(REFRESH_KEY);
}

function endSession(reason) {
  const had = state.user !== null;
  forget();
  if (had) listeners.forEach((listener) => listener(reason));
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) return response.json();
  return response.text();
}

/** One refresh at a time: concurrent 401s wait for the same rotation (a second rotation would look like reuse). */
export function refresh() {
  const token = sessionStorage.getItem(REFRESH_KEY);
  if (!token) return Promise.reject(new ApiError(401, { detail: t("api.no_session") }));
  if (!state.refreshing) {
    state.refreshing = (async () => {
      try {
        const response = await fetch("/api/auth/refresh", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: token }),
        });
        const body = await parse(response);
        if (!response.ok) {
          if (response.status === 401 || response.status === 403) endSession(t("api.session_ended"));
          throw new ApiError(response.status, body);
        }
        adopt(body);
        if (!state.user) state.user = await request("GET", "/api/auth/me");
        return state.access;
      } finally {
        state.refreshing = null;
      }
    })();
  }
  return state.refreshing;
}

/** request("GET", "/api/users", {query: {role: "client"}}) -> the JSON body; throws ApiError on 4xx/5xx. */
export async function request(method, path, options = {}) {
  const { body, form, query, auth = true, retried = false, raw = false } = options;
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== null && value !== undefined && value !== "") params.set(key, value);
    }
    if ([...params].length) url += `?${params}`;
  }
  const headers = {};
  if (auth && state.access) headers.Authorization = `Bearer ${state.access}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, { detail: t("api.unreachable") });
  }
  if (response.status === 401 && auth && !retried && hasStoredSession()) {
    try {
      await refresh();
    } catch {
      endSession(t("api.session_ended"));
      throw new ApiError(401, { detail: t("api.session_ended") });
    }
    return request(method, path, { ...options, retried: true });
  }
  if (raw && response.ok) return response;
  const data = await parse(response);
  if (!response.ok) {
    if (response.status === 401 && auth) endSession(t("api.session_ended"));
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (path, query) => request("GET", path, { query });
export const post = (path, body) => request("POST", path, { body });
export const put = (path, body) => request("PUT", path, { body });
export const del = (path) => request("DELETE", path);

/** Every item of a list endpoint, page by page (the contract caps a page at 100). */
export async function all(path, query = {}, cap = 1000) {
  const items = [];
  for (let offset = 0; offset < cap; offset += 100) {
    const page = await get(path, { ...query, limit: 100, offset });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) break;
  }
  return items;
}

export async function signIn(email, password) {
  const tokens = await request("POST", "/api/auth/login", { body: { email, password }, auth: false });
  adopt(tokens);
  if (!state.user) state.user = await request("GET", "/api/auth/me");
  return state.user;
}

/** On page load: a session kept in this tab comes back through one refresh. */
export async function restore() {
  if (!hasStoredSession()) return null;
  try {
    await refresh();
    return state.user;
  } catch {
    forget();
    return null;
  }
}

export async function signOut() {
  try {
    if (state.access) await request("POST", "/api/auth/logout", { retried: true });
  } finally {
    forget();
  }
}

export async function upload(file, purpose, clientId) {
  const form = new FormData();
  form.append("file", file);
  form.append("purpose", purpose);
  if (clientId) form.append("client_id", String(clientId));
  return request("POST", "/api/files/upload", { form });
}

// Object URLs of photos fetched with the bearer token, kept so one photo is fetched once per page load.
const photos = new Map();
/** A URL an <img> may show: the signed URL when the API gave one, else the bytes fetched with the token. */
export async function photoUrl(filename, signedUrl) {
  if (signedUrl) return signedUrl;
  if (!photos.has(filename)) {
    photos.set(filename, request("GET", `/api/files/${encodeURIComponent(filename)}`, { raw: true })
      .then((response) => response.blob()).then((blob) => URL.createObjectURL(blob)));
  }
  return photos.get(filename);
}
