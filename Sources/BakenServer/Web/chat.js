// The resident chat. Everything that comes from the server is put on the page with
// textContent and createElement only — never innerHTML.
import { Connection, SeqTracker, socketURL, newID, loadJSON, saveJSON } from "./protocol.js";

const STRINGS = {
  nl: {
    pageTitle: "Chat met de bibliotheek",
    title: "Chat met de bibliotheek",
    intro: "Heeft u een vraag over DigiD, de overheid of uw telefoon? Typ uw vraag hieronder.",
    otherLanguage: "English",
    logLabel: "Gesprek",
    inputLabel: "Uw vraag",
    placeholder: "Typ hier",
    send: "Versturen",
    handoff: "Ik wil een medewerker spreken",
    bye: "Stoppen",
    bot: "Digitale hulp",
    you: "U",
    staff: (name) => `${name} (bibliotheek)`,
    readAloud: "Voorlezen",
    stopReading: "Stop voorlezen",
    helpful: "Was dit nuttig?",
    yes: "Ja",
    no: "Nee",
    feedbackThanks: "Dank u voor uw reactie.",
    options: "Kies een onderwerp",
    links: "Links",
    newWindow: "(opent in een nieuw venster)",
    queued: (p) => (p <= 1 ? "U bent de volgende. Een medewerker komt zo bij u." : `U bent nummer ${p} in de rij. Even geduld alstublieft.`),
    wait: (minutes) => `U wacht ongeveer ${minutes} ${minutes === 1 ? "minuut" : "minuten"}.`,
    joined: (name) => `${name} van de bibliotheek helpt u nu.`,
    left: (name) => `${name} heeft de chat verlaten.`,
    closed: "Het gesprek is afgesloten.",
    newChat: "Nieuw gesprek beginnen",
    connecting: "Verbinden…",
    offline: "Offline – opnieuw verbinden…",
    online: "Weer verbonden.",
    sending: "Wordt verstuurd…",
    typing: (name) => `${name} typt…`,
    replaced: "Deze chat is open in een ander venster.",
    continueHere: "Hier verder chatten",
    expired: "Uw vorige gesprek is afgelopen. U kunt een nieuwe vraag stellen.",
    error: "Er ging iets mis. Probeer het nog eens.",
    tooLong: "Uw bericht is te lang. Maak het korter.",
    empty: "Typ eerst uw vraag.",
    rateLimited: "Even wachten. Uw bericht wordt zo verstuurd.",
    sent: "(bericht verstuurd)",
    cbLegend: "Laat ons u terugbellen of mailen",
    cbName: "Uw naam",
    cbContact: "Uw telefoonnummer of e-mailadres",
    cbConsent: "Ik vind het goed dat de bibliotheek mijn naam en telefoonnummer of e-mailadres bewaart. Alleen om mij terug te bellen of te mailen.",
    cbSubmit: "Terugbellen aanvragen",
    cbErrName: "Vul uw naam in.",
    cbErrContact: "Vul een telefoonnummer of e-mailadres in.",
    cbErrConsent: "Zet een vinkje als u dit goed vindt.",
    cbSent: "Verzoek om terug te bellen verstuurd.",
    consentLegend: (partner) => `Aanmelden bij ${partner}`,
    consentShared: "Dit sturen wij door. Niets anders:",
    consentYes: "Ja, aanmelden",
    consentNo: "Nee, niet doen",
    consentErrEmpty: "Vul dit nog in, alstublieft.",
    consentErrContact: "Vul een telefoonnummer of e-mailadres in, alstublieft.",
    consentErrServer: "Dit is nog niet goed ingevuld. Wilt u het nog een keer invullen?",
    consentGone: "Deze aanmelding kan niet meer. U kunt het later opnieuw vragen.",
    consentExpired: "Deze vraag is niet meer open.",
  },
  en: {
    pageTitle: "Chat with the library",
    title: "Chat with the library",
    intro: "Do you have a question about DigiD, the government or your phone? Type your question below.",
    otherLanguage: "Nederlands",
    logLabel: "Conversation",
    inputLabel: "Your question",
    placeholder: "Type here",
    send: "Send",
    handoff: "I want to talk to a person",
    bye: "End chat",
    bot: "Digital assistant",
    you: "You",
    staff: (name) => `${name} (library)`,
    readAloud: "Read aloud",
    stopReading: "Stop reading",
    helpful: "Was this helpful?",
    yes: "Yes",
    no: "No",
    feedbackThanks: "Thank you for your answer.",
    options: "Choose a topic",
    links: "Links",
    newWindow: "(opens in a new window)",
    queued: (p) => (p <= 1 ? "You are next. A staff member will be with you soon." : `You are number ${p} in the queue. Please wait a moment.`),
    wait: (minutes) => `You will wait about ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
    joined: (name) => `${name} from the library is helping you now.`,
    left: (name) => `${name} has left the chat.`,
    closed: "The conversation has ended.",
    newChat: "Start a new conversation",
    connecting: "Connecting…",
    offline: "Offline – reconnecting…",
    online: "Connected again.",
    sending: "Sending…",
    typing: (name) => `${name} is typing…`,
    replaced: "This chat is open in another window.",
    continueHere: "Continue here",
    expired: "Your last conversation has ended. You can ask a new question.",
    error: "Something went wrong. Please try again.",
    tooLong: "Your message is too long. Please make it shorter.",
    empty: "Please type your question first.",
    rateLimited: "Please wait. Your message will be sent soon.",
    sent: "(message sent)",
    cbLegend: "Let us call or e-mail you back",
    cbName: "Your name",
    cbContact: "Your phone number or e-mail address",
    cbConsent: "I agree that the library keeps my name and phone number or e-mail address. Only to call or e-mail me back.",
    cbSubmit: "Ask for a call back",
    cbErrName: "Please fill in your name.",
    cbErrContact: "Please fill in a phone number or e-mail address.",
    cbErrConsent: "Please tick the box if you agree.",
    cbSent: "Call-back request sent.",
    consentLegend: (partner) => `Sign up with ${partner}`,
    consentShared: "We send this. Nothing else:",
    consentYes: "Yes, sign me up",
    consentNo: "No, don't",
    consentErrEmpty: "Please fill this in.",
    consentErrContact: "Please fill in a phone number or e-mail address.",
    consentErrServer: "This is not filled in correctly yet. Please fill it in again.",
    consentGone: "This sign-up is no longer possible. You can ask again later.",
    consentExpired: "This question is no longer open.",
  },
};

const KEY = { session: "baken.session", sent: "baken.sent", lang: "baken.lang" };
const params = new URLSearchParams(location.search);
const place = /^[a-z0-9_]{1,64}$/.test(params.get("location") || "") ? params.get("location") : null;
let lang = loadJSON(KEY.lang, null) || (params.get("lang") === "en" ? "en" : "nl");
const t = (key, ...args) => {
  const value = STRINGS[lang][key];
  return typeof value === "function" ? value(...args) : value;
};

const $ = (id) => document.getElementById(id);
const log = $("log");
const statusLine = $("status");
const typingLine = $("typing");
const alertLine = $("alert");
const input = $("text");

let session = loadJSON(KEY.session, null);
let sent = loadJSON(KEY.sent, {}); // client id → the text the resident sent (acks carry no text)
const pending = new Map(); // client id → message not yet acknowledged, resent after a reconnect
let tracker = new SeqTracker(0); // a fresh page replays the whole conversation
let residentSpoke = false;
let lastStaffName = "";
let closed = false;
let typingTimer = null;
let statusTimer = null;
let wasOffline = false;
let expectConsent = false; // the resident chose a "sign up" option: focus the consent form

// ------------------------------------------------------------------ small DOM helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A text node tied to a string key, so the language switch can change it later. */
function label(node, key) {
  node.dataset.i18n = key;
  node.textContent = t(key);
  return node;
}

function button(key, onClick, className = "") {
  const b = label(el("button", className), key);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function scrollToEnd(node) {
  node.scrollIntoView({ block: "end", behavior: "smooth" });
}

function applyStrings() {
  document.documentElement.lang = lang;
  document.title = t("pageTitle");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  const other = $("lang-switch");
  other.lang = lang === "nl" ? "en" : "nl";
}

function setStatus(text, { sticky = true } = {}) {
  clearTimeout(statusTimer);
  statusLine.textContent = text;
  if (!sticky) statusTimer = setTimeout(() => (statusLine.textContent = ""), 3000);
}

function showAlert(text) {
  alertLine.textContent = text;
  setTimeout(() => {
    if (alertLine.textContent === text) alertLine.textContent = "";
  }, 8000);
}

// ------------------------------------------------------------------ messages

/** A message bubble: who wrote it, the text, and optional links. */
function bubble(kind, seq, who, text, links) {
  const item = el("div", `msg msg-${kind}`);
  if (seq !== null) item.dataset.seq = String(seq);
  const name = el("p", "who");
  if (typeof who === "string" && STRINGS.nl[who]) label(name, who);
  else name.textContent = who;
  item.append(name, el("p", "text", text));
  if (links && links.length) item.append(linkList(links));
  return item;
}

function linkList(links) {
  const list = el("ul", "links");
  for (const link of links) {
    if (!link || typeof link.title !== "string" || typeof link.url !== "string") continue;
    const li = el("li");
    if (link.url.startsWith("https://")) {
      const a = el("a", null, link.title);
      a.href = link.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.append(label(el("span", "visually-hidden"), "newWindow"));
      li.append(a);
    } else {
      li.textContent = link.title;
    }
    list.append(li);
  }
  return list;
}

function readAloudButton(text) {
  if (!("speechSynthesis" in window)) return null;
  const b = button("readAloud", () => {
    const synth = window.speechSynthesis;
    const wasMine = b.getAttribute("aria-pressed") === "true";
    synth.cancel();
    for (const other of document.querySelectorAll(".read-aloud[aria-pressed=true]")) stopped(other);
    if (wasMine) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = b.dataset.lang === "en" ? "en-GB" : "nl-NL";
    const voice = synth.getVoices().find((v) => v.lang.replace("_", "-") === utterance.lang);
    if (voice) utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.addEventListener("end", () => stopped(b));
    utterance.addEventListener("error", () => stopped(b));
    b.setAttribute("aria-pressed", "true");
    label(b, "stopReading");
    synth.speak(utterance);
  }, "secondary read-aloud");
  b.dataset.lang = lang;
  b.setAttribute("aria-pressed", "false");
  return b;
}

function stopped(b) {
  b.setAttribute("aria-pressed", "false");
  label(b, "readAloud");
}

function addToLog(node) {
  log.append(node);
  scrollToEnd(node);
}

function systemLine(seq, text) {
  const item = el("div", "msg msg-system");
  if (seq !== null) item.dataset.seq = String(seq);
  item.append(el("p", "text", text));
  addToLog(item);
  return item;
}

/** Quick replies belong to the last reply only: older ones are removed. */
function removeOldOptions() {
  for (const group of log.querySelectorAll(".options")) group.remove();
}

function renderReply(m) {
  removeOldOptions();
  closeOpenConsentForms("consentExpired");
  expectConsent = false;
  const item = bubble("bot", m.seq, "bot", m.text, m.links);
  const tools = el("div", "tools");
  const speak = readAloudButton(m.text);
  if (speak) tools.append(speak);
  if (tools.childElementCount) item.append(tools);
  if (Array.isArray(m.options) && m.options.length) {
    const group = el("div", "options");
    group.setAttribute("role", "group");
    group.dataset.i18nLabel = "options";
    group.setAttribute("aria-label", t("options"));
    for (const option of m.options) {
      if (!option || typeof option.id !== "string") continue;
      const b = el("button", "option", option.label);
      b.type = "button";
      b.dataset.option = option.id;
      b.addEventListener("click", () => choose(option));
      group.append(b);
    }
    item.append(group);
  }
  if (m.decision === "answer") item.append(feedbackGroup(m.seq));
  if (m.decision === "callback_form") item.append(callbackForm());
  addToLog(item);
}

function feedbackGroup(seq) {
  const group = el("div", "feedback");
  group.setAttribute("role", "group");
  const question = label(el("span", "question"), "helpful");
  question.id = `helpful-${seq}`;
  group.setAttribute("aria-labelledby", question.id);
  const answer = (helpful) => {
    conn.send({ type: "feedback", seq, helpful });
    group.replaceChildren(label(el("span", "question"), "feedbackThanks"));
    input.focus();
  };
  group.append(question, button("yes", () => answer(true), "secondary small"), button("no", () => answer(false), "secondary small"));
  return group;
}

function field(key, id, type, autocomplete) {
  const wrap = el("div", "field");
  const l = label(el("label"), key);
  l.htmlFor = id;
  const i = el("input");
  i.id = id;
  i.type = type;
  i.autocomplete = autocomplete;
  i.required = true;
  const error = el("p", "field-error");
  error.id = `${id}-error`;
  wrap.append(l, i, error);
  return { wrap, input: i, error };
}

function callbackForm() {
  const id = newID("cb");
  const form = el("form", "callback");
  form.noValidate = true;
  const fieldset = el("fieldset");
  fieldset.append(label(el("legend"), "cbLegend"));
  const name = field("cbName", `${id}-name`, "text", "name");
  const contact = field("cbContact", `${id}-contact`, "text", "tel");
  contact.input.inputMode = "email";
  contact.input.maxLength = 200;
  name.input.maxLength = 100;
  const consentWrap = el("div", "check");
  const consent = el("input");
  consent.type = "checkbox";
  consent.id = `${id}-consent`;
  consent.required = true;
  const consentLabel = label(el("label"), "cbConsent");
  consentLabel.htmlFor = consent.id;
  const consentError = el("p", "field-error");
  consentError.id = `${id}-consent-error`;
  consentWrap.append(consent, consentLabel);
  const submit = label(el("button", "primary"), "cbSubmit");
  submit.type = "submit";
  fieldset.append(name.wrap, contact.wrap, consentWrap, consentError, submit);
  form.append(fieldset);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const problems = [];
    const check = (ok, inputNode, errorNode, key) => {
      errorNode.textContent = ok ? "" : t(key);
      if (ok) {
        inputNode.removeAttribute("aria-invalid");
        inputNode.removeAttribute("aria-describedby");
      } else {
        inputNode.setAttribute("aria-invalid", "true");
        inputNode.setAttribute("aria-describedby", errorNode.id);
        problems.push(inputNode);
      }
    };
    const contactText = contact.input.value.trim();
    const looksRight = /@.+\./.test(contactText) || contactText.replace(/\D/g, "").length >= 8;
    check(name.input.value.trim() !== "", name.input, name.error, "cbErrName");
    check(looksRight, contact.input, contact.error, "cbErrContact");
    check(consent.checked, consent, consentError, "cbErrConsent");
    if (problems.length) {
      problems[0].focus();
      return;
    }
    const messageID = newID();
    remember(messageID, t("cbSent"));
    transmit({ type: "callback", id: messageID, name: name.input.value.trim(), contact: contactText, consent: true });
    form.replaceWith(pendingBubble(messageID, t("cbSent")));
    input.focus();
  });
  return form;
}

function pendingBubble(id, text) {
  const item = bubble("me", null, "you", text);
  item.dataset.id = id;
  item.classList.add("pending");
  const note = label(el("p", "note"), "sending");
  item.append(note);
  return item;
}

// ------------------------------------------------------------------ referral consent

/** The consent form for one referral, found by its referral id. */
function consentForm(referral) {
  for (const form of log.querySelectorAll("form.consent")) if (form.dataset.referral === referral) return form;
  return null;
}

/** The open consent form that sent the client message `id`, if any. */
function consentFormFor(id) {
  for (const form of log.querySelectorAll("form.consent")) if (form.dataset.clientId === id) return form;
  return null;
}

/**
 * A consent request: a fieldset naming the partner, the bot's plain text, exactly what would
 * be shared (each field's label and value; fields the resident fills in as text inputs), and
 * the two answers. Nothing is sent until the resident chooses.
 */
function renderConsentRequest(m) {
  removeOldOptions();
  closeOpenConsentForms("consentExpired");
  const partner = m.partner && typeof m.partner === "object" ? m.partner : {};
  const partnerName = typeof partner.name === "string" && partner.name ? partner.name : String(partner.id || "");
  const fields = Array.isArray(m.fields) ? m.fields.filter((f) => f && typeof f.name === "string") : [];
  const key = newID("consent");

  const item = el("div", "msg msg-bot msg-consent");
  item.dataset.seq = String(m.seq);
  item.append(label(el("p", "who"), "bot"));

  const form = el("form", "consent");
  form.noValidate = true;
  form.dataset.referral = String(m.referral);
  form.dataset.partner = String(partner.id || "");
  const fieldset = el("fieldset");
  const legend = el("legend", null, t("consentLegend", partnerName));
  fieldset.append(legend, el("p", "text", m.text));

  const shown = fields.filter((f) => !f.input);
  const asked = fields.filter((f) => f.input);
  const inputs = [];
  const list = el("ul", "shared");
  list.id = `${key}-shared`;
  const listTitle = label(el("p", "shared-title"), "consentShared");
  listTitle.id = `${key}-shared-title`;
  list.setAttribute("aria-labelledby", listTitle.id);
  for (const f of shown) {
    const li = el("li");
    li.dataset.field = f.name;
    li.append(el("span", "field-name", `${f.label}: `), el("span", "field-value", f.value ?? ""));
    list.append(li);
  }
  for (const f of asked) {
    const li = el("li", "field");
    li.dataset.field = f.name;
    const id = `${key}-${f.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const l = el("label", "field-name", f.label);
    l.htmlFor = id;
    const i = el("input");
    i.id = id;
    i.type = "text";
    i.name = f.name;
    i.required = true;
    i.maxLength = f.name === "first_name" ? 100 : 200;
    i.autocomplete = f.name === "first_name" ? "given-name" : "on";
    if (f.name === "contact") i.inputMode = "email";
    const error = el("p", "field-error");
    error.id = `${id}-error`;
    li.append(l, i, error);
    list.append(li);
    inputs.push({ field: f, input: i, error });
  }
  fieldset.append(listTitle, list);

  const buttons = el("div", "row answers");
  const yes = label(el("button", "primary"), "consentYes");
  yes.type = "submit";
  yes.dataset.answer = "yes";
  const no = button("consentNo", () => answerConsent(form, false, inputs), "secondary");
  no.dataset.answer = "no";
  buttons.append(yes, no);
  const note = el("p", "note");
  note.setAttribute("role", "status");
  fieldset.append(buttons, note);
  form.append(fieldset);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    answerConsent(form, true, inputs);
  });
  item.append(form);
  addToLog(item);
  if (expectConsent) {
    // The resident just asked for this sign-up: take them to the form.
    expectConsent = false;
    (inputs[0]?.input || yes).focus({ preventScroll: true });
    scrollToEnd(item);
  }
}

