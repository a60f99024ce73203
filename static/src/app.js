// The shell: the router, the header with navigation and the bell, and the session's life cycle.
import { currentUser, get, onSessionEnd, restore, signOut } from "./api.js";
import { endedView, inviteView, setupView, signInView } from "./auth.js";
import { bell } from "./bell.js";
import { h, link, toast } from "./dom.js";
import { deviceLanguage, isLanguage, language, onLanguageChange, setLanguage, t } from "./i18n.js";
import { languageSwitch } from "./language_switch.js";
import { Channel } from "./live.js";
import { withForgotLink } from "./password_reset.js";  // "Forgot password?" under sign-in
import { withExport } from "./export.js";  // "Download my data" on these two pages

// Role screens load on first use, so a client's phone never downloads the owner's pages.
const trainer = () => import("./trainer.js");
const client = () => import("./client.js");
const admin = () => import("./admin.js");
const library = () => import("./library.js");
const workoutEditor = () => import("./workout_editor.js");
const mealEditor = () => import("./meal_editor.js");
const progress = () => import("./progress.js");

const STAFF = ["trainer", "admin"];
// Titles and navigation labels are catalogue keys, looked up when drawn (the language is chosen after this runs).
const ROUTES = [
  ["/signin", withForgotLink(signInView), { public: true, title: "app.title_sign_in" }],
  ["/setup", setupView, { public: true, title: "app.title_set_up" }],
  ["/invite/:code", inviteView, { public: true, title: "app.title_invite" }],
  ["/session-ended", endedView, { public: true, title: "app.title_session_ended" }],
  ["/", home, { title: "app.title_home" }],
  ["/clients", [trainer, "clientList"], { roles: STAFF, title: "app.title_clients" }],
  ["/clients/:id", withExport([trainer, "clientPage"], (ctx) => Number(ctx.params.id)),
    { roles: STAFF, title: "app.title_client" }],
  ["/workouts/new", [workoutEditor, "workoutEditor"], { roles: STAFF, title: "app.title_new_workout" }],
  ["/workouts/:id/edit", [workoutEditor, "workoutEditor"], { roles: STAFF, title: "app.title_edit_workout" }],
  ["/meal-plans/new", [mealEditor, "mealEditor"], { roles: STAFF, title: "app.title_new_meal_plan" }],
  ["/meal-plans/:id/edit", [mealEditor, "mealEditor"], { roles: STAFF, title: "app.title_edit_meal_plan" }],
  ["/review", [library, "reviewQueue"], { roles: STAFF, title: "app.title_review_meals" }],
  ["/exercises", [library, "exerciseLibrary"], { roles: STAFF, title: "app.title_exercise_library" }],
  ["/invites", [library, "invitesPage"], { roles: STAFF, title: "app.title_invites" }],
  ["/today", [client, "todayPage"], { roles: ["client"], title: "app.title_today" }],
  ["/meals", [client, "mealsPage"], { roles: ["client"], title: "app.title_meals" }],
  ["/progress", withExport([progress, "myProgress"], (ctx) => ctx.user.id),
    { roles: ["client"], title: "app.title_progress" }],
  ["/history", [client, "historyPage"], { roles: ["client"], title: "app.title_history" }],
  ["/messages", [() => import("./messages.js"), "messagesPage"], { title: "app.title_messages" }],
  ["/messages/:id", [() => import("./messages.js"), "threadPage"], { title: "app.title_messages" }],
  ["/check-in", [() => import("./checkins.js"), "myCheckIn"], { roles: ["client"], title: "app.title_check_in" }],
  ["/check-ins", [() => import("./checkins.js"), "checkInsOverview"], { roles: STAFF, title: "app.title_check_ins" }],
  ["/check-ins/:id", [() => import("./checkins.js"), "checkInReview"], { roles: STAFF, title: "app.title_check_ins" }],
  ["/attention", [() => import("./attention.js"), "attentionQueue"],
    { roles: STAFF, title: "app.title_needs_attention" }],
  ["/programs", [() => import("./programs.js"), "programLibrary"], { roles: STAFF, title: "app.title_programs" }],
  ["/programs/new", [() => import("./programs.js"), "programBuilder"],
    { roles: STAFF, title: "app.title_new_program" }],
  ["/programs/:id", [() => import("./programs.js"), "programBuilder"], { roles: STAFF, title: "app.title_program" }],
  ["/calendar", [() => import("./calendar.js"), "calendarPage"], { title: "app.title_calendar" }],
  ["/book", [() => import("./booking.js"), "bookingPage"], { roles: ["client"], title: "app.title_book_a_session" }],
  ["/sessions", [() => import("./sessions.js"), "sessionsPage"], { roles: STAFF, title: "app.title_sessions" }],
  ["/studio", [() => import("./studio.js"), "studioPage"], { roles: ["admin"], title: "app.title_studio" }],
  ["/admin/users", [admin, "usersPage"], { roles: ["admin"], title: "app.title_users" }],
  ["/admin/trainers", [admin, "trainersPage"], { roles: ["admin"], title: "app.title_trainers" }],
  ["/admin/system", [admin, "systemPage"], { roles: ["admin"], title: "app.title_system" }],
  ["/admin/deletions", [() => import("./deletions.js"), "deletionsPage"],
    { roles: ["admin"], title: "app.title_deletions" }],
  // the notification history and the user's units
  ["/notifications", [() => import("./notifications.js"), "notificationsPage"], { title: "app.title_notifications" }],
  ["/units", [() => import("./units.js"), "unitsPage"], { title: "app.title_units" }],
  // forgotten passwords, hand-over links, the Account page (profile, password, sessions)
  ["/forgot", [() => import("./password_reset.js"), "forgotPage"],
    { public: true, title: "app.title_forgot_password" }],
  ["/reset", [() => import("./password_reset.js"), "resetPage"],
    { public: true, title: "app.title_set_a_new_password" }],
  ["/people/:id/password-reset", [() => import("./password_reset.js"), "handoverPage"],
    { roles: STAFF, title: "app.title_reset_link" }],
  ["/account", [() => import("./account.js"), "accountPage"], { title: "app.title_account" }],
  ["/security", [() => import("./security.js"), "securityPage"], { title: "app.title_security" }],
];

