// The coordinators' figures. Everything from the server is put on the page with textContent
// and createElement only — never innerHTML.
const HEADERS = {
  group: "Groep",
  conversations: "Gesprekken",
  finished: "Afgerond",
  answered: "Beantwoord",
  referred: "Doorverwezen",
  handed_off: "Door medewerker",
  unresolved: "Niet opgelost",
  promise_rate: "Belofte gehaald",
  asked_for_a_person: "Vroeg om een mens",
  referrals_delivered: "Verwijzingen bezorgd",
  referrals_pending: "Verwijzingen onderweg",
  referrals_dead: "Verwijzingen mislukt",
  first_reply_answered: "Eerste antwoord raak",
  first_reply_rate: "Eerste antwoord raak (%)",
  wait_p50_seconds: "Wachttijd mens, mediaan (s)",
  wait_p90_seconds: "Wachttijd mens, 9 op 10 binnen (s)",
  left_the_queue: "Weg uit de wachtrij",
  fallback_given: "Niemand vrij: alternatief gegeven",
};
const SVG = "http://www.w3.org/2000/svg";
const GROUP_NAMES = { total: "Totaal", "(unknown)": "onbekend", "(no topic)": "geen onderwerp", nl: "Nederlands", en: "Engels" };
const groupName = (group) => GROUP_NAMES[group] || group;

const $ = (id) => document.getElementById(id);

function day(date) {
  return date.toISOString().slice(0, 10);
}