function setFieldError(entry, key) {
  entry.error.textContent = key ? t(key) : "";
  if (key) {
    entry.input.setAttribute("aria-invalid", "true");
    entry.input.setAttribute("aria-describedby", entry.error.id);
  } else {
    entry.input.removeAttribute("aria-invalid");
    entry.input.removeAttribute("aria-describedby");
  }
}

function answerConsent(form, accept, inputs) {
  if (form.classList.contains("answered") || form.dataset.clientId) return;
  const message = { type: "consent", referral: form.dataset.referral, accept };
  if (accept) {
    const problems = [];
    for (const entry of inputs) {
      const value = entry.input.value.trim();
      let problem = value === "" ? "consentErrEmpty" : null;
      if (!problem && entry.field.name === "contact" && !(/@.+\./.test(value) || value.replace(/\D/g, "").length >= 8)) problem = "consentErrContact";
      setFieldError(entry, problem);
      if (problem) problems.push(entry.input);
      message[entry.field.name] = value;
    }
    if (problems.length) {
      problems[0].focus();
      return;
    }
  } else {
    for (const entry of inputs) setFieldError(entry, null);
  }
  const id = newID();
  message.id = id;
  form.dataset.clientId = id;
  setConsentBusy(form, true);
  const answer = t(accept ? "consentYes" : "consentNo");
  remember(id, answer);
  addToLog(pendingBubble(id, answer));
  transmit(message);
}

