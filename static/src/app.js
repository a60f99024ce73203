// The shell: the router, the header with navigation and the bell, and the session's life cycle.
import { currentUser, get, onSessionEnd, restore, signOut } from "./api.js";
import { endedView, inviteView, setupView, signInView } from "./auth.js";
import { bell } from "./bell.js";
import { h, link, toast } from "./dom.js";
import { deviceLanguage, isLanguage, language, onLanguageChange, setLanguage } from "./i18n.js";
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
const ROUTES = [
  ["/signin", withForgotLink(signInView), { public: true, title: "Sign in" }],
  ["/setup", setupView, { public: true, title: "Set up" }],
  ["/invite/:code", inviteView, { public: true, title: "Invite" }],
  ["/session-ended", endedView, { public: true, title: "Session ended" }],
  ["/", home, { title: "Home" }],
  ["/clients", [trainer, "clientList"], { roles: STAFF, title: "Clients" }],
  ["/clients/:id", withExport([trainer, "clientPage"], (ctx) => Number(ctx.params.id)),
    { roles: STAFF, title: "Client" }],
  ["/workouts/new", [workoutEditor, "workoutEditor"], { roles: STAFF, title: "New workout" }],
  ["/workouts/:id/edit", [workoutEditor, "workoutEditor"], { roles: STAFF, title: "Edit workout" }],
  ["/meal-plans/new", [mealEditor, "mealEditor"], { roles: STAFF, title: "New meal plan" }],
  ["/meal-plans/:id/edit", [mealEditor, "mealEditor"], { roles: STAFF, title: "Edit meal plan" }],
  ["/review", [library, "reviewQueue"], { roles: STAFF, title: "Review meals" }],
  ["/exercises", [library, "exerciseLibrary"], { roles: STAFF, title: "Exercise library" }],
  ["/invites", [library, "invitesPage"], { roles: STAFF, title: "Invites" }],
  ["/today", [client, "todayPage"], { roles: ["client"], title: "Today" }],
  ["/meals", [client, "mealsPage"], { roles: ["client"], title: "Meals" }],
  ["/progress", withExport([progress, "myProgress"], (ctx) => ctx.user.id), { roles: ["client"], title: "Progress" }],
  ["/history", [client, "historyPage"], { roles: ["client"], title: "History" }],
  ["/messages", [() => import("./messages.js"), "messagesPage"], { title: "Messages" }],
  ["/messages/:id", [() => import("./messages.js"), "threadPage"], { title: "Messages" }],
  ["/check-in", [() => import("./checkins.js"), "myCheckIn"], { roles: ["client"], title: "Check-in" }],
  ["/check-ins", [() => import("./checkins.js"), "checkInsOverview"], { roles: STAFF, title: "Check-ins" }],
  ["/check-ins/:id", [() => import("./checkins.js"), "checkInReview"], { roles: STAFF, title: "Check-ins" }],
  ["/attention", [() => import("./attention.js"), "attentionQueue"], { roles: STAFF, title: "Needs attention" }],
  ["/programs", [() => import("./programs.js"), "programLibrary"], { roles: STAFF, title: "Programs" }],
  ["/programs/new", [() => import("./programs.js"), "programBuilder"], { roles: STAFF, title: "New program" }],
  ["/programs/:id", [() => import("./programs.js"), "programBuilder"], { roles: STAFF, title: "Program" }],
  ["/calendar", [() => import("./calendar.js"), "calendarPage"], { title: "Calendar" }],
  ["/book", [() => import("./booking.js"), "bookingPage"], { roles: ["client"], title: "Book a session" }],
  ["/sessions", [() => import("./sessions.js"), "sessionsPage"], { roles: STAFF, title: "Sessions" }],
  ["/studio", [() => import("./studio.js"), "studioPage"], { roles: ["admin"], title: "Studio" }],
  ["/admin/users", [admin, "usersPage"], { roles: ["admin"], title: "Users" }],
  ["/admin/trainers", [admin, "trainersPage"], { roles: ["admin"], title: "Trainers" }],
  ["/admin/system", [admin, "systemPage"], { roles: ["admin"], title: "System" }],
  // the notification history and the user's units
  ["/notifications", [() => import("./notifications.js"), "notificationsPage"], { title: "Notifications" }],
  ["/units", [() => import("./units.js"), "unitsPage"], { title: "Units" }],
  // forgotten passwords, hand-over links, the Account page (profile, password, sessions)
  ["/forgot", [() => import("./password_reset.js"), "forgotPage"], { public: true, title: "Forgot password" }],
  ["/reset", [() => import("./password_reset.js"), "resetPage"], { public: true, title: "Set a new password" }],
  ["/people/:id/password-reset", [() => import("./password_reset.js"), "handoverPage"],
    { roles: STAFF, title: "Reset link" }],
  ["/account", [() => import("./account.js"), "accountPage"], { title: "Account" }],
  ["/security", [() => import("./security.js"), "securityPage"], { title: "Security" }],
];

const NAV = {
  trainer: [["/attention", "Attention"], ["/clients", "Clients"], ["/calendar", "Calendar"], ["/sessions", "Sessions"],
    ["/programs", "Programs"],
    ["/review", "Review"], ["/exercises", "Exercises"], ["/invites", "Invites"],
    ["/messages", "Messages"], ["/check-ins", "Check-ins"]],
  client: [["/today", "Today"], ["/book", "Book"], ["/calendar", "Calendar"], ["/meals", "Meals"],
    ["/progress", "Progress"], ["/history", "History"], ["/messages", "Messages"]],
  admin: [["/admin/users", "Users"], ["/admin/trainers", "Trainers"], ["/clients", "Clients"],
    ["/invites", "Invites"], ["/exercises", "Exercises"], ["/review", "Review"], ["/admin/system", "System"],
    ["/programs", "Programs"],
    ["/calendar", "Calendar"], ["/studio", "Studio"], ["/sessions", "Sessions"]],
};
// Every role: the notification history, and the Account page (profile, password, sessions, and links to
// two-factor, e-mail notifications and units).
for (const items of Object.values(NAV)) items.push(["/notifications", "Notifications"], ["/account", "Account"]);
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
  const nav = h("nav", { class: "nav", "aria-label": "Main" },
    h("ul", {}, (NAV[user.role] || []).map(([href, text]) => h("li", {}, link(href, text)))));
  const out = h("button", { type: "button", class: "quiet" }, "Sign out");
  out.addEventListener("click", async () => {
    await signOut().catch(() => {});
    stopLive();
    navigate("/session-ended?reason=" + encodeURIComponent("You have signed out."), { replace: true });
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
    main.replaceChildren(h("h1", { tabindex: "-1" }, "Page not found"),
      h("p", {}, "There is nothing at this address. ", link("/", "Go to the start page")));
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
    main.replaceChildren(h("h1", { tabindex: "-1" }, "Not for your account"),
      h("p", {}, "This page is for another role. ", link("/", "Go to your start page")));
    main.querySelector("h1").focus();
    return;
  }
  for (const a of root.querySelectorAll("nav.nav a")) {
    const here = path === a.getAttribute("href") || path.startsWith(`${a.getAttribute("href")}/`);
    if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  document.title = `${meta.title} · Elior`;
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
    node = h("div", {}, h("h1", { tabindex: "-1" }, error.status === 404 ? "Not found" : "Could not load this page"),
      h("p", { class: "form-alert", role: "alert" }, error.message || String(error)),
      h("p", {}, link("/", "Go to your start page")));
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
