// Issue 18 (export): "Download my data". Asks for a client's export, follows its progress, and offers the ZIP through
// the signed link the server hands out (GET /api/exports/{id} gives a fresh one each time; it needs no token).
import { get, post } from "./api.js";
import { fmtTime, h, section } from "./dom.js";
import { t } from "./i18n.js";

const POLL_MS = 700;
const ACTIVE = new Set(["queued", "running"]);

/** A route's view with the export panel added at its end: `withExport([module, "view"], (ctx) => clientId)`. */
export function withExport(view, clientOf) {
  return async (ctx) => {
    const fn = Array.isArray(view) ? (await view[0]())[view[1]] : view;
    const node = await fn(ctx);
    if (node) node.append(exportPanel(clientOf(ctx), ctx));
    return node;
  };
}

const size = (bytes) => (bytes >= 1e6 ? t("export.size_mb", { size: (bytes / 1e6).toFixed(1) })
  : t("export.size_kb", { size: Math.max(1, Math.round(bytes / 1e3)) }));

export function exportPanel(clientId, ctx) {
  const own = ctx.user.id === clientId;
  const bar = h("progress", { max: "100", value: "0", hidden: true, "aria-label": t("export.progress_label") });
  const status = h("p", { class: "small", role: "status", "aria-live": "polite" });
  const download = h("p", { class: "export-link" });
  const button = h("button", { type: "button", class: "export-start" },
    t(own ? "export.start_own" : "export.start_client"));
  let timer = null;
  let gone = false;
  ctx.onLeave(() => { gone = true; clearTimeout(timer); });

  const show = (job) => {
    const active = ACTIVE.has(job.status);
    button.disabled = active;
    bar.hidden = !active;
    bar.value = job.progress;
    download.replaceChildren();
    if (active) {
      status.textContent = job.status === "queued" ? t("export.queued")
        : t("export.preparing", { percent: job.progress });
    } else if (job.status === "failed") {
      status.textContent = t("export.failed", { error: job.error || t("export.unknown_error") });
    } else if (job.download_url) {
      status.textContent = t("export.ready", { size: size(job.size_bytes || 0), until: fmtTime(job.expires_at) });
      download.append(h("a", { href: job.download_url, download: "", class: "button" }, t("export.save_zip")));
    } else status.textContent = t("export.expired");
  };

  const follow = async (id) => {
    if (gone) return;
    try {
      const job = await get(`/api/exports/${id}`);
      if (gone) return;
      show(job);
      if (ACTIVE.has(job.status)) timer = setTimeout(() => follow(id), POLL_MS);
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  };

  button.addEventListener("click", async () => {
    button.disabled = true;
    status.textContent = t("export.asking");
    try {
      const job = await post("/api/exports", { client_id: clientId });
      show(job);
      follow(job.id);
    } catch (error) {
      status.textContent = error.message;
      button.disabled = false;
    }
  });

  // The newest export of this client, if any: a visit back finds it still running, or ready.
  get("/api/exports", { client_id: clientId, limit: 1 }).then((page) => {
    const job = page.items[0];
    if (!job || gone) return;
    show(job);
    if (ACTIVE.has(job.status)) follow(job.id);
  }).catch(() => {});

  return section(t(own ? "export.heading_own" : "export.heading_client"),
    h("p", { class: "small" }, t(own ? "export.explain_own" : "export.explain_client")),
    button, bar, status, download);
}