function setConsentBusy(form, busy) {
  for (const node of form.querySelectorAll("input, button")) node.disabled = busy;
  form.setAttribute("aria-busy", String(busy));
  const note = form.querySelector(".note");
  if (note) {
    if (busy) label(note, "sending");
    else {
      delete note.dataset.i18n;
      note.textContent = "";
    }
  }
}

/**
 * The referral was answered (or can no longer be): the form stays as a record of what was
 * asked, without its buttons. Typed values are shown as text; nothing is asked any more.
 */
function settleConsent(form, noteKey) {
  if (!form || form.classList.contains("answered")) return;
  form.classList.add("answered");
  form.removeAttribute("aria-busy");
  delete form.dataset.clientId;
  form.querySelector(".answers")?.remove();
  for (const li of form.querySelectorAll("li.field")) {
    const i = li.querySelector("input");
    const name = li.querySelector("label");
    const value = i ? i.value.trim() : "";
    li.replaceChildren(el("span", "field-name", `${name ? name.textContent : ""}: `), el("span", "field-value", value || "–"));
    li.classList.remove("field");
  }
  const note = form.querySelector(".note");
  if (note) {
    note.removeAttribute("role");
    if (noteKey) label(note, noteKey);
    else note.textContent = "";
  }
}

function closeOpenConsentForms(noteKey) {
  for (const form of log.querySelectorAll("form.consent:not(.answered)")) settleConsent(form, noteKey);
}

