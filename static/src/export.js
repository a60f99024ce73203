// Issue 18 (export): "Download my data". Asks for a client's export, follows its progress, and offers the ZIP through
// the signed link the server hands out (GET /api/exports/{id} gives a fresh one each time; it needs no token).
import { get, post } from "./api.js";
import { h, section } from "./dom.js";

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

const size = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB`
  : `${Math.max(1, Math.round(bytes / 1e3))} KB`);

export function exportPanel(clientId, ctx) {
  const own = ctx.user.id === clientId;
  const bar = h("progress", { max: "100", value: "0", hidden: true, "aria-label": "Export progress" });
  const status = h("p", { class: "small", role: "status", "aria-live": "polite" });
  const download = h("p", { class: "export-link" });
  const button = h("button", { type: "button", class: "export-start" },
    own ? "Download my data" : "Download this client's data");
  let timer = null;
  let gone = false;
  ctx.onLeave(() => { gone = true; clearTimeout(timer); });

  const show = (job) => {
    const active = ACTIVE.has(job.status);
    button.disabled = active;
    bar.hidden = !active;
    bar.value = job.progress;
    download.replaceChildren();
    if (active) status.textContent = job.status === "queued" ? "Waiting to start…" : `Preparing: ${job.progress}%`;
    else if (job.status === "failed") status.textContent = `The export failed: ${job.error || "unknown error"}`;
    else if (job.download_url) {
      const until = new Date(job.expires_at).toLocaleString();
      status.textContent = `Ready (${size(job.size_bytes || 0)}), kept until ${until}.`;
      download.append(h("a", { href: job.download_url, download: "", class: "button" }, "Save the ZIP"));
    } else status.textContent = "The last export has expired: make a new one.";
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
    status.textContent = "Asking for the export…";
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

  return section(own ? "Your data" : "This client's data",
    h("p", { class: "small" }, "Everything stored about ", own ? "you" : "this client",
      " (workouts, meals, progress, messages, check-ins, bookings and every file) as one ZIP: the data as JSON,",
      " a spreadsheet-safe CSV per table, the files themselves and their checksums."),
    button, bar, status, download);
}