const NAV = {
  trainer: [["/attention", "app.nav_attention"], ["/clients", "app.nav_clients"], ["/calendar", "app.nav_calendar"],
    ["/sessions", "app.nav_sessions"], ["/programs", "app.nav_programs"],
    ["/review", "app.nav_review"], ["/exercises", "app.nav_exercises"], ["/invites", "app.nav_invites"],
    ["/messages", "app.nav_messages"], ["/check-ins", "app.nav_check_ins"]],
  client: [["/today", "app.nav_today"], ["/book", "app.nav_book"], ["/calendar", "app.nav_calendar"],
    ["/meals", "app.nav_meals"],
    ["/progress", "app.nav_progress"], ["/history", "app.nav_history"], ["/messages", "app.nav_messages"]],
  admin: [["/admin/users", "app.nav_users"], ["/admin/trainers", "app.nav_trainers"], ["/clients", "app.nav_clients"],
    ["/invites", "app.nav_invites"], ["/exercises", "app.nav_exercises"], ["/review", "app.nav_review"],
    ["/admin/system", "app.nav_system"], ["/admin/deletions", "app.nav_deletions"],
    ["/programs", "app.nav_programs"],
    ["/calendar", "app.nav_calendar"], ["/studio", "app.nav_studio"], ["/sessions", "app.nav_sessions"]],
};
// Every role: the notification history, and the Account page (profile, password, sessions, and links to
// two-factor, e-mail notifications and units).
for (const items of Object.values(NAV)) {
  items.push(["/notifications", "app.nav_notifications"], ["/account", "app.nav_account"]);
}
const HOME = { trainer: "/attention", client: "/today", admin: "/admin/users" };

function home(ctx) {
  ctx.navigate(HOME[ctx.user.role] || "/signin", { replace: true });
  return null;
}

