// Check-ins: the client's form for the period under way and their past answers with the trainer's replies; the
// trainer's overview of every client's check-ins, and one client's review (charts of the number and scale answers,
// each check-in's answers, a reply). Live over the "progress" channel (check_in.submitted / check_in.replied).
import { ApiError, all, get, photoUrl, post, put, upload } from "./api.js";
import { checkinSetup } from "./checkin_setup.js";
import { habitsCoach } from "./habits.js";
import { h, link, empty, formAlert, onSubmit, section, fmtDate, fmtNum, fmtTime, toast, uid } from "./dom.js";
import { t } from "./i18n.js";
import { Channel, onLive } from "./live.js";
import { lineChart } from "./progress.js";

/** Open the progress channel for this page, and call `fn` for check-in events about `clientId`. */
function live(ctx, clientId, fn) {
  const channel = new Channel("progress").start();
  const stop = onLive("*", (message) => {
    if (message.type?.startsWith("check_in.") && Number(message.data?.client_id) === clientId) fn(message);
  });
  ctx.onLeave(() => { stop(); channel.stop(); });
}

const period = (c) => `${fmtDate(c.period_start)}${c.period_end ? ` – ${fmtDate(c.period_end)}` : ""}`;

/** A check-in's state for the one who answers or reviews it: [css kind, text]. */
export function dueState(current) {
  if (!current) return null;
  if (current.check_in_id) return ["ok", t("checkins.answered")];
  const since = { date: fmtDate(current.period_start) };
  return current.overdue ? ["warn", t("checkins.overdue_since", since)] : ["todo", t("checkins.due_since", since)];
}

function answerValue(a) {
  if (a.value === null || a.value === undefined) return h("span", { class: "muted" }, t("checkins.skipped"));
  if (a.kind === "yes_no") return a.value ? t("checkins.yes") : t("checkins.no");
  if (a.kind === "scale") return t("checkins.scale_value", { value: a.value });
  // Isolated, so that "81.5 kg" keeps its order in a right-to-left page.
  if (a.kind === "number") return h("bdi", {}, `${fmtNum(a.value, 2)}${a.unit ? ` ${a.unit}` : ""}`);
  if (a.kind === "photo") {
    const img = h("img", { class: "answer-photo", alt: t("checkins.photo_alt", { prompt: a.prompt }),
      loading: "lazy" });
    photoUrl(a.value).then((src) => { img.src = src; }).catch(() => { img.alt = t("checkins.photo_unavailable"); });
    return img;
  }
  return h("span", { class: "answer-text" }, String(a.value));
}

function answers(checkIn) {
  return h("dl", { class: "answers" }, checkIn.answers.map((a) => [h("dt", {}, h("bdi", {}, a.prompt)),
    h("dd", {}, answerValue(a))]));
}

// --- the client ---

function scaleControl(name, labelId) {
  return h("div", { class: "scale", role: "radiogroup", "aria-labelledby": labelId },
    Array.from({ length: 10 }, (_, i) => {
      const id = uid("r");
      return h("span", { class: "scale-option" }, h("input", { type: "radio", id, name, value: i + 1 }),
        h("label", { for: id }, String(i + 1)));
    }));
}

function questionField(q, index) {
  const name = `answers.${index}.value`;  // a 422's loc (body, answers, index, value) finds its control
  const labelId = uid("q");
  const error = h("p", { class: "field-error", id: `${labelId}-error`, hidden: true });
  let control;
  if (q.kind === "scale") control = scaleControl(name, labelId);
  else if (q.kind === "yes_no") {
    control = h("div", { class: "yes-no", role: "radiogroup", "aria-labelledby": labelId }, [["true", t("checkins.yes")],
      ["false", t("checkins.no")]].map(([value, text]) => {
      const id = uid("r");
      return h("span", { class: "scale-option wide" }, h("input", { type: "radio", id, name, value }),
        h("label", { for: id }, text));
    }));
  } else if (q.kind === "number") {
    control = h("input", { type: "number", id: uid("f"), name, step: "any", inputmode: "decimal" });
  } else if (q.kind === "photo") {
    control = h("input", { type: "file", id: uid("f"), name, accept: "image/*", capture: "environment" });
  } else control = h("textarea", { id: uid("f"), name, rows: 3, maxlength: 4000 });
  const inputs = control.matches("input, textarea") ? [control] : [...control.querySelectorAll("input")];
  inputs.forEach((input) => input.setAttribute("aria-describedby", error.id));
  const text = q.kind === "number" && q.unit ? `${q.prompt} (${q.unit})` : q.prompt;
  const label = inputs.length === 1 && control === inputs[0] ? h("label", { for: control.id, id: labelId }, text)
    : h("p", { class: "question-label", id: labelId }, text);
  return h("div", { class: "field question", dataset: { question: q.id, kind: q.kind } }, label, control, error);
}

