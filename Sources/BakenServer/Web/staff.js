// The staff console. Everything from the server (and so from residents) is put on the page
// with textContent and createElement only — never innerHTML.
import { Connection, socketURL, newID, loadJSON, saveJSON } from "./protocol.js";

const ARTICLES = [
  ["digid_aanvragen", "DigiD aanvragen"],
  ["digid_inloggen", "Inloggen met DigiD lukt niet"],
  ["digid_app", "DigiD app"],
  ["digid_machtigen", "DigiD machtigen"],
  ["mijnoverheid", "MijnOverheid"],
  ["belastingaangifte", "Belastingaangifte"],
  ["toeslagen", "Toeslagen"],
  ["pensioen_aow", "Pensioen en AOW"],
  ["uwv_werk", "UWV en werk"],
  ["zorg_digitaal", "Zorg digitaal"],
  ["gemeente_zaken", "Gemeente"],
  ["oplichting", "Oplichting"],
  ["smartphone_basis", "Smartphone basis"],
  ["printen_wifi", "Printen en wifi"],
  ["ebooks", "E-books"],
  ["bibliotheek_account", "Bibliotheekaccount"],
  ["cursus_digitaal", "Cursus digitaal"],
  ["taalhuis", "Taalhuis"],
  ["spreekuur", "Spreekuur"],
];
const OUTCOMES = [
  ["handed_off", "Geholpen door medewerker"],
  ["answered", "Beantwoord"],
  ["referred", "Doorverwezen"],
  ["unresolved", "Niet opgelost"],
];
// Partner ids from knowledge/partners.yaml with short readable names.
const PARTNERS = [
  ["taalhuis", "Taalhuis (Nederlands, lezen, schrijven, rekenen)"],
  ["digisterker", "Digisterker-cursus (DigiD en overheid)"],
  ["klik_en_tik", "Klik & Tik (computer en internet)"],
  ["ido", "Informatiepunt Digitale Overheid"],
  ["belastinghulp", "Belastinghulp (aangifte en toeslagen)"],
  ["schuldhulp", "Hulp bij geldzorgen en schulden"],
];
const partnerName = (id) => (PARTNERS.find(([value]) => value === id) || [id, id])[1];
const PHASES = { bot: "bij de bot", queued: "wacht", with_staff: "bij medewerker", closed: "afgesloten" };
const ROLES = { resident: "Bewoner", bot: "Bot", staff: "Medewerker", system: "Systeem" };
const ERRORS = {
  already_claimed: "Iemand anders heeft dit gesprek al overgenomen.",
  not_claimed: "Neem het gesprek eerst over.",
  not_found: "Dit gesprek bestaat niet of is niet voor u.",
  unknown_article: "Dat artikel bestaat niet.",
  unknown_staff: "Die collega is niet ingelogd.",
  conversation_closed: "Dit gesprek is al afgesloten.",
  empty_text: "Typ eerst een bericht.",
  rate_limited: "Te veel berichten tegelijk. Probeer het zo opnieuw.",
  storage_failure: "Opslaan lukte niet. Probeer het opnieuw.",
  unknown_partner: "Die partner bestaat niet.",
  not_available: "Doorverwijzen is op deze server nog niet aangezet.",
  unknown_referral: "Die aanmelding bestaat niet (meer).",
  unknown_ticket: "Dit terugbelverzoek is al afgehandeld of niet van uw vestiging.",
  not_waiting: "Deze bewoner heeft niet om een medewerker gevraagd.",
  not_permitted: "Dat mag uw account niet.",
};
const KEY = { token: "baken.staff.token", tabs: "baken.staff.tabs" };
const TITLE = "Baken – medewerkers";

const $ = (id) => document.getElementById(id);
let token = loadJSON(KEY.token, null);
let me = null;
let mine = new Set();
let queueItems = [];
let seenWaiting = null; // conversation ids seen in the queue; null until the first queue
let clockSkew = 0;
let audio = null;
let flashTimer = null;
let conn = null;
const conversations = new Map(); // id → {tab, panel, log, seqs, meta, phase, controls}
let active = null;

// ------------------------------------------------------------------ helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function btn(text, onClick, className = "secondary") {
  const b = el("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function domID(conversation) {
  return conversation.replace(/[^A-Za-z0-9_-]/g, "_");
}

