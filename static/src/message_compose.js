// The parts of a message the thread draws and the box to write one in (static/src/messages.js puts them together).
import { ApiError, post, upload } from "./api.js";
import { h, svg, formAlert, onSubmit, uid } from "./dom.js";
import { t } from "./i18n.js";

const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
const ACCEPT = "image/jpeg,image/png,image/webp,image/heic,application/pdf";
const sizeOf = (n) => (n >= 1048576 ? t("message_compose.size_mb", { size: (n / 1048576).toFixed(1) })
  : t("message_compose.size_kb", { size: Math.max(1, Math.round(n / 1024)) }));
// Drawn, not an emoji: a phone or a server without an emoji font would show an empty box.
const icon = (d) => svg("svg", { viewBox: "0 0 24 24", width: 20, height: 20, "aria-hidden": "true", class: "icon" },
  svg("path", { d }));
const CLIP = "M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5a2.5 2.5 0 0 1 5 0v10.5c0 .55-.45 1-1 1s-1-.45-1-1V6H10v9.5a2.5 "
  + "2.5 0 0 0 5 0V5c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6h-1.5z";
const PAGE_ICON = "M14 2H6c-1.1 0-2 .9-2 2v16c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V8l-6-6zm2 16H8v-2h8v2zm0-4H8v-2h8v2zm-3-5V3.5"
  + "L18.5 9H13z";

/** An attachment as the thread shows it: a photo (its signed URL), or a file to download. */
export function attachment(file, onLoad) {
  if (PHOTO_TYPES.includes(file.content_type)) {
    return h("a", { href: file.url, target: "_blank", rel: "noopener", class: "attachment-photo" },
      h("img", { src: file.url, alt: t("message_compose.photo_alt"), onload: onLoad }));
  }
  return h("a", { href: file.url, download: file.filename, class: "attachment-file" }, icon(PAGE_ICON),
    file.content_type === "application/pdf" ? "PDF" : t("message_compose.file"), ` · ${sizeOf(file.size)}`);
}

/** The box to write in: text, photos or PDFs (uploaded first, then attached by filename), Send or Ctrl+Enter. */
export function composer(clientId, staff, sent) {
  const text = h("textarea", { id: uid("f"), name: "body", rows: 2, maxlength: 4000,
    placeholder: t("message_compose.write") });
  const files = h("input", { type: "file", id: uid("f"), name: "files", accept: ACCEPT, multiple: true,
    class: "sr-only file-pick" });
  const chosen = h("ul", { class: "chosen", "aria-label": t("message_compose.attached"), hidden: true });
  let picked = [];
  const showPicked = () => {
    chosen.hidden = !picked.length;
    chosen.replaceChildren(...picked.map((file, i) => h("li", {}, h("span", { class: "chip-name" }, file.name),
      h("button", { type: "button", class: "link-button small",
        "aria-label": t("message_compose.remove_label", { name: file.name }),
        onclick: () => { picked.splice(i, 1); showPicked(); text.focus(); } }, t("message_compose.remove")))));
  };
  files.addEventListener("change", () => { picked = [...picked, ...files.files].slice(0, 10); files.value = ""; showPicked(); });
  const error = h("p", { class: "field-error", id: `${text.id}-error`, hidden: true });
  text.setAttribute("aria-describedby", error.id);
  const form = h("form", { class: "compose", novalidate: true, "aria-label": t("message_compose.write") },
    formAlert(),
    h("label", { for: text.id, class: "sr-only" }, t("message_compose.message")),
    h("div", { class: "compose-row" },
      files, h("label", { for: files.id, class: "button attach", title: t("message_compose.attach") },
        icon(CLIP), h("span", { class: "sr-only" }, t("message_compose.attach"))),
      text, h("button", { type: "submit", class: "primary" }, t("message_compose.send"))),
    error, chosen);
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });
  onSubmit(form, async () => {
    const body = text.value;
    if (!body.trim() && !picked.length) throw new ApiError(422, { detail: [{ loc: ["body", "body"],
      msg: t("message_compose.empty_error") }] });
    const names = [];
    for (const file of picked) {
      const purpose = file.type === "application/pdf" ? "document" : "progress_photo";
      names.push((await upload(file, purpose, staff ? clientId : null)).filename);
    }
    const message = await post(`/api/conversations/${clientId}/messages`, { body, attachments: names });
    text.value = "";
    picked = [];
    showPicked();
    sent(message);
    text.focus();
  });
  return form;
}