function match(path) {
  for (const [pattern, view, meta] of ROUTES) {
    const names = [];
    const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return "([^/]+)"; })}/?$`);
    const found = path.match(regex);
    if (found) {
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { view, meta, params };
    }
  }
  return null;
}

const root = document.getElementById("app");
const main = h("main", { id: "main", tabindex: "-1" });
let live = null;
let leaving = [];
let renderCount = 0;

function shell(user) {
  const nav = h("nav", { class: "nav", "aria-label": t("app.nav_label") },
    h("ul", {}, (NAV[user.role] || []).map(([href, key]) => h("li", {}, link(href, t(key))))));
  const out = h("button", { type: "button", class: "quiet" }, t("app.sign_out"));
  out.addEventListener("click", async () => {
    await signOut().catch(() => {});
    stopLive();
    navigate("/session-ended?reason=" + encodeURIComponent(t("app.signed_out")), { replace: true });
  });
  const header = h("header", { class: "top" },
    h("a", { href: HOME[user.role] || "/", class: "brand" }, "Elior"), nav,
    h("div", { class: "who" }, languageSwitch(), bell(), h("span", { class: "me", title: user.email }, user.full_name),
      out));
  root.replaceChildren(header, main, h("div", { id: "toasts", class: "toasts", "aria-live": "polite" }));
}

function bare() {
  root.replaceChildren(h("div", { class: "bare-top" }, languageSwitch()), main,
    h("div", { id: "toasts", class: "toasts", "aria-live": "polite" }));
}

function stopLive() {
  live?.stop();
  live = null;
}

export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  render();
}

async function render() {
  const mine = ++renderCount;
  leaving.forEach((fn) => fn());
  leaving = [];
  const path = location.pathname;
  const query = new URLSearchParams(location.search);
  const found = match(path);
  const user = currentUser();
  if (!found) {
    if (user && !root.querySelector("header")) shell(user);
    if (!user) bare();
    main.replaceChildren(h("h1", { tabindex: "-1" }, t("app.not_found_title")),
      h("p", {}, t("app.not_found_text"), " ", link("/", t("app.go_start"))));
    main.querySelector("h1").focus();
    return;
  }
  const { view, meta, params } = found;
  if (!meta.public && !user) {
    navigate(`/signin?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  if (meta.public) {
    if (user && path === "/signin") { navigate(query.get("next") || "/", { replace: true }); return; }
    bare();
  } else if (!root.querySelector("header.top")) {
    shell(user);
  }
  if (meta.roles && !meta.roles.includes(user.role)) {
    main.replaceChildren(h("h1", { tabindex: "-1" }, t("app.wrong_role_title")),
      h("p", {}, t("app.wrong_role_text"), " ", link("/", t("app.go_your_start"))));
    main.querySelector("h1").focus();
    return;
  }
  for (const a of root.querySelectorAll("nav.nav a")) {
    const here = path === a.getAttribute("href") || path.startsWith(`${a.getAttribute("href")}/`);
    if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  setTitle(t(meta.title));
  main.setAttribute("aria-busy", "true");
  const ctx = { params, query, user, navigate, onLeave: (fn) => leaving.push(fn), signedIn, setTitle };
  let node;
  try {
    const fn = Array.isArray(view) ? (await view[0]())[view[1]] : view;
    node = await fn(ctx);
  } catch (error) {
    if (mine !== renderCount) return;
    // After a deploy, an open tab may ask for a module whose old hashed name is gone: load the new index once.
    if (error instanceof TypeError && /dynamically imported module|module script failed/i.test(error.message)
        && !sessionStorage.getItem("elior.reloaded")) {
      sessionStorage.setItem("elior.reloaded", "1");
      location.reload();
      return;
    }
    node = h("div", {}, h("h1", { tabindex: "-1" }, t(error.status === 404 ? "app.not_found" : "app.load_failed")),
      h("p", { class: "form-alert", role: "alert" }, error.message || String(error)),
      h("p", {}, link("/", t("app.go_your_start"))));
    if (!error.status) console.error(error);
  }
  if (mine !== renderCount || node === null) return;
  sessionStorage.removeItem("elior.reloaded");
  main.replaceChildren(node);
  // A mark per screen drawn with its data: bench/spa_load.py reads it as the first meaningful render.
  performance.mark("elior:view", { detail: path });
  main.removeAttribute("aria-busy");
  // Move focus to the new page's heading, so keyboard and screen-reader users start at the top of it.
  const heading = main.querySelector("h1");
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  window.scrollTo(0, 0);
}

function setTitle(text) { document.title = `${text} · Elior`; }

/** A signed-in user's own language, when they chose one, wins over the device's and the studio's. */
async function adoptLanguageOf(user) {
  if (isLanguage(user?.language) && user.language !== language()) await setLanguage(user.language);
}

async function signedIn(next) {
  const user = currentUser();
  await adoptLanguageOf(user);
  shell(user);
  startLive();
  const safe = next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
  navigate(safe, { replace: true });
}

function startLive() {
  stopLive();
  live = new Channel("notifications").start();
}

document.addEventListener("click", (event) => {
  const a = event.target.closest?.("a[href]");
  if (!a || a.getAttribute("href").startsWith("#") || event.defaultPrevented || event.button !== 0 || event.metaKey
      || event.ctrlKey || event.shiftKey || a.target || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/") || a.dataset.native !== undefined) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});
window.addEventListener("popstate", render);

onSessionEnd((reason) => {
  stopLive();
  const next = location.pathname + location.search;
  toast(reason, "error");
  navigate(`/session-ended?reason=${encodeURIComponent(reason)}&next=${encodeURIComponent(next)}`, { replace: true });
});

/** The studio's language (set by the owner), for a device that has not chosen one. */
async function studioLanguage() {
  try {
    return (await get("/api/studio")).language;
  } catch {
    return null;  // an old server or a network error: English
  }
}

(async () => {
  await setLanguage(deviceLanguage() || await studioLanguage(), { remember: false });
  const user = await restore();
  await adoptLanguageOf(user);
  // From now on a new language redraws the shell (its nav and switch) and the page in it.
  onLanguageChange(() => {
    const me = currentUser();
    if (me && root.querySelector("header.top")) shell(me);
    render();
  });
  if (user) startLive();
  render();
})();