function alertText(text) {
  $("alert").textContent = text;
  setTimeout(() => {
    if ($("alert").textContent === text) $("alert").textContent = "";
  }, 8000);
}

function formatWait(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const m = Math.floor(seconds / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return `${m}:${s}`;
}

// ------------------------------------------------------------------ sound and title flash

function prepareAudio() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch {
    audio = null;
  }
}
document.addEventListener("click", prepareAudio, { once: false, capture: true });

function beep() {
  if (!$("sound").checked || !audio) return;
  try {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = 880;
    const now = audio.currentTime;
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.3, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start(now);
    osc.stop(now + 0.3);
  } catch {
    // No audio: the title flash still tells.
  }
}

function flashTitle(count) {
  clearInterval(flashTimer);
  let on = false;
  let rounds = 0;
  const message = `(${count}) Nieuwe bezoeker wacht`;
  flashTimer = setInterval(() => {
    on = !on;
    rounds += 1;
    document.title = on ? message : TITLE;
    if (rounds >= 10 && document.hasFocus()) stopFlash();
  }, 1000);
}

function stopFlash() {
  clearInterval(flashTimer);
  flashTimer = null;
  document.title = TITLE;
}
window.addEventListener("focus", () => setTimeout(stopFlash, 3000));

// ------------------------------------------------------------------ queue

function renderQueue() {
  const list = $("queue");
  list.replaceChildren();
  for (const item of queueItems) {
    const li = el("li", "queue-item");
    li.dataset.conversation = item.conversation;
    const head = el("p", "head");
    head.append(el("span", "badge", (item.language || "?").toUpperCase()), " ", el("span", null, item.location || "geen vestiging"));
    if (item.intent) head.append(" · ", el("span", null, item.intent));
    const last = el("p", "last", item.last_message ? `“${item.last_message}”` : "(nog geen bericht)");
    const wait = el("p", "wait");
    wait.append("Wacht ", el("span", "wait-time", formatWait(waitingSeconds(item))));
    const actions = el("div", "row");
    actions.append(
      btn("Bekijken", () => openConversation(item.conversation, true)),
      btn("Overnemen", () => claim(item.conversation), "primary"),
    );
    li.append(head, last, wait, actions);
    list.append(li);
  }
  $("queue-count").textContent = `(${queueItems.length})`;
  $("queue-empty").hidden = queueItems.length > 0;
}

function renderTickets(items) {
  const list = $("tickets");
  list.replaceChildren();
  for (const ticket of items) {
    const li = el("li", "queue-item ticket");
    li.dataset.ticket = String(ticket.id);
    const head = el("p", "head");
    head.append(el("span", null, ticket.name), " · ", el("span", null, ticket.location || "geen vestiging"));
    if (ticket.topic) head.append(" · ", el("span", null, ticket.topic));
    const contact = el("p", "last", ticket.contact);
    const at = el("p", "wait", "Gevraagd " + new Date(ticket.at).toLocaleString("nl-NL", { dateStyle: "short", timeStyle: "short" }));
    const actions = el("div", "row");
    actions.append(btn(`Afgehandeld: ${ticket.name}`, () => conn.send({ type: "ticket_handled", ticket: ticket.id }), "secondary"));
    li.append(head, contact, at, actions);
    list.append(li);
  }
  $("tickets-count").textContent = `(${items.length})`;
  $("tickets-empty").hidden = items.length > 0;
}

function waitingSeconds(item) {
  const since = Date.parse(item.waiting_since);
  if (Number.isNaN(since)) return item.waiting_seconds || 0;
  return (Date.now() - clockSkew - since) / 1000;
}

setInterval(() => {
  const nodes = $("queue").querySelectorAll(".queue-item");
  nodes.forEach((li, index) => {
    const item = queueItems[index];
    if (item) li.querySelector(".wait-time").textContent = formatWait(waitingSeconds(item));
  });
}, 1000);