// The first and last day of a named period around `today` (UTC days, like the report):
// this or last week (Monday to Sunday), this or last month.
function period(name, today) {
  const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const dayMs = 86400000;
  if (name === "week" || name === "last-week") {
    const monday = new Date(start.getTime() - ((start.getUTCDay() + 6) % 7) * dayMs);
    const first = name === "week" ? monday : new Date(monday.getTime() - 7 * dayMs);
    return [first, new Date(first.getTime() + 6 * dayMs)];
  }
  const month = start.getUTCMonth() - (name === "last-month" ? 1 : 0);
  const first = new Date(Date.UTC(start.getUTCFullYear(), month, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
  return [first, last];
}

function init() {
  const today = new Date();
  $("to").value = day(today);
  $("from").value = day(new Date(today.getTime() - 29 * 86400000));
  const saved = sessionStorage.getItem("baken.insight.token");
  if (saved) $("token").value = saved;
  for (const button of document.querySelectorAll("[data-period]")) {
    button.addEventListener("click", () => {
      const [from, to] = period(button.dataset.period, new Date());
      $("from").value = day(from);
      $("to").value = day(to);
      load();
    });
  }
  $("query").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
}

async function load() {
  const token = $("token").value.trim();
  $("alert").textContent = "";
  if (!token) {
    $("alert").textContent = "Vul uw toegangscode in.";
    $("token").focus();
    return;
  }
  $("status").textContent = "Cijfers worden opgehaald…";
  const query = new URLSearchParams({ from: $("from").value, to: $("to").value, by: $("by").value });
  for (const name of ["municipality", "location", "topic", "language"]) {
    const value = $("f-" + name).value;
    if (value) query.set(name, value);
  }
  let response;
  try {
    response = await fetch("/api/insight?" + query.toString(), { headers: { Authorization: "Bearer " + token } });
  } catch {
    $("status").textContent = "";
    $("alert").textContent = "De server is niet bereikbaar. Probeer het later opnieuw.";
    return;
  }
  const body = await response.json().catch(() => ({}));
  $("status").textContent = "";
  if (!response.ok) {
    const messages = {
      401: "Deze toegangscode klopt niet.",
      403: "Deze cijfers zijn alleen voor coördinatoren. Curatoren zien hieronder de vragen zonder antwoord.",
      400: "Kies een geldige periode (van vóór tot en met).",
    };
    $("alert").textContent = messages[response.status] || body.message || "Er ging iets mis.";
    if (response.status === 403) loadQuestions(token);
    return;
  }
  sessionStorage.setItem("baken.insight.token", token);
  show(body);
  loadQuestions(token);
}

// The questions the bot could not answer, grouped (curators may see these without the figures).
async function loadQuestions(token) {
  let response;
  try {
    response = await fetch("/api/unanswered", { headers: { Authorization: "Bearer " + token } });
  } catch {
    return;
  }
  if (!response.ok) return;
  const body = await response.json().catch(() => ({ groups: [] }));
  const groups = body.groups || [];
  $("questions-summary").textContent = groups.length
    ? body.questions + " vragen in " + groups.length + " groepen."
    : "Er zijn geen vragen zonder antwoord.";
  const list = $("questions-list");
  list.replaceChildren();
  for (const [index, group] of groups.entries()) {
    const item = document.createElement("li");
    const title = document.createElement("h3");
    title.textContent = group.count + "× “" + (group.examples[0] || "") + "”";
    item.append(title);
    if (group.closest && group.closest.length) {
      const closest = document.createElement("p");
      closest.textContent = "Lijkt het meest op: " + group.closest.join(", ");
      item.append(closest);
    }
    if (group.examples.length > 1) {
      const examples = document.createElement("ul");
      for (const text of group.examples.slice(1)) {
        const li = document.createElement("li");
        li.textContent = text;
        examples.append(li);
      }
      item.append(examples);
    }
    item.append(curatorChoice(group, index, body.targets || [], token));
    list.append(item);
  }
  $("questions").hidden = false;
}

// The curator's loop for one group: pick where its questions belong (a question of a topic,
// the topic itself, a new question or a new topic); the server writes the YAML snippet for
// intents/, shown and offered as a download.
function curatorChoice(group, index, targets, token) {
  const box = document.createElement("div");
  box.className = "choice";
  const label = document.createElement("label");
  const id = "target-" + index;
  label.htmlFor = id;
  label.textContent = "Had deze vragen moeten passen bij:";
  const select = document.createElement("select");
  select.id = id;
  const closest = group.closest && group.closest[0];
  for (const target of targets) {
    const optgroup = document.createElement("optgroup");
    optgroup.label = target.topic;
    const options = [[target.topic, target.topic + " (onderwerp)"]]
      .concat(target.questions.map((q) => [target.topic + "/" + q, q]))
      .concat([[target.topic + "/new", "nieuwe vraag bij " + target.topic]]);
    for (const [value, text] of options) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      if (value === closest) option.selected = true;
      optgroup.append(option);
    }
    select.append(optgroup);
  }
  const fresh = document.createElement("option");
  fresh.value = "new";
  fresh.textContent = "nieuw onderwerp";
  if (!closest) fresh.selected = true;
  select.append(fresh);
  const details = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "Voorbeelden voor intents/ (YAML)";
  const pre = document.createElement("pre");
  pre.textContent = group.suggestion;
  pre.setAttribute("aria-live", "polite");
  const download = document.createElement("a");
  download.textContent = "Download als .yaml";
  download.download = "voorbeelden-" + (index + 1) + ".yaml";
  const offer = (text) => {
    download.href = "data:application/yaml;charset=utf-8," + encodeURIComponent(text + "\n");
  };
  offer(group.suggestion);
  details.append(summary, pre, download);
  select.addEventListener("change", async () => {
    let response;
    try {
      response = await fetch("/api/unanswered/suggestion", {
        method: "POST",
        headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
        body: JSON.stringify({ target: select.value, examples: group.examples, words: group.words }),
      });
    } catch {
      pre.textContent = "De server is niet bereikbaar. Probeer het opnieuw.";
      return;
    }
    const answer = await response.json().catch(() => ({}));
    pre.textContent = response.ok ? answer.suggestion : (answer.message || "Dat lukte niet.");
    if (response.ok) offer(answer.suggestion);
    details.open = true;
  });
  box.append(label, select, details);
  return box;
}

// Fills a filter's options from the server's choices, keeping the current choice.
function fillChoices(id, items, allLabel) {
  const select = $(id);
  const current = select.value;
  select.replaceChildren();
  const all = document.createElement("option");
  all.value = "";
  all.textContent = allLabel;
  select.append(all);
  for (const item of items) {
    const option = document.createElement("option");
    option.value = typeof item === "string" ? item : item.id;
    option.textContent = typeof item === "string" ? item : item.name;
    select.append(option);
  }
  select.value = current;
}

function show(report) {
  const choices = report.choices || {};
  fillChoices("f-municipality", choices.municipalities || [], "alle gemeenten");
  fillChoices("f-location", choices.branches || [], "alle vestigingen");
  fillChoices("f-topic", choices.topics || [], "alle onderwerpen");
  const rows = report.rows || [];
  const scope = report.scope && report.scope.length ? " (uw vestigingen: " + report.scope.join(", ") + ")" : "";
  $("result-title").textContent = "Cijfers van " + report.from + " tot en met " + report.to + scope;
  const total = rows.find((row) => row.group === "total");
  const callbacks = report.call_back_requests || {};
  $("summary").textContent = total
    ? "In totaal " + total.conversations + " gesprekken van " + (report.residents || "0") + " verschillende inwoners; de belofte gehaald: " + total.promise_rate + ". " +
      "Terugbelverzoeken: " + (callbacks.open || "0") + " open, " + (callbacks.handled || "0") + " afgehandeld."
    : "";
  // Table.
  const head = $("table-head");
  head.replaceChildren();
  const columns = Object.keys(HEADERS);
  for (const column of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = HEADERS[column];
    head.append(th);
  }
  const tbody = $("table-body");
  tbody.replaceChildren();
  for (const row of rows) {
    const tr = document.createElement("tr");
    columns.forEach((column, index) => {
      const cell = document.createElement(index === 0 ? "th" : "td");
      if (index === 0) cell.scope = "row";
      cell.textContent = column === "group" ? groupName(row.group) : row[column];
      tr.append(cell);
    });
    tbody.append(tr);
  }
  drawChart(rows.filter((row) => row.group !== "total"));
  drawBusyHours(report.busy_hours || []);
  drawDays(report.days || []);
  showRows("partners", report.referrals || [], "partner", ["pending_consent", "queued", "delivered", "dead", "cancelled"]);
  showRows("helpful", report.helpful || [], "topic", ["yes", "no", "rate"]);
  $("result").hidden = false;
}

// Horizontal bars: conversations per group ("< 5" drawn as 0), with the promise rate as text.
function drawChart(rows) {
  const svg = $("chart");
  svg.replaceChildren();
  const counts = rows.map((row) => Number.parseInt(row.conversations, 10) || 0);
  const max = Math.max(1, ...counts);
  const line = 28;
  svg.setAttribute("height", String(rows.length * line + 8));
  svg.setAttribute("viewBox", "0 0 600 " + (rows.length * line + 8));
  rows.forEach((row, index) => {
    const y = index * line + 4;
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(y + 17));
    label.setAttribute("class", "chart-label");
    label.textContent = groupName(row.group);
    const bar = document.createElementNS(SVG, "rect");
    bar.setAttribute("x", "200");
    bar.setAttribute("y", String(y + 4));
    bar.setAttribute("height", "18");
    bar.setAttribute("width", String(Math.max(2, (counts[index] / max) * 280)));
    bar.setAttribute("class", "chart-bar");
    const value = document.createElementNS(SVG, "text");
    value.setAttribute("x", String(206 + (counts[index] / max) * 280));
    value.setAttribute("y", String(y + 17));
    value.setAttribute("class", "chart-label");
    value.textContent = row.conversations + " · " + row.promise_rate;
    svg.append(label, bar, value);
  });
}

