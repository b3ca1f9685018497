"use strict";
const main = document.getElementById("main");
const tabs = { status: showStatus, schema: showSchema, data: showData };

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

async function showSchema() {
  const schema = await get("/api/schema");
  const versions = schema.versions.slice().reverse().map(version => {
    const title = "Schema version " + version.version
      + (version.version === schema.current ? " (current)" : "");
    return element("details", { open: version.version === schema.current },
      element("summary", { textContent: title }),
      table(["entity", "uid", "properties", "relations", "sync"],
        version.entities.map(e => [e.name, e.uid, e.properties, e.relations, e.sync])),
      element("pre", { textContent: JSON.stringify(version.model, null, 2) }));
  });
  main.replaceChildren(...versions);
}

async function showData() {
  const [datasets, schema] = await Promise.all([get("/api/datasets?limit=1000"), get("/api/schema")]);
  const current = schema.versions.find(v => v.version === schema.current);
  const datasetSelect = element("select", {},
    ...datasets.map(d => element("option", { value: d.dataset,
      textContent: d.dataset + " (" + d.historyLength + " changesets)" })));
  const entitySelect = element("select", {},
    ...current.entities.map(e => element("option", { value: e.name, textContent: e.name })));
  const atVersion = element("input", { type: "number", min: "0", placeholder: "now",
    title: "Show the dataset as it was at this server version, rebuilt from history" });
  const results = element("div");
  let after = "0";
  async function load(reset) {
    if (reset) { after = "0"; results.replaceChildren(); }
    if (!datasetSelect.value) {
      results.replaceChildren(element("p", { className: "muted", textContent: "No data yet." }));
      return;
    }
    const at = atVersion.value.trim();
    const page = await get("/api/datasets/" + encodeURIComponent(datasetSelect.value)
      + "/objects?entity=" + encodeURIComponent(entitySelect.value) + "&after=" + after
      + (at ? "&at=" + encodeURIComponent(at) : ""));
    if (reset && page.version !== undefined) {
      results.append(element("p", { className: "muted",
        textContent: "As at server version " + page.version + ", rebuilt from history." }));
    }
    const columns = [...new Set(page.objects.flatMap(o => Object.keys(o)))];
    results.append(table(columns, page.objects.map(o => columns.map(c => shown(o[c], page.types[c])))));
    if (page.next) {
      after = page.next;
      results.append(element("button", { textContent: "More", onclick: e => { e.target.remove(); load(false); } }));
    }
  }
  datasetSelect.onchange = () => load(true);
  entitySelect.onchange = () => load(true);
  atVersion.onchange = () => load(true);
  const download = element("a", { textContent: "Download JSON" });
  const setDownload = () => {
    download.href = "/api/datasets/" + encodeURIComponent(datasetSelect.value) + "/export";
    download.hidden = !datasetSelect.value;
  };
  datasetSelect.addEventListener("change", setDownload);
  setDownload();
  main.replaceChildren(element("div", { className: "bar" },
    "Dataset", datasetSelect, "Entity", entitySelect, "At version", atVersion, download), results);
  await load(true);
}

async function show(tab) {
  document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.tab === tab));
  try {
    await tabs[tab]();
  } catch (error) {
    main.replaceChildren(element("p", { className: "error", textContent: error.message }));
  }
}

document.querySelectorAll("nav a").forEach(a => a.onclick = () => { location.hash = a.dataset.tab; });
window.onhashchange = () => show(location.hash.slice(1) in tabs ? location.hash.slice(1) : "status");
window.onhashchange();