/** A `missing_field` (or other refusal) for a consent we sent: back to the form, politely. */
function consentRefused(m) {
  const form = consentFormFor(String(m.id));
  if (!form) return false;
  pending.delete(m.id);
  log.querySelector(`.msg-me[data-id="${CSS.escape(String(m.id))}"]`)?.remove();
  delete form.dataset.clientId;
  if (m.code !== "missing_field") {
    settleConsent(form, "consentGone");
    showAlert(t("consentGone"));
    return true;
  }
  setConsentBusy(form, false);
  const named = /field '([^']+)'/.exec(String(m.message || ""));
  const inputs = [...form.querySelectorAll("li.field")];
  const li = inputs.find((node) => named && node.dataset.field === named[1]) || inputs[0];
  const i = li?.querySelector("input");
  const error = li?.querySelector(".field-error");
  if (i && error) {
    setFieldError({ input: i, error }, "consentErrServer");
    i.focus();
  } else {
    showAlert(t("consentErrServer"));
  }
  return true;
}

function renderReferral(m) {
  const form = consentForm(String(m.referral));
  if (form) settleConsent(form, null);
  const item = bubble("bot", m.seq, "bot", m.text);
  item.classList.add("msg-referral");
  item.dataset.referral = String(m.referral);
  item.dataset.status = String(m.status);
  const speak = readAloudButton(m.text);
  if (speak) {
    const tools = el("div", "tools");
    tools.append(speak);
    item.append(tools);
  }
  addToLog(item);
}