// A table of objects: the first column as row headers, then the given fields.
function showRows(id, items, key, fields) {
  const body = $(id + "-body");
  body.replaceChildren();
  for (const item of items) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = groupName(item[key]);
    tr.append(th);
    for (const field of fields) {
      const td = document.createElement("td");
      td.textContent = item[field];
      tr.append(td);
    }
    body.append(tr);
  }
  $(id + "-table").hidden = items.length === 0;
  $(id + "-empty").hidden = items.length > 0;
}

const DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

// Conversations per day: one bar per day ("< 5" and "x" drawn low), the numbers in the table.
function drawDays(days) {
  const svg = $("days");
  svg.replaceChildren();
  const value = (cell) => (cell === "< 5" || cell === "x" ? 2 : Number.parseInt(cell, 10) || 0);
  const max = Math.max(1, ...days.map((day) => value(day.conversations)));
  const width = Math.max(4, Math.floor(560 / Math.max(1, days.length)));
  const height = 120;
  svg.setAttribute("viewBox", "0 0 " + (40 + days.length * width) + " " + (height + 24));
  svg.setAttribute("height", String(height + 24));
  days.forEach((day, index) => {
    const bar = document.createElementNS(SVG, "rect");
    const h = (value(day.conversations) / max) * height;
    bar.setAttribute("x", String(40 + index * width));
    bar.setAttribute("y", String(height - h + 4));
    bar.setAttribute("width", String(Math.max(1, width - 1)));
    bar.setAttribute("height", String(Math.max(h, 0)));
    bar.setAttribute("class", "chart-bar");
    svg.append(bar);
  });
  for (const [index, day] of [[0, days[0]], [days.length - 1, days[days.length - 1]]]) {
    if (!day) continue;
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", String(index === 0 ? 40 : 40 + days.length * width));
    label.setAttribute("y", String(height + 20));
    label.setAttribute("class", "chart-label");
    label.setAttribute("text-anchor", index === 0 ? "start" : "end");
    label.textContent = day.date;
    svg.append(label);
  }
  const peak = document.createElementNS(SVG, "text");
  peak.setAttribute("x", "0");
  peak.setAttribute("y", "14");
  peak.setAttribute("class", "chart-label");
  peak.textContent = String(max);
  svg.append(peak);
  const body = $("days-body");
  body.replaceChildren();
  for (const day of days) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = day.date;
    const conversations = document.createElement("td");
    conversations.textContent = day.conversations;
    const residents = document.createElement("td");
    residents.textContent = day.residents;
    tr.append(th, conversations, residents);
    body.append(tr);
  }
}

