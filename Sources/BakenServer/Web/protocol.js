// Shared by the resident chat and the staff console: a WebSocket that reconnects by itself
// with backoff, resumes with the last seq it has seen, and drops messages it already has.
// Nothing here touches the DOM.

/** The WebSocket URL for a path on the server that served this page. */
export function socketURL(path) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/** A new client id for `say` / `choose` (idempotent retries use the same id again). */
export function newID(prefix = "m") {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads JSON from sessionStorage; a broken or missing value gives `fallback`. */
export function loadJSON(key, fallback) {
  try {
    const text = sessionStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
}

export function saveJSON(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked (private mode, third-party iframe): the chat still works.
  }
}

/**
 * One logical connection that survives dropped sockets and server restarts.
 *
 * options:
 *   url          WebSocket URL
 *   onOpen(send) called on every new socket; send the first message (hello/resume/auth) here
 *   onMessage(m) every parsed server message
 *   onStatus(s)  "connecting" | "online" | "offline" | "stopped"
 *   pingEvery    milliseconds between keep-alive pings (default 60 s)
 */
export class Connection {
  constructor({ url, onOpen, onMessage, onStatus, pingEvery = 60000 }) {
    this.url = url;
    this.onOpen = onOpen;
    this.onMessage = onMessage;
    this.onStatus = onStatus || (() => {});
    this.pingEvery = pingEvery;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.pinger = null;
    this.stopped = false;
    this.ready = false; // true once the first message (hello/resume/auth) was answered
    this.outbox = []; // messages sent while not ready, in order
    window.addEventListener("online", () => this.retryNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.retryNow();
    });
  }

  start() {
    this.stopped = false;
    this.open();
  }

  /** Stops for good (e.g. the conversation was taken over by another window). */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.socket) this.socket.close();
    this.onStatus("stopped");
  }

  open() {
    clearTimeout(this.timer);
    this.timer = null;
    this.ready = false;
    this.onStatus(this.attempt === 0 ? "connecting" : "offline");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) return;
      this.onOpen((message) => this.sendNow(message));
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.sendNow({ type: "ping" }), this.pingEvery);
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && typeof message === "object") this.onMessage(message);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      clearInterval(this.pinger);
      if (!this.stopped) this.scheduleRetry();
    });
  }

  /** Marks the connection as ready (welcome / auth_ok) and sends what waited. */
  markReady() {
    this.ready = true;
    this.attempt = 0;
    this.onStatus("online");
    const waiting = this.outbox;
    this.outbox = [];
    for (const message of waiting) this.sendNow(message);
  }

  /** Sends now if ready, otherwise after the next (re)connect. */
  send(message) {
    if (this.ready && this.sendNow(message)) return;
    this.outbox.push(message);
  }

  sendNow(message) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Exponential backoff with jitter: 0.5 s, 1 s, 2 s, 4 s, then at most 8 s. */
  scheduleRetry() {
    this.onStatus("offline");
    if (this.timer || this.stopped) return;
    const base = Math.min(8000, 500 * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.open();
    }, delay);
  }

  /** Try at once (the phone came back online, the tab became visible). */
  retryNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.open();
  }

  /** Closes the socket and opens a new one at once (a new conversation needs a new socket). */
  restart() {
    const old = this.socket;
    this.socket = null;
    if (old) old.close();
    clearInterval(this.pinger);
    this.stopped = false;
    this.attempt = 0;
    this.open();
  }
}

/**
 * Keeps the last seq seen and tells whether a message is new. Messages without a seq
 * (welcome, error, pong, typing) are always new.
 */
export class SeqTracker {
  constructor(last = 0) {
    this.last = last;
  }

  /** True if the message should be handled; false for a replayed duplicate. */
  accept(message) {
    if (typeof message.seq !== "number") return true;
    if (message.seq <= this.last) return false;
    this.last = message.seq;
    return true;
  }
}