// ------------------------------------------------------------------ sending

function remember(id, text) {
  sent[id] = text;
  saveJSON(KEY.sent, sent);
}

function transmit(message) {
  pending.set(message.id, message);
  if (conn.ready) conn.sendNow(message);
}

function say(text) {
  const id = newID();
  remember(id, text);
  addToLog(pendingBubble(id, text));
  transmit({ type: "say", id, text });
}

function choose(option) {
  const id = newID();
  remember(id, option.label);
  removeOldOptions();
  expectConsent = option.id.startsWith("refer:");
  addToLog(pendingBubble(id, option.label));
  transmit({ type: "choose", id, option: option.id });
  input.focus();
}

// ------------------------------------------------------------------ server messages

function onAck(m) {
  pending.delete(m.id);
  residentSpoke = true;
  let item = log.querySelector(`[data-id="${CSS.escape(String(m.id))}"]`);
  if (!item) {
    item = bubble("me", m.seq, "you", sent[m.id] ?? t("sent"));
    item.dataset.id = String(m.id);
    addToLog(item);
  }
  item.dataset.seq = String(m.seq);
  item.classList.remove("pending");
  item.querySelector(".note")?.remove();
  // Keep the order of seq when replayed messages arrived before this ack.
  if (item.nextElementSibling) log.append(item);
}