// Weekday × hour: a grid of squares, darker when busier ("< 5" counts as light), and the
// same numbers as a table.
function drawBusyHours(busy) {
  const svg = $("busy");
  svg.replaceChildren();
  const value = (cell) => (cell === "< 5" ? 2 : Number.parseInt(cell, 10) || 0);
  const max = Math.max(1, ...busy.flat().map(value));
  const size = 20;
  const left = 90;
  svg.setAttribute("viewBox", "0 0 " + (left + 24 * size) + " " + (busy.length * size + 20));
  svg.setAttribute("height", String(busy.length * size + 20));
  for (let hour = 0; hour < 24; hour += 3) {
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", String(left + hour * size + 2));
    label.setAttribute("y", "12");
    label.setAttribute("class", "chart-label");
    label.textContent = String(hour);
    svg.append(label);
  }
  busy.forEach((hours, day) => {
    const label = document.createElementNS(SVG, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(20 + day * size + 14));
    label.setAttribute("class", "chart-label");
    label.textContent = DAYS[day];
    svg.append(label);
    hours.forEach((cell, hour) => {
      const square = document.createElementNS(SVG, "rect");
      square.setAttribute("x", String(left + hour * size));
      square.setAttribute("y", String(20 + day * size));
      square.setAttribute("width", String(size - 2));
      square.setAttribute("height", String(size - 2));
      square.setAttribute("class", "chart-bar");
      square.setAttribute("fill-opacity", String(value(cell) === 0 ? 0.05 : 0.15 + 0.85 * (value(cell) / max)));
      svg.append(square);
    });
  });
  const head = $("busy-head");
  head.replaceChildren();
  const corner = document.createElement("th");
  corner.scope = "col";
  corner.textContent = "Dag";
  head.append(corner);
  for (let hour = 0; hour < 24; hour++) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = hour + ":00";
    head.append(th);
  }
  const body = $("busy-body");
  body.replaceChildren();
  busy.forEach((hours, day) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = DAYS[day];
    tr.append(th);
    for (const cell of hours) {
      const td = document.createElement("td");
      td.textContent = cell;
      tr.append(td);
    }
    body.append(tr);
  });
}

init();