function onQueue(m) {
  queueItems = Array.isArray(m.items) ? m.items : [];
  mine = new Set(Array.isArray(m.mine) ? m.mine : []);
  const first = queueItems[0];
  if (first && typeof first.waiting_seconds === "number") {
    // The browser's clock may differ from the server's: measure once per push.
    const since = Date.parse(first.waiting_since);
    if (!Number.isNaN(since)) clockSkew = Date.now() - (since + first.waiting_seconds * 1000);
  }
  const ids = new Set(queueItems.map((i) => i.conversation));
  if (seenWaiting !== null) {
    const fresh = [...ids].filter((id) => !seenWaiting.has(id));
    if (fresh.length) {
      beep();
      flashTitle(queueItems.length);
      $("status").textContent = fresh.length === 1 ? "Er wacht een nieuwe bezoeker." : `Er wachten ${fresh.length} nieuwe bezoekers.`;
    }
  }
  seenWaiting = new Set([...(seenWaiting || []), ...ids]);
  renderQueue();
  for (const id of mine) if (!conversations.has(id)) openConversation(id, false);
  for (const [id] of conversations) updateControls(id);
}

// ------------------------------------------------------------------ conversations

function saveTabs() {
  saveJSON(KEY.tabs, [...conversations.keys()]);
}

function openConversation(id, focus) {
  if (!conversations.has(id)) createConversation(id);
  conn.send({ type: "open", conversation: id });
  selectTab(id, focus);
}

function claim(id) {
  if (!conversations.has(id)) createConversation(id);
  selectTab(id, false);
  conn.send({ type: "claim", conversation: id });
}

