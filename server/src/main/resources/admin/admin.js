"use strict";
const main = document.getElementById("main");
const tabs = { status: showStatus, statistics: showStatistics, clients: showClients,
  schema: showSchema, data: showData, logging: showLogging, users: showUsers,
  password: showPassword };
let refresh = null; // The statistics' timer, stopped when another tab shows.
let session = null; // Who signed in: { name, role, csrf, mustChangePassword }.

/** Thrown when the session has ended: the login form is showing instead. */
class SignedOut extends Error {}

/** A request of the console: changes carry the session's CSRF token; a 401 asks to sign in. */
async function send(path, options = {}) {
  const headers = Object.assign({}, options.headers);
  if (options.method && options.method !== "GET" && session?.csrf) headers["X-CSRF-Token"] = session.csrf;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401 && path !== "/api/login") {
    session = null;
    showLogin("Your session has ended; sign in again.");
    throw new SignedOut();
  }
  return response;
}

/** The error text of a failed answer: the message of a JSON error, else the text. */
async function failure(response) {
  const text = await response.text();
  try { return JSON.parse(text).error ?? text; } catch { return text; }
}

async function get(path) {
  const response = await send(path);
  if (!response.ok) throw new Error(path + ": " + (await failure(response)));
  return response.json();
}

const isAdmin = () => session?.role === "admin";

function showWho() {
  document.querySelectorAll("nav a[data-admin]").forEach(a => { a.hidden = !isAdmin(); });
  document.querySelector("nav").hidden = !session || session.mustChangePassword;
  const who = document.getElementById("who");
  who.replaceChildren(...(session ? [
    element("span", { className: "muted", textContent: session.name + " (" + session.role + ")" }),
    element("a", { href: "#password", textContent: "Password" }),
    element("button", { className: "logout", textContent: "Log out", onclick: logOut })] : []));
}

async function logOut() {
  await send("/api/logout", { method: "POST" }).catch(() => {});
  session = null;
  showLogin("Signed out.");
}

function showLogin(note) {
  clearInterval(refresh);
  session = null;
  showWho();
  const name = element("input", { name: "name", autocomplete: "username", required: true });
  const password = element("input", { name: "password", type: "password",
    autocomplete: "current-password", required: true });
  const message = element("p", { className: note ? "muted" : "", textContent: note ?? "" });
  const form = element("form", { className: "login", onsubmit: async event => {
    event.preventDefault();
    const response = await fetch("/api/login", { method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: name.value, password: password.value }) });
    if (!response.ok) {
      const wait = response.headers.get("Retry-After");
      message.className = "error";
      message.textContent = (await failure(response)) + (wait ? " (in " + wait + " s)" : "");
      return;
    }
    session = await response.json();
    signedIn();
  } },
  element("h2", { textContent: "Sign in" }),
  element("label", {}, "User", name), element("label", {}, "Password", password),
  element("button", { type: "submit", textContent: "Sign in" }), message);
  main.replaceChildren(form);
  name.focus();
}

function signedIn() {
  showWho();
  if (session.mustChangePassword) {
    location.hash = "#password";
  }
  window.onhashchange();
}

/** One's own password: the current one, then the new one twice. */
async function showPassword() {
  const field = (name, autocomplete) => element("input", { name, type: "password", autocomplete,
    required: true });
  const current = field("current", "current-password");
  const next = field("new", "new-password");
  const again = field("again", "new-password");
  const message = element("p", { className: "muted", textContent: session.mustChangePassword
    ? "You signed in with a one-time password: choose your own to go on." : "" });
  main.replaceChildren(element("form", { className: "login", onsubmit: async event => {
    event.preventDefault();
    if (next.value !== again.value) {
      message.className = "error";
      message.textContent = "The new passwords differ.";
      return;
    }
    const response = await send("/api/password", { method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ current: current.value, password: next.value }) });
    message.className = response.ok ? "muted" : "error";
    if (!response.ok) {
      message.textContent = await failure(response);
      return;
    }
    session = await response.json();
    showWho();
    message.textContent = "Password changed.";
    current.value = next.value = again.value = "";
  } },
  element("h2", { textContent: "Change your password" }),
  element("label", {}, "Current password", current), element("label", {}, "New password", next),
  element("label", {}, "New password again", again),
  element("button", { type: "submit", textContent: "Change" }), message));
}