function checkInForm(schedule, onSent) {
  const questions = [...schedule.questions].sort((a, b) => a.position - b.position);
  const form = h("form", { class: "checkin-form", novalidate: true, "aria-label": schedule.title }, formAlert(),
    questions.map(questionField), h("button", { type: "submit", class: "primary huge" }, t("checkins.send")));
  onSubmit(form, async () => {
    const data = new FormData(form);  // radios answer by the checked one, which values() does not know
    const body = [];
    for (const [index, q] of questions.entries()) {
      const raw = data.get(`answers.${index}.value`);
      let value = null;
      if (q.kind === "photo") {
        if (raw instanceof File && raw.size) value = (await upload(raw, "progress_photo", null)).filename;
      } else if (raw !== null && String(raw).trim() !== "") {
        value = q.kind === "yes_no" ? raw === "true" : q.kind === "text" ? String(raw).trim() : Number(raw);
      }
      body.push({ question_id: q.id, value });
    }
    if (body.every((a) => a.value === null)) {
      throw new ApiError(422, { detail: t("checkins.answer_one") });
    }
    onSent(await post("/api/check-ins", { answers: body }));
  });
  return form;
}

function history(items, forClient) {
  if (!items.length) return empty(t("checkins.none"));
  return h("ul", { class: "checkins" }, items.map((c) => h("li", { class: "checkin", dataset: { checkIn: c.id } },
    h("h3", {}, `${c.title} · ${fmtDate(c.period_start)}`),
    h("p", { class: "small muted" }, t("checkins.sent_at", { time: fmtTime(c.submitted_at) })), answers(c),
    c.reply ? h("div", { class: "reply" }, h("p", { class: "small muted" }, forClient ? t("checkins.trainer_replied")
      : t("checkins.your_reply"), c.replied_at ? ` · ${fmtTime(c.replied_at)}` : ""),
    h("p", { class: "reply-text" }, c.reply))
      : forClient ? h("p", { class: "small muted" }, t("checkins.waiting_reply")) : null)));
}

/** /check-in: the client answers the period under way, and reads the replies to earlier ones. */
export async function myCheckIn(ctx) {
  const me = ctx.user.id;
  const [formBox, pastBox] = [h("div"), h("div")];
  // keepForm: a live reply to an earlier check-in must not wipe answers being typed in this period's form.
  async function load(keepForm = false) {
    const list = await get("/api/check-ins", { limit: 50 });
    const current = list.current;
    if (keepForm && formBox.querySelector("form")) {
      // leave the form as it is
    } else if (current && !current.check_in_id) {
      const schedule = await get(`/api/check-ins/schedules/${me}`);
      formBox.replaceChildren(h("p", { class: "lead" },
        t("checkins.period_lead", { title: schedule.title, period: period(current) }),
        current.overdue ? h("span", { class: "flag warn" }, ` ${t("checkins.overdue")}`) : null),
      checkInForm(schedule, () => { toast(t("checkins.sent_toast")); load(); }));
    } else if (current) {
      formBox.replaceChildren(h("p", { class: "notice" }, t("checkins.sent_notice", { period: period(current) })));
    } else {
      formBox.replaceChildren(empty(t("checkins.not_set_up")));
    }
    pastBox.replaceChildren(history(list.items, true));
  }
  await load();
  live(ctx, me, () => load(true).catch(() => {}));
  return h("div", {}, h("h1", {}, t("checkins.my_title")), h("div", { class: "grid" },
    section(t("checkins.this_period_title"), formBox), section(t("checkins.yours_title"), pastBox)));
}

// --- the trainer ---

function charts(series) {
  const lines = series.filter((s) => s.points.length).map((s) => lineChart(
    s.points.map((p) => ({ date: String(p.period_start).slice(0, 10), y: Number(p.value) })), s.prompt,
    s.kind === "scale" ? t("checkins.scale_unit") : s.unit || ""));
  return lines.length ? h("div", { class: "charts" }, lines) : empty(t("checkins.no_chart"));
}

function replyForm(checkIn, name, onSaved) {
  const text = h("textarea", { id: uid("f"), name: "reply", rows: 3, maxlength: 4000 });
  text.defaultValue = checkIn.reply || "";
  const error = h("p", { class: "field-error", id: `${text.id}-error`, hidden: true });
  text.setAttribute("aria-describedby", error.id);
  const form = h("form", { class: "reply-form", novalidate: true }, formAlert(),
    h("label", { for: text.id }, checkIn.reply ? t("checkins.change_your_reply") : t("checkins.reply_to", { name })),
    text, error, h("button", { type: "submit", class: "primary small" },
      checkIn.reply ? t("checkins.update_reply") : t("checkins.send_reply")));
  onSubmit(form, async (v) => onSaved(await put(`/api/check-ins/${checkIn.id}/reply`, { reply: v.reply ?? "" })));
  return form;
}