function onMessage(m) {
  switch (m.type) {
    case "welcome":
      session = m.session;
      saveJSON(KEY.session, session);
      closed = false;
      conn.markReady();
      for (const message of pending.values()) conn.sendNow(message);
      if (wasOffline) setStatus(t("online"), { sticky: false });
      wasOffline = false;
      return;
    case "error":
      return onError(m);
    case "pong":
      return;
    case "typing":
      typingLine.textContent = t("typing", lastStaffName || "");
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typingLine.textContent = ""), 4000);
      return;
  }
  if (m.type === "ack") {
    // A repeated ack (a retry of a stored message) still clears the pending copy.
    if (typeof m.seq === "number" && m.seq <= tracker.last) {
      pending.delete(m.id);
      return;
    }
  }
  if (!tracker.accept(m)) return;
  switch (m.type) {
    case "ack":
      onAck(m);
      break;
    case "reply":
      renderReply(m);
      break;
    case "consent_request":
      renderConsentRequest(m);
      break;
    case "referral":
      renderReferral(m);
      break;
    case "queued": {
      let text = t("queued", m.position);
      if (typeof m.estimated_wait === "number" && m.estimated_wait > 0) text += " " + t("wait", Math.max(1, Math.round(m.estimated_wait / 60)));
      systemLine(m.seq, text);
      break;
    }
    case "staff_joined":
      lastStaffName = m.name;
      systemLine(m.seq, t("joined", m.name));
      break;
    case "message": {
      lastStaffName = m.name;
      typingLine.textContent = "";
      removeOldOptions();
      const item = bubble("staff", m.seq, t("staff", m.name), m.text, m.links);
      const speak = readAloudButton(m.text);
      if (speak) {
        const tools = el("div", "tools");
        tools.append(speak);
        item.append(tools);
      }
      addToLog(item);
      break;
    }
    case "staff_left":
      typingLine.textContent = "";
      systemLine(m.seq, t("left", m.name));
      break;
    case "closed":
      onClosed(m.seq);
      break;
    default:
      break;
  }
}