/** The users (admins only): add one, set a password, change a role, remove one. */
async function showUsers() {
  const users = await get("/api/users");
  const message = element("p", { className: "muted" });
  const act = async (request, done) => {
    const response = await request;
    if (!response.ok) {
      message.className = "error";
      message.textContent = await failure(response);
      return;
    }
    await showUsers();
    main.querySelector("p").textContent = done;
  };
  const json = (method, body) => ({ method, headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) });
  const rows = users.map(user => {
    const role = element("select", { name: "role:" + user.name },
      ...["admin", "viewer"].map(r => element("option", { value: r, textContent: r, selected: r === user.role })));
    role.onchange = () => act(send("/api/users/" + encodeURIComponent(user.name),
      json("PUT", { role: role.value })), user.name + " is now " + role.value + ".");
    return [user.name, role, user.mustChangePassword ? "yes" : "no",
      new Date(user.changedAt).toLocaleString(),
      element("button", { className: "remove", textContent: "Remove", onclick: () => act(
        send("/api/users/" + encodeURIComponent(user.name), { method: "DELETE" }),
        "Removed " + user.name + ".") })];
  });
  const shownUsers = table(["user", "role", "must change password", "changed", ""], rows);
  shownUsers.className = "users";
  const name = element("input", { name: "newName", required: true, autocomplete: "off" });
  const newRole = element("select", { name: "newRole" },
    ...["viewer", "admin"].map(r => element("option", { value: r, textContent: r })));
  const password = element("input", { name: "newPassword", type: "password", required: true,
    autocomplete: "new-password", minLength: 12 });
  const oneTime = element("input", { name: "oneTime", type: "checkbox", checked: true });
  const target = element("select", { name: "passwordFor" },
    ...users.map(u => element("option", { value: u.name, textContent: u.name })));
  const reset = element("input", { name: "resetPassword", type: "password", required: true,
    autocomplete: "new-password", minLength: 12 });
  main.replaceChildren(message, shownUsers,
    element("form", { className: "bar add-user", onsubmit: event => { event.preventDefault();
      act(send("/api/users", json("POST", { name: name.value.trim(), role: newRole.value,
        password: password.value, mustChangePassword: oneTime.checked })),
      "Added " + name.value.trim() + "."); } },
      element("label", {}, "User", name), newRole, element("label", {}, "Password", password),
      element("label", {}, oneTime, "must change it"),
      element("button", { type: "submit", textContent: "Add user" })),
    element("form", { className: "bar set-password", onsubmit: event => { event.preventDefault();
      act(send("/api/users/" + encodeURIComponent(target.value),
        json("PUT", { password: reset.value, mustChangePassword: true })),
      "Set a one-time password for " + target.value + "."); } },
      element("label", {}, "One-time password for", target), reset,
      element("button", { type: "submit", textContent: "Set password" })));
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

function table(headers, rows) {
  const head = headers ? [element("tr", {}, ...headers.map(h => element("th", { textContent: h })))] : [];
  return element("table", {}, ...head, ...rows.map(cells =>
    element("tr", {}, ...cells.map(cell => cell instanceof Node ? element("td", {}, cell)
      : element("td", { className: "value", textContent: format(cell) })))));
}

/** Dates as dates: the model says which numbers are milliseconds (or nanoseconds). */
function shown(value, type) {
  if (typeof value === "number" && type === "DATE") return new Date(value).toISOString();
  if (typeof value === "number" && type === "DATE_NANO") return new Date(value / 1e6).toISOString();
  return value;
}

