// A client's documents: PDFs (files with purpose "document") about one client, for the client and their trainer.
// The list is read a page at a time (GET /api/files?client_id=&purpose=document); each downloads through its signed
// URL (the server sends a document as an attachment); a PDF is uploaded for the client (a client for themself, staff
// for a client they may see) and deleted after a confirmation by anyone the server lets (the client, their trainer,
// admins). The server keeps no original file name, so a document is named by when it was uploaded.
import { del, upload } from "./api.js";
import { h, field, formAlert, onSubmit, section, confirmButton, fmtTime, toast } from "./dom.js";
import { t } from "./i18n.js";
import { pagedList } from "./views.js";

const MB = 1024 * 1024;
const size = (bytes) => (bytes >= MB ? t("documents.size_mb", { size: Math.round((bytes / MB) * 10) / 10 })
  : t("documents.size_kb", { size: Math.max(1, Math.round(bytes / 1024)) }));

function item(file, reload) {
  const when = fmtTime(file.created_at);
  return h("li", { class: "entry document-row", dataset: { file: file.filename } },
    h("div", {}, h("strong", {}, t("documents.name", { when })),
      h("div", { class: "small muted" }, t("documents.details", { size: size(file.size) }))),
    h("div", { class: "actions" },
      h("a", { href: file.url, download: file.filename, class: "button small",
        "aria-label": t("documents.download_label", { when }) }, t("documents.download")),
      " ",
      confirmButton(t("documents.delete"), t("documents.delete_confirm", { when }), async () => {
        await del(`/api/files/${encodeURIComponent(file.filename)}`);
        toast(t("documents.deleted"));
        await reload();
      }, { "aria-label": t("documents.delete_label", { when }) })));
}

function uploadForm(clientId, reload) {
  const form = h("form", { class: "editor", novalidate: true, "aria-label": t("documents.upload_form") }, formAlert(),
    field(t("documents.file"), "file", { type: "file", attrs: { accept: "application/pdf,.pdf" } }),
    h("button", { type: "submit", class: "primary" }, t("documents.upload")));
  onSubmit(form, async () => {
    const input = form.querySelector("input[type=file]");
    if (!input.files.length) throw { status: 422, detail: [{ loc: ["body", "file"], msg: t("documents.choose") }] };
    await upload(input.files[0], "document", clientId);
    form.reset();
    toast(t("documents.uploaded"));
    await reload();
  });
  return form;
}

/** The documents of client `clientId` as a section headed `title`: the list (newest first), and a PDF upload. */
export async function documentsPanel(clientId, { title = null } = {}) {
  const holder = h("div", { class: "documents" });
  async function reload() {
    holder.replaceChildren(await pagedList("/api/files", { client_id: clientId, purpose: "document" },
      (files) => files.map((file) => item(file, reload)),
      { className: "entries documents-list", pageSize: 25, emptyText: t("documents.none"),
        label: t("documents.items_label") }));
  }
  await reload();
  return section(title || t("documents.title"), holder, uploadForm(clientId, reload));
}