function onClosed(seq) {
  closed = true;
  removeOldOptions();
  closeOpenConsentForms("consentExpired");
  const item = systemLine(seq, t("closed"));
  item.firstChild.dataset.i18n = "closed";
  item.append(button("newChat", newConversation, "primary"));
}

function onError(m) {
  switch (m.code) {
    case "unknown_session":
      // The old conversation is gone (expired or another server): start a new one here.
      forget();
      showAlert(t("expired"));
      conn.sendNow(helloMessage());
      return;
    case "replaced": {
      conn.stop();
      setStatus(t("replaced"));
      const again = button("continueHere", () => {
        again.remove();
        setStatus(t("connecting"));
        conn.start();
      }, "primary");
      statusLine.append(" ", again);
      return;
    }
    case "conversation_closed":
      if (!closed) onClosed(null);
      for (const id of pending.keys()) log.querySelector(`[data-id="${CSS.escape(id)}"]`)?.remove();
      pending.clear();
      return;
    case "rate_limited":
    case "storage_failure":
      if (m.id && pending.has(m.id)) {
        const message = pending.get(m.id);
        setTimeout(() => pending.has(m.id) && conn.sendNow(message), 1500);
        if (m.code === "rate_limited") showAlert(t("rateLimited"));
        return;
      }
      showAlert(t(m.code === "rate_limited" ? "rateLimited" : "error"));
      return;
    case "text_too_long":
    case "empty_text":
      if (m.id) {
        pending.delete(m.id);
        log.querySelector(`[data-id="${CSS.escape(String(m.id))}"]`)?.remove();
      }
      showAlert(t(m.code === "empty_text" ? "empty" : "tooLong"));
      return;
    case "missing_field":
    case "unknown_referral":
      if (m.id && consentRefused(m)) return;
      if (m.id) pending.delete(m.id);
      showAlert(t("error"));
      return;
    case "shutting_down":
    case "idle_timeout":
      return; // the socket closes; we reconnect and resume
    default:
      if (m.id) pending.delete(m.id);
      showAlert(t("error"));
  }
}

