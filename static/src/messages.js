// Messages: the caller's threads with unread badges, and one thread (attachments, read ticks), kept live over the
// notifications channel the shell keeps open. Text is only ever text: a link in a message stays characters.
import { del, get, post, put } from "./api.js";
import { h, link, empty, formAlert, onSubmit, toast, uid, fmtDate } from "./dom.js";
import { locale, t } from "./i18n.js";
import { onLive } from "./live.js";
import { attachment, composer } from "./message_compose.js";

const PAGE = 50;
const STAFF = ["trainer", "admin"];
const timeOf = (iso) => new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
const dayOf = (iso) => { const d = new Date(iso); return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`; };
const when = (iso) => (dayOf(iso) === dayOf(new Date().toISOString()) ? timeOf(iso)
  : new Date(iso).toLocaleDateString(locale(), { day: "numeric", month: "short" }));

/** Who the thread is with, as the caller sees it. */
function title(thread, role) {
  if (!thread) return t("messages.conversation");
  if (role === "client") return thread.trainer_name || t("messages.your_trainer");
  if (role === "admin") {
    return thread.trainer_name ? t("messages.admin_title", { client: thread.client_name, trainer: thread.trainer_name })
      : t("messages.admin_title_no_trainer", { client: thread.client_name });
  }
  return thread.client_name;
}

function preview(thread, me) {
  const last = thread.last_message;
  if (!last) return t("messages.preview_none");
  if (last.deleted_at) return t("messages.deleted");
  const text = last.preview || t("messages.attachment");
  return last.sender_id === me ? t("messages.preview_mine", { text }) : text;
}

/** The thread list, refreshed (debounced) by every message event; `current` marks the open thread. */
function threadList(ctx, current = null, onLoad = null) {
  const list = h("ul", { class: "threads", "aria-label": t("messages.conversations") });
  let timer = null;
  async function load() {
    const page = await get("/api/conversations", { limit: 100 });
    list.replaceChildren(...(page.items.length ? page.items.map((thread) => {
      const unread = thread.unread > 99 ? "99+" : String(thread.unread);
      return h("li", { dataset: { thread: thread.client_id } }, h("a", {
        href: `/messages/${thread.client_id}`, class: thread.unread ? "thread unread" : "thread",
        "aria-current": thread.client_id === current ? "page" : null,
      }, h("span", { class: "thread-top" }, h("strong", { class: "thread-name" }, title(thread, ctx.user.role)),
        thread.last_message ? h("time", { class: "small muted", datetime: thread.last_message.created_at },
          when(thread.last_message.created_at)) : null),
      h("span", { class: "thread-bottom" }, h("span", { class: "thread-preview small" }, preview(thread, ctx.user.id)),
        thread.unread ? h("span", { class: "unread-badge" }, unread,
          h("span", { class: "sr-only" }, " ", t("messages.unread"))) : null)));
    }) : [h("li", {}, empty(t("messages.no_conversations")))]));
    onLoad?.(page.items);
    return page.items;
  }
  const refresh = () => { clearTimeout(timer); timer = setTimeout(() => load().catch(() => {}), 150); };
  const stops = ["message.created", "message.updated", "message.read"].map((type) => onLive(type, refresh));
  ctx.onLeave(() => { stops.forEach((stop) => stop()); clearTimeout(timer); });
  return { list, load };
}

/** /messages: a trainer's (or an admin's) threads; a client has one thread, so it opens straight away. */
export async function messagesPage(ctx) {
  if (ctx.user.role === "client") return threadPage({ ...ctx, params: { id: String(ctx.user.id) } });
  const lead = h("p", { class: "lead" });
  const threads = threadList(ctx, null, (items) => {
    const unread = items.filter((item) => item.unread).length;
    lead.textContent = !items.length ? "" : unread ? t("messages.lead_unread", { count: items.length, unread })
      : t("messages.lead_all_read", { count: items.length });
  });
  await threads.load();
  return h("div", { class: "messages-page" }, h("h1", {}, t("messages.title")), lead,
    h("section", { class: "card threads-card", "aria-label": t("messages.conversations") }, threads.list));
}

/** /messages/:id: the thread of client :id, oldest at the top, the newest page first fetched and older on demand. */
export async function threadPage(ctx) {
  const id = Number(ctx.params.id);
  const me = ctx.user.id;
  const writer = ctx.user.role !== "admin";  // admins read for support; the two sides write
  const staff = STAFF.includes(ctx.user.role);
  const threads = threadList(ctx, id);
  const [first, items] = await Promise.all([get(`/api/conversations/${id}/messages`, { limit: PAGE }),
    threads.load()]);
  const thread = items.find((item) => item.client_id === id);
  // A trainer's list holds 100 threads at most: a client past them is named from their account.
  const name = thread ? title(thread, ctx.user.role) : staff ? (await get(`/api/users/${id}`)).full_name
    : t("messages.your_trainer");
  ctx.setTitle(t("messages.page_title", { name }));

  const messages = new Map(first.items.map((m) => [m.id, m]));
  let reads = first.reads || [];
  let before = first.next_before;
  let editing = null;
  const nodes = new Map();
  const marks = new Map();
  const list = h("ol", { class: "messages" });
  const older = h("button", { type: "button", class: "small older", hidden: !before },
    t("messages.show_older"));
  const log = h("div", { class: "thread-log", role: "log", tabindex: "0",
    "aria-label": t("messages.log_label", { name }) }, older, list);

  const readBy = (m) => reads.some((r) => r.user_id !== m.sender_id && r.last_read_id >= m.id);
  const editable = (m) => m.sender_id === me && !m.deleted_at && Date.parse(m.editable_until) > Date.now();
  const nearBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  let stuck = true;  // the view follows the newest message until the reader scrolls up
  const toBottom = () => { log.scrollTop = log.scrollHeight; stuck = true; };
  log.addEventListener("scroll", () => { stuck = nearBottom(); });
  const settle = () => { if (stuck) log.scrollTop = log.scrollHeight; };  // a photo loaded: it made the list taller

  function bubble(m) {
    const mine = m.sender_id === me;
    const body = m.deleted_at ? h("p", { class: "body deleted" }, t("messages.deleted"))
      : m.body ? h("p", { class: "body" }, m.body) : null;
    const tick = mine && !m.deleted_at ? (readBy(m)
      ? h("span", { class: "tick read", title: t("messages.read") }, h("span", { "aria-hidden": "true" }, "✓✓"),
        h("span", { class: "sr-only" }, t("messages.read")))
      : h("span", { class: "tick", title: t("messages.sent") }, h("span", { "aria-hidden": "true" }, "✓"),
        h("span", { class: "sr-only" }, t("messages.sent")))) : null;
    const tools = writer && editable(m) ? h("div", { class: "msg-tools" },
      m.body ? h("button", { type: "button", class: "link-button small", onclick: () => edit(m) },
        t("messages.edit")) : null,
      h("button", { type: "button", class: "link-button small", onclick: (e) => remove(m, e.currentTarget) },
        t("messages.delete"))) : null;
    return h("li", { class: `msg ${mine ? "mine" : "theirs"}`, dataset: tick ? { message: m.id, read: readBy(m) }
      : { message: m.id } },
      h("div", { class: "bubble" },
        mine ? h("span", { class: "sr-only" }, t("messages.you")) : h("p", { class: "sender" },
          m.sender_name || t("messages.someone")),
        body, m.attachments?.length && !m.deleted_at ? h("div", { class: "attachments" },
          m.attachments.map((file) => attachment(file, settle))) : null,
        h("p", { class: "meta" }, h("time", { datetime: m.created_at }, timeOf(m.created_at)),
          m.edited_at && !m.deleted_at ? ` · ${t("messages.edited")}` : null, tick ? " " : null, tick)),
      tools);
  }

  /** Patch the list in place: a message keeps its node (and the focus in it) until something shown changes. */
  function paint() {
    const wanted = [];
    let lastDay = null;
    for (const m of [...messages.values()].sort((a, b) => a.id - b.id)) {
      const day = dayOf(m.created_at);
      if (day !== lastDay) {
        if (!marks.has(day)) marks.set(day, h("li", { class: "day-mark" }, h("span", {}, fmtDate(m.created_at))));
        wanted.push(marks.get(day));
        lastDay = day;
      }
      const key = `${m.edited_at}|${m.deleted_at}|${m.sender_id === me && readBy(m)}|${editable(m)}`;
      const known = nodes.get(m.id);
      if (!known || (known.key !== key && editing !== m.id)) nodes.set(m.id, { key, node: bubble(m) });
      wanted.push(nodes.get(m.id).node);
    }
    let ref = list.firstChild;
    for (const node of wanted) {
      if (node === ref) { ref = ref.nextSibling; continue; }
      list.insertBefore(node, ref);
    }
    while (ref) { const next = ref.nextSibling; ref.remove(); ref = next; }
    if (!messages.size) {
      list.replaceChildren(h("li", { class: "empty" }, t(writer ? "messages.empty_hello" : "messages.empty")));
    }
  }

  function edit(m) {
    const entry = nodes.get(m.id);
    editing = m.id;
    const text = h("textarea", { id: uid("f"), name: "body", rows: 3, maxlength: 4000 });
    text.value = m.body;
    const done = () => { editing = null; nodes.delete(m.id); paint(); };
    const form = h("form", { class: "msg-edit", novalidate: true }, formAlert(),
      h("label", { for: text.id, class: "sr-only" }, t("messages.edit_label")), text,
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary small" }, t("messages.save")),
        h("button", { type: "button", class: "small", onclick: done }, t("common.cancel"))));
    onSubmit(form, async () => {
      messages.set(m.id, await put(`/api/conversations/${id}/messages/${m.id}`, { body: text.value }));
      done();
    });
    entry.node.querySelector(".bubble").replaceChildren(form);
    entry.node.querySelector(".msg-tools")?.remove();
    text.focus();
  }

  function remove(m, button) {
    // Two steps on the page itself (no confirm(): a dialog would block the live updates behind it).
    if (button.dataset.confirm !== "1") {
      button.dataset.confirm = "1";
      button.textContent = t("messages.delete_confirm");
      return;
    }
    del(`/api/conversations/${id}/messages/${m.id}`).then(() => {
      messages.set(m.id, { ...m, body: "", attachments: [], deleted_at: new Date().toISOString() });
      paint();
    }).catch((error) => toast(error.message, "error"));
  }

  let marking = null;
  async function markRead() {
    if (!writer || document.visibilityState !== "visible" || marking) return;
    const newest = Math.max(0, ...messages.keys());
    const mine = reads.find((r) => r.user_id === me);
    if (!newest || (mine && mine.last_read_id >= newest)) return;
    marking = post(`/api/conversations/${id}/read`, { message_id: newest })
      .then(() => { reads = [...reads.filter((r) => r.user_id !== me), { user_id: me, last_read_id: newest }]; })
      .catch(() => {}).finally(() => { marking = null; });
  }

  older.addEventListener("click", async () => {
    older.disabled = true;
    try {
      const page = await get(`/api/conversations/${id}/messages`, { limit: PAGE, before });
      const height = log.scrollHeight;
      page.items.forEach((m) => messages.set(m.id, m));
      before = page.next_before;
      older.hidden = !before;
      paint();
      log.scrollTop += log.scrollHeight - height;  // keep the message that was at the top where it was
    } finally { older.disabled = false; }
  });

  const arrived = (message) => {
    const m = message.data;
    if (!m || m.client_id !== id) return;
    const stick = stuck || nearBottom() || m.sender_id === me;
    messages.set(m.id, m);
    paint();
    if (stick) toBottom();
    markRead();
  };
  const stops = [onLive("message.created", arrived), onLive("message.updated", arrived),
    onLive("message.read", (message) => {
      const r = message.data;
      if (!r || r.client_id !== id) return;
      reads = [...reads.filter((x) => x.user_id !== r.user_id), r];
      paint();
    }),
    // Back from offline: what was said meanwhile comes from the API, then live again.
    onLive("status", (status) => {
      if (status.channel !== "notifications" || status.status !== "live") return;
      get(`/api/conversations/${id}/messages`, { limit: PAGE }).then((page) => {
        page.items.forEach((m) => messages.set(m.id, m));
        reads = page.reads || reads;
        paint();
        markRead();
      }).catch(() => {});
    })];
  const visible = () => markRead();
  document.addEventListener("visibilitychange", visible);
  const clock = setInterval(paint, 30000);  // the Edit and Delete buttons go when the 15 minutes are over
  ctx.onLeave(() => { stops.forEach((stop) => stop()); document.removeEventListener("visibilitychange", visible);
    clearInterval(clock); });

  paint();
  requestAnimationFrame(toBottom);
  markRead();

  const compose = writer ? composer(id, staff, (m) => {
    messages.set(m.id, m);
    // Sending reads the thread up to one's own message (the API does the same).
    reads = [...reads.filter((r) => r.user_id !== me), { user_id: me, last_read_id: m.id }];
    paint();
    toBottom();
  }) : h("p", { class: "notice" }, t("messages.admin_notice"));
  const head = h("div", { class: "page-head" }, h("h1", {}, name),
    staff ? h("div", { class: "actions" }, link(`/clients/${id}`, t("messages.client_page"), { class: "button small" }),
      link(`/check-ins/${id}`, t("messages.check_ins"), { class: "button small" })) : null);
  return h("div", { class: staff ? "messenger with-list" : "messenger" },
    staff ? h("aside", { class: "thread-aside card", "aria-label": t("messages.conversations") },
      h("h2", {}, t("messages.conversations")), threads.list) : null,
    h("section", { class: "thread-pane", "aria-label": t("messages.pane_label", { name }) },
      staff ? h("p", { class: "back" }, link("/messages", t("messages.all_conversations"))) : null,
      head, log, compose));
}