/** /check-ins/:id: one client's check-ins for their trainer: status, charts, answers and replies, habits. */
export async function checkInReview(ctx) {
  const id = Number(ctx.params.id);
  const person = await get(`/api/users/${id}`);
  ctx.setTitle(t("checkins.review_page_title", { name: person.full_name }));
  const first = person.full_name.split(" ")[0];
  const [statusBox, chartBox, listBox] = [h("div"), h("div"), h("ul", { class: "checkins" })];
  const cards = new Map();
  const [stateLine, setupBox] = [h("div"), h("div")];
  statusBox.replaceChildren(stateLine, setupBox);
  // The setup forms are drawn again only when the schedule changed, never under a trainer typing in them.
  async function load(setup = false) {
    const list = await get("/api/check-ins", { client_id: id, limit: 50 });
    const state = dueState(list.current);
    stateLine.replaceChildren(state ? h("p", {}, h("span", { class: `flag ${state[0]}` }, state[1]),
      ` · ${t("checkins.this_period", { period: period(list.current) })}`) : empty(t("checkins.no_period")));
    if (setup) setupBox.replaceChildren(await checkinSetup(id, list.current, () => load(true)));
    chartBox.replaceChildren(charts(list.series));
    // Cards are kept while unchanged, so a reply being typed survives a new check-in arriving live.
    const nodes = list.items.map((c) => {
      const key = `${c.reply}|${c.replied_at}`;
      const known = cards.get(c.id);
      if (known && known.key === key) return known.node;
      const form = replyForm(c, first, () => { toast(t("checkins.reply_sent", { name: first })); load(); });
      const node = h("li", { class: "checkin", dataset: { checkIn: c.id } },
        h("h3", {}, `${c.title} · ${fmtDate(c.period_start)}`),
        h("p", { class: "small muted" }, t("checkins.sent_at", { time: fmtTime(c.submitted_at) })), answers(c),
        c.reply ? h("div", { class: "reply" }, h("p", { class: "small muted" }, t("checkins.your_reply")),
          h("p", { class: "reply-text" }, c.reply)) : null,
        // An answered one keeps its form folded away: the page is for what still needs a reply.
        c.reply ? h("details", { class: "change-reply" }, h("summary", {}, t("checkins.change_the_reply")), form)
          : form);
      cards.set(c.id, { key, node });
      return node;
    });
    listBox.replaceChildren(...(nodes.length ? nodes : [h("li", {}, empty(t("checkins.none")))]));
  }
  await load(true);
  live(ctx, id, () => load().catch(() => {}));
  return h("div", { dataset: { client: id } },
    h("div", { class: "page-head" }, h("h1", {}, t("checkins.review_title", { name: person.full_name })),
      h("div", { class: "actions" }, link(`/clients/${id}`, t("checkins.client_page"), { class: "button small" }),
        link(`/messages/${id}`, t("checkins.messages"), { class: "button small" }))),
    h("div", { class: "grid" }, section(t("checkins.schedule_title"), statusBox),
      section(t("checkins.over_time_title"), chartBox)),
    section(t("checkins.list_title"), listBox), await habitsCoach(id));
}

/** /check-ins: every client's check-in state, those waiting for a reply first, then the overdue. */
export async function checkInsOverview(ctx) {
  const clients = await all("/api/users", { role: "client" });
  const rows = await Promise.all(clients.map(async (c) => ({ c, list: await get("/api/check-ins",
    { client_id: c.id, limit: 1 }).catch(() => null) })));
  const rank = ({ list }) => {
    const last = list?.items?.[0];
    if (last && !last.reply) return 0;
    if (list?.current && !list.current.check_in_id) return list.current.overdue ? 1 : 2;
    return list?.current ? 3 : 4;
  };
  rows.sort((a, b) => rank(a) - rank(b) || a.c.full_name.localeCompare(b.c.full_name));
  const body = rows.map((row) => {
    const last = row.list?.items?.[0];
    const state = dueState(row.list?.current);
    const flags = [last && !last.reply ? ["new", t("checkins.needs_reply")] : null,
      state && state[0] !== "ok" ? state : null].filter(Boolean);
    return h("tr", { dataset: { client: row.c.id } },
      h("th", { scope: "row" }, link(`/check-ins/${row.c.id}`, row.c.full_name)),
      h("td", {}, flags.length ? h("ul", { class: "flags" }, flags.map(([kind, text]) =>
        h("li", { class: `flag ${kind}` }, text)))
        : h("span", { class: "muted" }, row.list?.current ? t("checkins.up_to_date") : t("checkins.no_schedule"))),
      h("td", {}, last ? fmtDate(last.period_start) : "–"));
  });
  return h("div", {}, h("h1", {}, t("checkins.overview_title")),
    h("p", { class: "lead" }, clients.length ? t("checkins.overview_lead") : t("checkins.no_clients")),
    h("div", { class: "table-wrap" }, h("table", { class: "clients" },
      h("caption", { class: "sr-only" }, t("checkins.overview_caption")),
      h("thead", {}, h("tr", {}, [t("checkins.col_client"), t("checkins.col_check_in"), t("checkins.col_last")]
        .map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, body))));
}