function format(value) {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

async function showStatus() {
  const status = await get("/api/status");
  main.replaceChildren(table(null, Object.entries(status)));
}

/** The charts and the series each plots; errors also get one series per code that occurred. */
const CHARTS = [
  { title: "Clients", series: ["connections", "sessions"] },
  { title: "Connects per second", series: ["connects"] },
  { title: "Changesets per second", series: ["uploaded", "integrated", "downloaded"] },
  { title: "Bytes out per second", series: ["bytesOut"] },
  { title: "Errors per second", series: ["errors"], prefix: "error" },
  { title: "Consumer lag", series: ["sequencerLag", "materializerLag"] },
  { title: "Upload latency (ms)", series: ["uploadP50", "uploadP99"] },
  { title: "Fan-out latency (ms)", series: ["fanoutP50", "fanoutP99"] },
];
const COLORS = ["#1f6feb", "#d97706", "#16a34a", "#b42318", "#7c3aed", "#0891b2"];

/** Two charts a row where they fit, else one as wide as the screen allows. */
function chartWidth(grid) {
  const columns = grid.clientWidth >= 900 ? 2 : 1;
  return Math.max(260, Math.floor(grid.clientWidth / columns) - 42);
}

async function showStatistics() {
  const range = new URLSearchParams(location.hash.split("?")[1] || "").get("range") === "day" ? "day" : "hour";
  const choose = (name, label) => element("a", { textContent: label, href: "#statistics?range=" + name,
    className: name === range ? "active" : "" });
  const grid = element("div", { className: "charts" });
  main.replaceChildren(element("div", { className: "bar ranges" },
    choose("hour", "Last hour (1 s)"), choose("day", "Last day (1 min)")), grid);
  const plots = new Map();
  async function draw() {
    const stats = await get("/api/statistics?range=" + range);
    const length = Object.values(stats.series)[0]?.values.length || 0;
    const times = Array.from({ length }, (_, i) => stats.start + i * stats.step);
    for (const chart of CHARTS) {
      const keys = [...chart.series, ...Object.keys(stats.series)
        .filter(k => chart.prefix && k.startsWith(chart.prefix) && k !== "errors")]
        .filter(k => stats.series[k]);
      const data = [times, ...keys.map(k => stats.series[k].values)];
      const totals = Object.fromEntries(keys.map(k =>
        [k, stats.series[k].values.reduce((sum, v) => sum + (v || 0), 0)]));
      let plot = plots.get(chart.title);
      if (plot && plot.series.length !== keys.length + 1) {
        // A new error code: the chart is made again with a line for it.
        const box = plot.root.parentElement;
        plot.destroy();
        box.remove();
        plot = null;
      }
      if (!plot) {
        const box = element("div", { className: "chart" }, element("h3", { textContent: chart.title }));
        box.dataset.chart = chart.title;
        grid.append(box);
        plot = new uPlot({
          width: chartWidth(grid), height: 180,
          series: [{}, ...keys.map((k, i) => ({ label: stats.series[k].label, stroke: COLORS[i % COLORS.length],
            spanGaps: false }))],
          axes: [{}, { size: 60 }],
        }, data, box);
        plots.set(chart.title, plot);
      } else {
        plot.setData(data);
      }
      plot.root.parentElement.dataset.totals = JSON.stringify(totals);
    }
  }
  await draw();
  refresh = setInterval(() => draw().catch(() => {}), range === "day" ? 60_000 : 1_000);
}

async function showSchema() {
  const schema = await get("/api/schema");
  const message = element("p", { className: "muted" });
  const makeCurrent = version => async () => {
    const response = await send("/api/schema/" + version + "/make-current", { method: "POST" });
    if (response.ok) {
      await showSchema();
      return;
    }
    message.className = "error";
    message.textContent = await failure(response);
  };
  const versions = schema.versions.slice().reverse().map(version => {
    const title = "Schema version " + version.version
      + (version.version === schema.current ? " (current)" : "");
    // In the summary, so that a closed version offers it too; the click does not fold it.
    const restore = version.version === schema.current || !isAdmin() ? [] : [" ", element("button", {
      className: "make-current", textContent: "Make current again",
      title: "Registers this model as the next schema version, with the checks of a start",
      onclick: event => { event.preventDefault(); makeCurrent(version.version)(); } })];
    return element("details", { open: version.version === schema.current },
      element("summary", {}, title, ...restore),
      table(["entity", "uid", "properties", "relations", "sync"],
        version.entities.map(e => [e.name, e.uid, e.properties, e.relations, e.sync])),
      element("pre", { textContent: JSON.stringify(version.model, null, 2) }));
  });
  main.replaceChildren(message, ...versions);
}

/** The data browser's place, kept in the URL: #data?dataset=D&entity=E&id=&where=&equals=&limit=&at= */
function dataState() {
  const query = new URLSearchParams(location.hash.split("?")[1] || "");
  return Object.fromEntries(["dataset", "entity", "id", "where", "equals", "limit", "at"]
    .map(name => [name, query.get(name) || ""]));
}

function dataLink(state) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(state)) if (value) query.set(name, value);
  return "#data?" + query.toString();
}

/** A cell: relations as links to their objects, dates as dates, the rest as text. */
function cell(value, type, target, dataset) {
  if (target && value !== null && value !== undefined) {
    const ids = Array.isArray(value) ? value : [value];
    const links = ids.map(id => element("a", { textContent: String(id),
      href: dataLink({ dataset, entity: target, id: String(id) }) }));
    const node = element("td", { className: "value" });
    links.forEach((link, i) => node.append(...(i ? [", ", link] : [link])));
    return node;
  }
  return element("td", { className: "value", textContent: format(shown(value, type)) });
}