function createConversation(id) {
  const key = domID(id);
  const tab = el("button", "tab");
  tab.type = "button";
  tab.id = `tab-${key}`;
  tab.setAttribute("role", "tab");
  tab.setAttribute("aria-controls", `panel-${key}`);
  tab.setAttribute("aria-selected", "false");
  tab.tabIndex = -1;
  const tabLabel = el("span", null, id);
  const unread = el("span", "unread");
  tab.append(tabLabel, unread);
  tab.addEventListener("click", () => selectTab(id, false));
  tab.addEventListener("keydown", tabKeys);

  const panel = el("section", "panel");
  panel.id = `panel-${key}`;
  panel.setAttribute("role", "tabpanel");
  panel.setAttribute("aria-labelledby", tab.id);
  panel.tabIndex = -1;
  panel.hidden = true;
  const heading = el("h3", null, `Gesprek ${id}`);
  const meta = el("p", "meta");
  const log = el("div", "log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", `Gesprek ${id}`);
  log.tabIndex = 0; // a scrollable region must be reachable by keyboard

  const toolbar = el("div", "row toolbar");
  const claimButton = btn("Overnemen", () => conn.send({ type: "claim", conversation: id }), "primary");
  const releaseButton = btn("Terug naar de bot", () => conn.send({ type: "release", conversation: id }));
  const hideButton = btn("Tab sluiten", () => closeTab(id));
  toolbar.append(claimButton, releaseButton, hideButton);

  // Reply
  const replyForm = el("form", "reply");
  replyForm.noValidate = true;
  const replyLabel = el("label", null, "Uw bericht aan de bewoner");
  replyLabel.htmlFor = `reply-${key}`;
  const replyText = el("textarea");
  replyText.id = `reply-${key}`;
  replyText.rows = 3;
  replyText.maxLength = 2000;
  const sendButton = el("button", "primary", "Versturen");
  sendButton.type = "submit";
  const replyRow = el("div", "row");
  replyRow.append(replyText, sendButton);
  replyForm.append(replyLabel, replyRow);
  let lastTyping = 0;
  replyText.addEventListener("input", () => {
    if (Date.now() - lastTyping > 3000 && mine.has(id)) {
      lastTyping = Date.now();
      conn.send({ type: "typing", conversation: id });
    }
  });
  replyText.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      replyForm.requestSubmit();
    }
  });
  replyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = replyText.value.trim();
    if (!text) return;
    staffSay(id, { text }, text);
    replyText.value = "";
    replyText.focus();
  });

  // Article
  const articleForm = el("form", "article row");
  const articleLabel = el("label", null, "Artikel sturen");
  articleLabel.htmlFor = `article-${key}`;
  const articleSelect = el("select");
  articleSelect.id = `article-${key}`;
  for (const [value, text] of ARTICLES) {
    const option = el("option", null, text);
    option.value = value;
    articleSelect.append(option);
  }
  const articleButton = el("button", "secondary", "Artikel sturen");
  articleButton.type = "submit";
  articleForm.append(articleLabel, articleSelect, articleButton);
  articleForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const option = articleSelect.selectedOptions[0];
    staffSay(id, { article: articleSelect.value }, `Artikel: ${option ? option.textContent : articleSelect.value}`);
  });

  // Close
  const closeForm = el("form", "close row");
  const outcomeLabel = el("label", null, "Uitkomst");
  outcomeLabel.htmlFor = `outcome-${key}`;
  const outcomeSelect = el("select");
  outcomeSelect.id = `outcome-${key}`;
  for (const [value, text] of OUTCOMES) {
    const option = el("option", null, text);
    option.value = value;
    outcomeSelect.append(option);
  }
  const closeButton = el("button", "danger", "Gesprek afsluiten");
  closeButton.type = "submit";
  closeForm.append(outcomeLabel, outcomeSelect, closeButton);
  closeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    conn.send({ type: "close", conversation: id, outcome: outcomeSelect.value });
  });

  // Refer: the resident gets a consent form showing exactly what would be shared.
  const referForm = el("form", "refer row");
  const referLabel = el("label", null, "Doorverwijzen naar partner");
  referLabel.htmlFor = `refer-${key}`;
  const referSelect = el("select");
  referSelect.id = `refer-${key}`;
  for (const [value, text] of PARTNERS) {
    const option = el("option", null, text);
    option.value = value;
    referSelect.append(option);
  }
  const referButton = el("button", "secondary", "Doorverwijzen");
  referButton.type = "submit";
  referForm.append(referLabel, referSelect, referButton);
  referForm.addEventListener("submit", (event) => {
    event.preventDefault();
    conn.send({ type: "refer", conversation: id, partner: referSelect.value });
  });

  // Transfer to a colleague who is signed in.
  const transferForm = el("form", "transfer row");
  transferForm.noValidate = true;
  const transferLabel = el("label", null, "Overdragen aan collega (naam)");
  transferLabel.htmlFor = `transfer-${key}`;
  const transferInput = el("input");
  transferInput.id = `transfer-${key}`;
  transferInput.type = "text";
  transferInput.autocomplete = "off";
  transferInput.maxLength = 100;
  const transferButton = el("button", "secondary", "Overdragen");
  transferButton.type = "submit";
  transferForm.append(transferLabel, transferInput, transferButton);
  transferForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const to = transferInput.value.trim();
    if (!to) {
      alertText("Vul de naam van uw collega in.");
      transferInput.focus();
      return;
    }
    conn.send({ type: "transfer", conversation: id, to });
    transferInput.value = "";
  });

  panel.append(heading, meta, log, toolbar, replyForm, articleForm, referForm, transferForm, closeForm);
  $("tabs").append(tab);
  $("panels").append(panel);
  conversations.set(id, {
    tab, panel, log, meta, unread, seqs: new Set(), phase: null, language: null, location: null,
    controls: {
      claimButton, releaseButton, replyText, sendButton, articleSelect, articleButton, referSelect, referButton,
      transferInput, transferButton, outcomeSelect, closeButton,
    },
  });
  $("no-conversation").hidden = true;
  saveTabs();
  updateControls(id);
}

function tabKeys(event) {
  const tabs = [...$("tabs").querySelectorAll("[role=tab]")];
  const index = tabs.indexOf(event.currentTarget);
  let next = null;
  if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
  else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
  else if (event.key === "Home") next = tabs[0];
  else if (event.key === "End") next = tabs[tabs.length - 1];
  if (next) {
    event.preventDefault();
    next.click();
    next.focus();
  }
}

function selectTab(id, focusPanel) {
  active = id;
  for (const [other, c] of conversations) {
    const selected = other === id;
    c.tab.setAttribute("aria-selected", String(selected));
    c.tab.tabIndex = selected ? 0 : -1;
    c.panel.hidden = !selected;
    if (selected) {
      c.unread.textContent = "";
      c.tab.classList.remove("has-unread");
    }
  }
  const c = conversations.get(id);
  if (focusPanel && c) c.panel.focus();
}

function closeTab(id) {
  const c = conversations.get(id);
  if (!c) return;
  c.tab.remove();
  c.panel.remove();
  conversations.delete(id);
  saveTabs();
  if (active === id) {
    const next = conversations.keys().next().value;
    if (next) selectTab(next, true);
    else {
      active = null;
      $("no-conversation").hidden = false;
    }
  }
}

