// Two admin sections of the System page (admin.js systemPage mounts them): whether the studio sends mail and how
// its queue is doing (GET /api/system/mail), and importing a client's export ZIP made by another Elior
// (POST /api/imports, docs/data-export.md). The import answers in one go (201, no job to follow), so the form shows
// an indeterminate progress bar while the upload and the import run.
import { ApiError, all, get, request } from "./api.js";
import { field, fmtNum, fmtTime, formAlert, h, link, onSubmit, section } from "./dom.js";
import { t } from "./i18n.js";

const when = (at) => (at ? fmtTime(at) : "–");

/** The mail status as the page shows it: one sentence when mail is off, the queue's figures when on. */
function mailView(mail) {
  if (!mail.enabled) {
    return [h("p", { class: "mail-off" }, t("system_extras.mail_off")),
      mail.reason ? h("p", { class: "small muted" }, t("system_extras.mail_off_reason", { reason: mail.reason })) : null];
  }
  // The port as written in the settings (a number given to t() would be grouped: "2,525").
  const address = `${mail.host}:${mail.port}`;
  const figures = [
    ["system_extras.mail_server", t(mail.starttls ? "system_extras.mail_server_tls" : "system_extras.mail_server_plain",
      { address })],
    ["system_extras.mail_queued", mail.queued ? t("system_extras.mail_queued_since",
      { queued: fmtNum(mail.queued, 0), since: when(mail.oldest_queued_at) }) : fmtNum(0, 0)],
    ["system_extras.mail_sent", fmtNum(mail.sent, 0)],
    ["system_extras.mail_failed", fmtNum(mail.failed, 0)],
    ["system_extras.mail_last_sent", when(mail.last_sent_at)],
    ["system_extras.mail_last_error", mail.last_error ? [mail.last_error,
      h("div", { class: "small muted" }, when(mail.last_error_at))] : t("system_extras.mail_no_error")],
  ];
  return [h("p", { class: "mail-on" }, t("system_extras.mail_on", { sender: mail.sender || "–" })),
    h("dl", { class: "tree mail-figures" }, figures.flatMap(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value)]))];
}

/** The "Mail" section, with a button to read the figures again (the queue moves while the page is open). */
export async function mailSection() {
  const body = h("div", { "aria-live": "polite" }, mailView(await get("/api/system/mail")));
  const again = h("button", { type: "button", class: "small" }, t("system_extras.mail_refresh"));
  again.addEventListener("click", async () => {
    again.disabled = true;
    try {
      body.replaceChildren(...mailView(await get("/api/system/mail")).filter(Boolean));
    } finally {
      again.disabled = false;
    }
  });
  return section(t("system_extras.mail_title"), body, again);
}

/** The "Import a client" section: the ZIP, the trainer to give the client to (optional, as for the API), Import. */
export async function importSection() {
  const trainers = (await all("/api/users", { role: "trainer" })).filter((x) => x.is_active !== false && x.is_active !== 0);
  const busy = h("p", { class: "import-busy", role: "status", hidden: true },
    h("progress", { "aria-label": t("system_extras.import_progress") }), " ", t("system_extras.importing"));
  const result = h("div", { class: "import-result", "aria-live": "polite" });
  const form = h("form", { class: "editor import-form", novalidate: true, "aria-label": t("system_extras.import_title") },
    formAlert(),
    h("div", { class: "row" },
      field(t("system_extras.import_file"), "file", { type: "file", required: true, hint: t("system_extras.import_file_hint"),
        attrs: { accept: ".zip,application/zip" } }),
      // The API names the trainer by email (?trainer=EMAIL); an active trainer of this studio.
      field(t("system_extras.import_trainer"), "trainer", { hint: t("system_extras.import_trainer_hint"),
        choices: [["", t("system_extras.import_no_trainer")], ...trainers.map((x) => [x.email, x.full_name])] })),
    h("button", { type: "submit", class: "primary" }, t("system_extras.import_button")), busy);
  onSubmit(form, async (v) => {
    const chosen = form.querySelector("[name=file]").files[0];
    // Said next to the field the way the server's 422 would be, without sending an empty form.
    if (!chosen) throw new ApiError(422, { detail: [{ loc: ["body", "file"], msg: t("system_extras.import_choose") }] });
    const upload = new FormData();
    upload.append("file", chosen);
    result.replaceChildren();
    busy.hidden = false;
    let answer;
    try {
      answer = await request("POST", "/api/imports", { form: upload, query: { trainer: v.trainer } });
    } finally {
      busy.hidden = true;
    }
    const client = await get(`/api/users/${answer.client_id}`);
    const rows = Object.values(answer.counts || {}).reduce((n, count) => n + count, 0);
    form.reset();
    result.replaceChildren(
      h("p", { role: "status" }, t("system_extras.imported", { name: client.full_name, count: rows })),
      h("p", {}, link(`/clients/${client.id}`, t("system_extras.open_client", { name: client.full_name }))));
  });
  return section(t("system_extras.import_title"), h("p", { class: "small" }, t("system_extras.import_intro")), form,
    result);
}
