// Comments under a logged workout: the trainer's feedback and the client's replies, oldest first, kept live.
// Mounted by the screens that show a workout's log (trainer.js clientPage, client.js historyPage) once it is shown.
import { all, del, post } from "./api.js";
import { h, formAlert, onSubmit, toast, uid } from "./dom.js";
import { locale, t } from "./i18n.js";
import { Channel, onLive } from "./live.js";

const WINDOW_MS = 15 * 60 * 1000;  // an author may delete a comment this long after writing it (the API's rule)
let channel = null;  // one "workouts" socket per page for every comment box on it, closed when the page is left

function listen(ctx) {
  if (channel) return;
  channel = new Channel("workouts").start();
  ctx.onLeave(() => { channel?.stop(); channel = null; });
}

/** Append the comment thread of `workout` to `box` (the box its log is shown in); again replaces it. */
export async function mountComments(workout, box, ctx) {
  box.querySelector(":scope > .comments")?.remove();
  const me = ctx.user.id;
  const writer = ctx.user.role !== "admin";  // admins read for support; the two sides write
  const shown = new Map();
  const list = h("ol", { class: "comment-list" });
  const headingId = uid("c");

  function item(c) {
    const deletable = c.author_id === me && Date.parse(c.created_at) + WINDOW_MS > Date.now();
    const remove = deletable ? h("button", { type: "button", class: "link-button small" }, t("comments.delete")) : null;
    remove?.addEventListener("click", async () => {
      if (remove.dataset.confirm !== "1") {
        remove.dataset.confirm = "1";
        remove.textContent = t("comments.delete_confirm");
        return;
      }
      try {
        await del(`/api/workouts/${workout.id}/comments/${c.id}`);
        shown.delete(c.id);
        paint();
      } catch (error) { toast(error.message, "error"); }
    });
    return h("li", { class: c.author_id === me ? "comment mine" : "comment", dataset: { comment: c.id } },
      h("p", { class: "comment-head small" },
        h("strong", {}, c.author_id === me ? t("comments.you") : c.author_name || t("comments.someone")),
        " · ", h("time", { datetime: c.created_at }, new Date(c.created_at).toLocaleString(locale(), {
          day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }))),
      h("p", { class: "comment-body" }, c.body), remove);
  }

  function paint() {
    const items = [...shown.values()].sort((a, b) => a.id - b.id);
    list.replaceChildren(...(items.length ? items.map(item)
      : [h("li", { class: "empty" }, writer ? t("comments.empty_writer") : t("comments.empty"))]));
  }

  (await all(`/api/workouts/${workout.id}/comments`, {}, 500)).forEach((c) => shown.set(c.id, c));
  paint();

  const text = h("textarea", { id: uid("f"), name: "body", rows: 2, maxlength: 4000, required: true });
  const error = h("p", { class: "field-error", id: `${text.id}-error`, hidden: true });
  text.setAttribute("aria-describedby", error.id);
  const form = writer ? h("form", { class: "comment-form", novalidate: true }, formAlert(),
    h("label", { for: text.id }, ctx.user.role === "trainer" ? t("comments.label_trainer") : t("comments.label_client")),
    text, error, h("button", { type: "submit", class: "primary small" }, t("comments.post"))) : null;
  if (form) {
    onSubmit(form, async (v) => {
      const comment = await post(`/api/workouts/${workout.id}/comments`, { body: v.body ?? "" });
      shown.set(comment.id, comment);
      paint();
      form.reset();
      text.focus();
    });
  }

  listen(ctx);
  const stop = onLive("comment.created", (message) => {
    const c = message.data;
    if (!c || c.workout_id !== workout.id || shown.has(c.id)) return;
    if (!box.isConnected) { stop(); return; }  // the log box was closed or redrawn: nothing to keep current
    shown.set(c.id, c);
    paint();
  });
  ctx.onLeave(stop);

  box.append(h("section", { class: "comments", "aria-labelledby": headingId },
    h("h3", { id: headingId }, t("comments.title")), list, form));
}