function updateControls(id) {
  const c = conversations.get(id);
  if (!c) return;
  const held = mine.has(id);
  const closed = c.phase === "closed";
  c.controls.claimButton.hidden = held || closed;
  c.controls.releaseButton.hidden = !held;
  for (const key of [
    "replyText", "sendButton", "articleSelect", "articleButton", "referSelect", "referButton",
    "transferInput", "transferButton", "outcomeSelect", "closeButton",
  ]) {
    c.controls[key].disabled = !held;
  }
  const parts = [];
  if (c.language) parts.push(`Taal: ${c.language}`);
  if (c.location) parts.push(`Vestiging: ${c.location}`);
  const phase = held ? "with_staff" : c.phase;
  if (phase) parts.push(`Status: ${PHASES[phase] || phase}${held ? " (u)" : ""}`);
  c.meta.textContent = parts.join(" · ");
}

/** The server's own notes in a transcript, in Dutch. */
function systemText(text) {
  let m;
  if ((m = /^queued at (\d+)$/.exec(text))) return `In de rij op plek ${m[1]}.`;
  if ((m = /^(.+) joined$/.exec(text))) return `${m[1]} nam het gesprek over.`;
  if ((m = /^(.+) left$/.exec(text))) return `${m[1]} gaf het gesprek terug.`;
  if (text === "[call-back request]") return "[verzoek om terugbellen]";
  if (text === "[consent given]") return "[toestemming gegeven voor de aanmelding]";
  if (text === "[no consent]") return "[geen toestemming: niets doorgestuurd]";
  return text;
}

function addLine(id, { seq, role, text, pendingID }) {
  const c = conversations.get(id);
  if (!c) return null;
  if (typeof seq === "number") {
    if (c.seqs.has(seq)) return null;
    c.seqs.add(seq);
  }
  const item = el("div", `msg msg-${role === "resident" ? "resident" : role === "staff" ? "me" : role === "system" ? "system" : "bot"}`);
  if (typeof seq === "number") item.dataset.seq = String(seq);
  if (pendingID) item.dataset.id = pendingID;
  if (role !== "system") item.append(el("p", "who", ROLES[role] || role));
  const note = role === "resident" && /^\[(call-back request|consent given|no consent)\]$/.test(text);
  item.append(el("p", "text", role === "system" || note ? systemText(text) : text));
  c.log.append(item);
  item.scrollIntoView({ block: "nearest" });
  if (active !== id && role === "resident") {
    c.unread.textContent = " (nieuw)";
    c.tab.classList.add("has-unread");
  }
  return item;
}

function staffSay(id, body, shown) {
  const clientID = newID("s");
  const item = addLine(id, { role: "staff", text: shown, pendingID: clientID });
  item?.classList.add("pending");
  conn.send({ type: "say", conversation: id, id: clientID, ...body });
}

function onTranscript(m) {
  if (!conversations.has(m.conversation)) createConversation(m.conversation);
  const c = conversations.get(m.conversation);
  c.phase = m.phase;
  c.language = m.language;
  c.location = m.location;
  // Rebuild from the transcript; keep messages still waiting for their ack.
  const waiting = [...c.log.querySelectorAll(".pending")];
  c.log.replaceChildren();
  c.seqs.clear();
  for (const message of m.messages || []) addLine(m.conversation, message);
  for (const node of waiting) c.log.append(node);
  updateControls(m.conversation);
}

// ------------------------------------------------------------------ connection

