"use strict";
const main = document.getElementById("main");
const tabs = { status: showStatus, statistics: showStatistics, clients: showClients,
  schema: showSchema, data: showData, logging: showLogging };
let refresh = null; // The statistics' timer, stopped when another tab shows.

async function get(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(path + ": " + (await response.text()));
  return response.json();
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
    const response = await fetch("/api/schema/" + version + "/make-current", { method: "POST" });
    if (response.ok) {
      await showSchema();
      return;
    }
    message.className = "error";
    message.textContent = await response.text();
  };
  const versions = schema.versions.slice().reverse().map(version => {
    const title = "Schema version " + version.version
      + (version.version === schema.current ? " (current)" : "");
    // In the summary, so that a closed version offers it too; the click does not fold it.
    const restore = version.version === schema.current ? [] : [" ", element("button", {
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
    const response = await fetch("/api/clients/" + client.connection + "/disconnect", { method: "POST" });
    message.className = response.ok ? "muted" : "error";
    message.textContent = response.ok ? "Disconnected connection " + client.connection + "."
      : await response.text();
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
        i ? "" : element("button", { textContent: "Disconnect", className: "disconnect",
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
  const response = await fetch("/log-level" + (name ? "?logger=" + encodeURIComponent(name) : ""),
    { method: "PUT", body: level });
  if (!response.ok) throw new Error(await response.text());
}

async function showLogging() {
  const levels = await get("/api/log-levels");
  const message = element("p", { className: "muted" });
  const change = (name, level) => setLevel(name, level)
    .then(showLogging)
    .catch(error => { message.className = "error"; message.textContent = error.message; });
  const levelSelect = (name, current) => {
    const choices = name ? [...LEVELS, "inherit"] : LEVELS;
    const select = element("select", { name: "level:" + name },
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
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.tab === tab));
  try {
    await tabs[tab]();
  } catch (error) {
    main.replaceChildren(element("p", { className: "error", textContent: error.message }));
  }
}

document.querySelectorAll("nav a").forEach(a => { a.href = "#" + a.dataset.tab; });
window.onhashchange = () => {
  const tab = location.hash.slice(1).split("?")[0];
  show(tab in tabs ? tab : "status");
};
window.onhashchange();