async function showData() {
  const state = dataState();
  const [datasets, schema] = await Promise.all([get("/api/datasets?limit=1000"), get("/api/schema")]);
  const current = schema.versions.find(v => v.version === schema.current);
  const entity = current.entities.find(e => e.name === state.entity) || current.entities[0];
  const dataset = state.dataset || (datasets[0] && datasets[0].dataset) || "";
  const field = (props) => element("input", props);
  const datasetSelect = element("select", { name: "dataset" },
    ...datasets.map(d => element("option", { value: d.dataset, selected: d.dataset === dataset,
      textContent: d.dataset + " (" + d.historyLength + " changesets)" })));
  const entitySelect = element("select", { name: "entity" },
    ...current.entities.map(e => element("option", { value: e.name, selected: e === entity,
      textContent: e.name })));
  const idField = field({ name: "id", type: "number", min: "1", placeholder: "any", value: state.id });
  const whereSelect = element("select", { name: "where" }, element("option", { value: "", textContent: "(no filter)" }),
    ...entity.members.map(m => element("option", { value: m, textContent: m, selected: m === state.where })));
  const equalsField = field({ name: "equals", placeholder: "value", value: state.equals });
  const limitSelect = element("select", { name: "limit" },
    ...["25", "100", "500"].map(n => element("option", { value: n, textContent: n + " per page",
      selected: n === (state.limit || "100") })));
  const atField = field({ name: "at", type: "number", min: "0", placeholder: "now", value: state.at,
    title: "Show the dataset as it was at this server version, rebuilt from history" });
  const go = () => {
    location.hash = dataLink({ dataset: datasetSelect.value, entity: entitySelect.value,
      id: idField.value.trim(), where: whereSelect.value,
      equals: whereSelect.value ? equalsField.value : "", limit: limitSelect.value, at: atField.value.trim() });
  };
  for (const control of [datasetSelect, entitySelect, idField, equalsField, limitSelect, atField]) {
    control.onchange = go;
  }
  // A property to filter by waits for its value.
  whereSelect.onchange = () => whereSelect.value ? equalsField.focus() : go();
  const download = element("a", { textContent: "Download JSON", className: "download",
    href: "/api/datasets/" + encodeURIComponent(dataset) + "/export", hidden: !dataset });
  const label = (text, control) => element("label", {}, text, control);
  main.replaceChildren(element("form", { className: "bar", onsubmit: e => { e.preventDefault(); go(); } },
    label("Dataset", datasetSelect), label("Entity", entitySelect), label("Id", idField),
    label("Filter", whereSelect), equalsField, limitSelect, label("At version", atField),
    element("button", { type: "submit", textContent: "Show" }), download));
  if (!dataset) {
    main.append(element("p", { className: "muted", textContent: "No data yet." }));
    return;
  }
  const results = element("div");
  main.append(results);
  const rows = [];
  let page;
  let sortBy = null;
  let descending = false;
  const body = element("tbody");
  const render = () => {
    const sorted = sortBy === null ? rows : rows.slice().sort((a, b) => {
      const x = a[sortBy], y = b[sortBy];
      const order = x === y ? 0 : x === undefined || x === null ? -1 : y === undefined || y === null ? 1
        : typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
    body.replaceChildren(...sorted.map(o => element("tr", {},
      ...columns.map(c => cell(o[c], page.types[c], page.links[c], dataset)))));
  };
  let columns = [];
  let after = "0";
  async function load() {
    const query = new URLSearchParams({ entity: entity.name, after, limit: state.limit || "100" });
    for (const name of ["id", "where", "equals", "at"]) if (state[name]) query.set(name, state[name]);
    page = await get("/api/datasets/" + encodeURIComponent(dataset) + "/objects?" + query);
    rows.push(...page.objects);
    if (!columns.length) {
      columns = ["id", ...entity.members.filter(m => m !== "id")];
      if (page.version !== undefined) {
        results.append(element("p", { className: "muted",
          textContent: "As at server version " + page.version + ", rebuilt from history." }));
      }
      const head = element("tr", {}, ...columns.map(c => element("th", { textContent: c,
        title: "Sort the rows shown by " + c, onclick: () => {
          descending = sortBy === c ? !descending : false;
          sortBy = c;
          head.querySelectorAll("th").forEach(th => th.className = th.textContent === c
            ? (descending ? "sorted-desc" : "sorted-asc") : "");
          render();
        } })));
      results.append(element("div", { className: "table-wrap" },
        element("table", { className: "objects" }, element("thead", {}, head), body)));
    }
    render();
    results.querySelector("button.more")?.remove();
    results.querySelector("p.summary")?.remove();
    results.append(element("p", { className: "muted summary", textContent: rows.length
      + (rows.length === 1 ? " object" : " objects") + (page.next ? ", more follow" : "") }));
    if (page.next) {
      after = page.next;
      results.append(element("button", { className: "more", textContent: "More", onclick: load }));
    }
  }
  await load();
}

/**
 * The connected clients, a row per session (a connection without one has a row of its own),
 * refreshed every two seconds.
 */
async function showClients() {
  const count = element("p", { className: "muted" });
  const message = element("p", { className: "muted" });
  const list = element("div", { className: "table-wrap" });
  main.replaceChildren(count, message, list);
  const disconnect = client => async () => {
    const response = await send("/api/clients/" + client.connection + "/disconnect", { method: "POST" });
    message.className = response.ok ? "muted" : "error";
    message.textContent = response.ok ? "Disconnected connection " + client.connection + "."
      : await failure(response);
  };
  async function draw() {
    const clients = await get("/api/clients?limit=1000");
    count.textContent = clients.length + (clients.length === 1 ? " connection" : " connections")
      + " (this gateway's)";
    const rows = clients.flatMap(client => {
      const sessions = client.sessions.length ? client.sessions : [{}];
      return sessions.map((session, i) => [
        i ? "" : String(client.connection), i ? "" : client.address,
        i ? "" : new Date(client.connectedSince).toLocaleString(),
        session.dataset ?? "", session.clientIdent ? String(session.clientIdent) : "",
        session.phase ?? "", session.uploadedClientVersion ?? "", session.downloadedServerVersion ?? "",
        session.pendingChangesets ?? "",
        i || !isAdmin() ? "" : element("button", { textContent: "Disconnect", className: "disconnect",
          onclick: disconnect(client) })]);
    });
    const shown = table(["connection", "address", "connected since", "dataset", "client ident", "phase",
      "uploaded", "downloaded", "pending", ""], rows);
    shown.className = "clients";
    list.replaceChildren(shown);
  }
  await draw();
  refresh = setInterval(() => draw().catch(() => {}), 2_000);
}

const LEVELS = ["trace", "debug", "info", "warn", "error"];

/** Sets a logger's level (the server's when name is empty) through the admin port's /log-level. */
async function setLevel(name, level) {
  const response = await send("/log-level" + (name ? "?logger=" + encodeURIComponent(name) : ""),
    { method: "PUT", body: level });
  if (!response.ok) throw new Error(await failure(response));
}

async function showLogging() {
  const levels = await get("/api/log-levels");
  const message = element("p", { className: "muted" });
  const change = (name, level) => setLevel(name, level)
    .then(showLogging)
    .catch(error => { message.className = "error"; message.textContent = error.message; });
  const levelSelect = (name, current) => {
    const choices = name ? [...LEVELS, "inherit"] : LEVELS;
    const select = element("select", { name: "level:" + name, disabled: !isAdmin() },
      ...choices.map(l => element("option", { value: l, textContent: l, selected: l === current })));
    select.onchange = () => change(name, select.value);
    return select;
  };
  const rows = Object.entries(levels).map(([name, level]) =>
    [name || "the server (root)", levelSelect(name, level)]);
  const loggerField = element("input", { name: "logger", placeholder: "io.tributary.gateway",
    required: true });
  const newLevel = element("select", { name: "newLevel" },
    ...LEVELS.map(l => element("option", { value: l, textContent: l, selected: l === "debug" })));
  main.replaceChildren(
    element("p", { className: "muted", textContent: "Levels take effect at once and last until "
      + "the process stops; every other logger inherits from its parent." }),
    table(["logger", "level"], rows),
    element("form", { className: "bar", onsubmit: e => { e.preventDefault();
      change(loggerField.value.trim(), newLevel.value); } },
      element("label", {}, "Logger", loggerField), newLevel,
      element("button", { type: "submit", textContent: "Set" })),
    message);
}

async function show(tab) {
  clearInterval(refresh);
  if (!session) return;
  if (session.mustChangePassword) tab = "password";
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.tab === tab));
  try {
    await tabs[tab]();
  } catch (error) {
    if (!(error instanceof SignedOut)) {
      main.replaceChildren(element("p", { className: "error", textContent: error.message }));
    }
  }
}

document.querySelectorAll("nav a").forEach(a => { a.href = "#" + a.dataset.tab; });
window.onhashchange = () => {
  const tab = location.hash.slice(1).split("?")[0];
  show(tab in tabs ? tab : "status");
};

/** At load: the session the cookie holds, else the login form. */
(async () => {
  const response = await fetch("/api/session");
  if (!response.ok) {
    showLogin();
    return;
  }
  session = await response.json();
  signedIn();
})();