/** Drops the stored conversation and clears the page. */
function forget() {
  session = null;
  sent = {};
  pending.clear();
  tracker = new SeqTracker(0);
  residentSpoke = false;
  closed = false;
  lastStaffName = "";
  saveJSON(KEY.session, null);
  saveJSON(KEY.sent, {});
  log.replaceChildren();
  typingLine.textContent = "";
}

function newConversation() {
  forget();
  conn.restart();
  input.focus();
}

function helloMessage() {
  const hello = { type: "hello", lang };
  if (place) hello.location = place;
  return hello;
}

// ------------------------------------------------------------------ connection

const conn = new Connection({
  url: socketURL("/ws/chat"),
  onOpen(send) {
    if (session) send({ type: "resume", session, after: tracker.last });
    else send(helloMessage());
  },
  onMessage,
  onStatus(state) {
    document.body.dataset.connection = state;
    if (state === "offline") {
      wasOffline = true;
      setStatus(t("offline"));
    } else if (state === "connecting") {
      setStatus(t("connecting"));
    } else if (state === "online" && !wasOffline) {
      setStatus("");
    }
  },
});

// ------------------------------------------------------------------ the form

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) {
    showAlert(t("empty"));
    input.focus();
    return;
  }
  if (closed) newConversation();
  say(text);
  input.value = "";
  fitInput();
  input.focus();
});

// The text box grows with what is typed (up to a few lines), so the composer stays small.
function fitInput() {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight + 4, 200)}px`;
  input.style.overflowY = input.scrollHeight + 4 > 200 ? "auto" : "hidden";
}
input.addEventListener("input", fitInput);

input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("composer").requestSubmit();
  }
});

$("handoff").addEventListener("click", () => {
  if (closed) newConversation(); // the handoff waits in the outbox until the new welcome
  conn.send({ type: "handoff" });
});

$("bye").addEventListener("click", () => {
  if (closed) return;
  conn.send({ type: "bye" });
});

$("lang-switch").addEventListener("click", () => {
  lang = lang === "nl" ? "en" : "nl";
  saveJSON(KEY.lang, lang);
  applyStrings();
  // A conversation without a question yet starts again in the new language; otherwise only
  // the page changes (the bot keeps the language of the conversation).
  if (!residentSpoke && !closed) newConversation();
});

// The composer sticks to the bottom: keep what is scrolled to or focused above it.
if ("ResizeObserver" in window) {
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty("--composer-height", `${Math.ceil(entry.target.getBoundingClientRect().height)}px`);
  }).observe($("composer"));
}

applyStrings();
conn.start();
