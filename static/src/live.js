// Live updates: one WebSocket per channel, reconnecting by itself with exponential backoff and jitter.
// A close with code 4401 means the token was refused: refresh it once, then reconnect with the new one.
import { accessToken, refresh } from "./api.js";
import { t } from "./i18n.js";

const bus = new EventTarget();

/** Listen to every live message of a type ("workout.completed", "notification.created", or "*"). */
export function onLive(type, handler) {
  const listener = (event) => handler(event.detail);
  bus.addEventListener(type, listener);
  return () => bus.removeEventListener(type, listener);
}

export class Channel {
  constructor(name) {
    this.name = name;
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    this.timer = null;
    this.ping = null;
    this.status = "connecting";
  }

  start() {
    this.stopped = false;
    this.open();
    return this;
  }

  open() {
    const token = accessToken();
    if (!token || this.stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/ws/${this.name}?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.setStatus("live");
      // Keep idle proxies from closing the connection, and notice a dead one.
      this.ping = setInterval(() => socket.readyState === 1 && socket.send(JSON.stringify({ type: "ping" })), 25000);
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (!message || message.type === "pong" || message.type === "ping") return;
      message.channel = this.name;
      bus.dispatchEvent(new CustomEvent(message.type, { detail: message }));
      bus.dispatchEvent(new CustomEvent("*", { detail: message }));
    });
    socket.addEventListener("close", async (event) => {
      clearInterval(this.ping);
      if (this.stopped || this.socket !== socket) return;
      this.setStatus("offline");
      if (event.code === 4429) {
        // This account opened more sockets than it may hold and this, the oldest, was closed: reconnecting would
        // close another tab's in turn, round and round. Stay off and say so once, quietly.
        this.stopped = true;
        this.setStatus("limited");
        if (!Channel.limited) {  // one note for the tab, however many of its channels were closed
          Channel.limited = true;
          import("./dom.js").then(({ toast }) => toast(t("live.too_many_open")));
        }
        return;
      }
      if (event.code === 4401) {
        try { await refresh(); } catch { this.stopped = true; return; }
      }
      this.schedule();
    });
  }

  schedule() {
    // 1 s, 2 s, 4 s ... up to 30 s, with jitter so that a restarted server is not hit by every tab at once.
    const delay = Math.min(30000, 1000 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }

  setStatus(status) {
    this.status = status;
    bus.dispatchEvent(new CustomEvent("status", { detail: { channel: this.name, status } }));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.ping);
    const socket = this.socket;
    this.socket = null;
    if (socket?.readyState === 1) socket.close(1000);
    // Closing a socket that is still connecting makes Chromium log an error: let it open, then close it.
    else if (socket?.readyState === 0) socket.addEventListener("open", () => socket.close(1000));
  }
}