function onMessage(m) {
  switch (m.type) {
    case "auth_ok":
      me = m;
      conn.markReady();
      $("login").hidden = true;
      $("desk").hidden = false;
      $("me").hidden = false;
      $("me-name").textContent = `${m.name} (${m.role})`;
      $("status").textContent = "";
      if ($("lang-filter").value) conn.send({ type: "queue", language: $("lang-filter").value });
      if ($("presence").value === "away") conn.send({ type: "presence", status: "away" });
      for (const id of loadJSON(KEY.tabs, [])) if (typeof id === "string" && !conversations.has(id)) createConversation(id);
      for (const id of conversations.keys()) conn.send({ type: "open", conversation: id });
      if (!active && conversations.size) selectTab(conversations.keys().next().value, false);
      conn.send({ type: "tickets" });
      return;
    case "tickets":
      return renderTickets(m.items || []);
    case "queue":
      return onQueue(m);
    case "transcript":
      return onTranscript(m);
    case "claimed":
      mine.add(m.conversation);
      if (!conversations.has(m.conversation)) createConversation(m.conversation);
      conversations.get(m.conversation).phase = "with_staff";
      selectTab(m.conversation, false);
      updateControls(m.conversation);
      conversations.get(m.conversation).controls.replyText.focus();
      return;
    case "message":
      if (!conversations.has(m.conversation)) createConversation(m.conversation);
      addLine(m.conversation, { seq: m.seq, role: "resident", text: m.text });
      return;
    case "ack": {
      const c = conversations.get(m.conversation);
      const item = c?.log.querySelector(`[data-id="${CSS.escape(String(m.id))}"]`);
      if (item && c) {
        if (c.seqs.has(m.seq)) {
          item.remove();
        } else {
          c.seqs.add(m.seq);
          item.dataset.seq = String(m.seq);
          item.classList.remove("pending");
        }
      }
      return;
    }
    case "released":
    case "transferred":
    case "closed": {
      mine.delete(m.conversation);
      const c = conversations.get(m.conversation);
      if (c) {
        if (m.type === "closed") c.phase = "closed";
        else c.phase = "bot";
        const outcome = (OUTCOMES.find(([value]) => value === m.outcome) || [m.outcome, m.outcome])[1];
        const text = m.type === "closed" ? `Gesprek afgesloten: ${outcome}.` : m.type === "released" ? "Teruggegeven aan de bot." : `Overgedragen aan ${m.to}.`;
        addLine(m.conversation, { role: "system", text });
        updateControls(m.conversation);
      }
      return;
    }
    case "referral_offered": {
      const text = `Aanmelding bij ${partnerName(m.partner)} aangeboden. De bewoner ziet wat er wordt gedeeld en kiest zelf ja of nee.`;
      addLine(m.conversation, { role: "system", text });
      $("status").textContent = text;
      return;
    }
    case "presence":
      $("presence").value = m.status;
      document.body.dataset.presence = m.status; // what the server has applied
      return;
    case "error":
      if (m.code === "unauthorized") {
        conn.stop();
        token = null;
        saveJSON(KEY.token, null);
        showLogin("Deze toegangscode klopt niet.");
        return;
      }
      alertText(ERRORS[m.code] || `Fout: ${m.message || m.code}`);
      return;
    default:
      return;
  }
}

function connect() {
  if (conn) conn.stop();
  conn = new Connection({
    url: socketURL("/ws/staff"),
    onOpen(send) {
      send({ type: "auth", token });
    },
    onMessage,
    onStatus(state) {
      document.body.dataset.connection = state;
      if (state === "offline") $("status").textContent = "Offline – opnieuw verbinden…";
      else if (state === "connecting") $("status").textContent = "Verbinden…";
      else if (state === "online") $("status").textContent = "";
    },
  });
  conn.start();
}

function showLogin(error) {
  $("login").hidden = false;
  $("desk").hidden = true;
  $("me").hidden = true;
  $("status").textContent = "";
  $("login-error").textContent = error || "";
  $("token").focus();
}

$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const value = $("token").value.trim();
  if (!value) {
    $("login-error").textContent = "Vul uw toegangscode in.";
    $("token").focus();
    return;
  }
  prepareAudio();
  token = value;
  saveJSON(KEY.token, token);
  $("token").value = "";
  $("login-error").textContent = "";
  seenWaiting = null;
  connect();
});

$("logout").addEventListener("click", () => {
  conn?.stop();
  conn = null;
  token = null;
  saveJSON(KEY.token, null);
  saveJSON(KEY.tabs, []);
  for (const id of [...conversations.keys()]) closeTab(id);
  showLogin("");
});

$("lang-filter").addEventListener("change", () => {
  const language = $("lang-filter").value;
  conn?.send(language ? { type: "queue", language } : { type: "queue" });
});

$("presence").addEventListener("change", () => {
  conn?.send({ type: "presence", status: $("presence").value });
});

if (token) connect();
else showLogin("");
