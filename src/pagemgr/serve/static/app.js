"use strict";
// The page: plain DOM, no framework. Every text from the site is set as text, never as HTML.

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const view = () => document.getElementById("view");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node[key] = value;
    else if (key === "text") node.textContent = value;
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function api(path, body) {
  const options = { headers: { "X-Pagemgr-Token": TOKEN } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const opened = routeCount;
  const answer = await fetch(path, options);
  const data = await answer.json();
  if (body === undefined && opened !== routeCount) throw new Stale();  // the user moved on
  return { status: answer.status, data };
}

class Stale extends Error {}
let routeCount = 0;

function show(...nodes) {
  view().replaceChildren(...nodes.filter((node) => node !== null && node !== undefined));
}

function message(kind, text, id) {
  return el("div", { class: `message ${kind}`, id: id || null, text });
}

function findingNode(finding) {
  const where = `${finding.path}:${finding.line}:${finding.column}`;
  return el("div", { class: `finding ${finding.severity}`, "data-rule": finding.rule },
    el("strong", { text: `${finding.severity} [${finding.rule}] ` }),
    el("span", { text: `${finding.message} (${where})` }),
    finding.hint ? el("div", { class: "help", text: finding.hint }) : null);
}

function diffNode(diff) {
  return el("pre", { class: "diff", id: "diff" }, diff.split("\n").map((line) =>
    el("span", { class: line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : null,
      text: line + "\n" })));
}

// --- the contents ----------------------------------------------------------------------------

async function listView() {
  const { status, data } = await api("/api/overview");
  if (status !== 200) return show(message("bad", data.error));
  document.getElementById("site-name").textContent = data.site;
  show(...data.sections.map(sectionNode));
}

function sectionNode(section) {
  const columns = [["title", "Title"], ["date", "Date"], ["path", "File"], ["errors", "Errors"],
    ["warnings", "Warnings"]];
  const body = el("tbody");
  const more = el("button", { type: "button", class: "more" });
  let shown = section.entries;
  let limit = FIRST_ROWS;
  const fill = () => {
    body.replaceChildren(...shown.slice(0, limit).map(rowNode));
    more.hidden = shown.length <= limit;
    more.textContent = `Show all ${shown.length}`;
  };
  more.onclick = () => { limit = Infinity; fill(); };
  let order = { key: null, up: true };
  const sortBy = (key) => {
    order = { key, up: order.key === key ? !order.up : true };
    shown = [...section.entries].sort((a, b) =>
      (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0) * (order.up ? 1 : -1));
    fill();
  };
  fill();
  const head = el("tr", {}, columns.map(([key, name]) =>
    el("th", { onclick: () => sortBy(key), text: name })));
  return el("section", { "data-section": section.label },
    el("h2", { text: `${section.label} (${section.entries.length})` }),
    el("table", {}, el("thead", {}, head), body), more);
}

const FIRST_ROWS = 200;  // a long collection draws the rest on demand (sorting sorts them all)

function rowNode(entry) {
  const count = (n, kind) => (n ? el("span", { class: `count-${kind}`, text: String(n) }) : "");
  const link = el("a", { href: `#/edit/${encodeURIComponent(entry.path)}`,
    text: entry.title || entry.path });
  return el("tr", { "data-path": entry.path }, el("td", {}, link), el("td", { text: entry.date }),
    el("td", { text: entry.path }), el("td", {}, count(entry.errors, "error")),
    el("td", {}, count(entry.warnings, "warning")));
}

// --- the edit form -----------------------------------------------------------------------------

const WIDGETS = {
  text: (field) => el("input", { type: "text", value: field.value ?? "" }),
  date: (field) => el("input", { type: "date", value: field.value ?? "" }),
  number: (field) => el("input", { type: "number", step: "any", value: field.value ?? "" }),
  checkbox: (field) => el("input", { type: "checkbox", checked: field.value ? "checked" : null }),
  textarea: (field) => el("textarea", { text: field.value ?? "" }),
  list: (field) => el("textarea", { text: (field.value || []).join("\n") }),
  json: (field) => el("textarea", { text: field.value === undefined ? "" : JSON.stringify(field.value, null, 2) }),
  select: (field) => {
    const options = [...field.options];
    if (field.value && !options.includes(field.value)) options.push(field.value);
    return el("select", {}, el("option", { value: "", text: "" }),
      options.map((o) => el("option", { value: o, text: o, selected: o === field.value ? "selected" : null })));
  },
};

function readWidget(input, widget) {
  if (widget === "checkbox") return input.checked;
  if (widget === "list") return input.value.split("\n").filter((line) => line.trim() !== "");
  return input.value;
}

function shownValue(field) {
  if (field.widget === "list") return field.value || [];
  if (field.widget === "checkbox") return Boolean(field.value);
  if (field.widget === "json") return field.value === undefined ? "" : JSON.stringify(field.value, null, 2);
  return field.value === null || field.value === undefined ? "" : String(field.value);
}

function fieldNode(field, inputs, findings) {
  const mine = findings.filter((f) => f.field && f.field === field.path);
  const classes = ["field", field.known ? "" : "unknown",
    mine.some((f) => f.severity === "error") ? "has-error" : mine.length ? "has-warning" : ""];
  const title = el("label", { text: field.label + (field.required ? " *" : "") +
    (field.known ? "" : " (not in the schema; kept as it is)") });
  const box = el("div", { class: classes.join(" ").trim(), "data-field": field.path }, title);
  if (field.widget === "group") {
    box.append(el("div", { class: "group" }, field.children.map((c) => fieldNode(c, inputs, findings))));
  } else if (field.widget === "items") {
    field.items.forEach((item, index) => {
      const itemPath = field.path === "." ? `[${index}]` : `${field.path}[${index}]`;
      const remove = el("input", { type: "checkbox", "data-remove": itemPath });
      box.append(el("div", { class: "group", "data-item": itemPath },
        el("label", { class: "help" }, `item ${index + 1} `, remove, " remove"),
        item.map((c) => fieldNode(c, inputs, findings))));
    });
    const add = el("button", { type: "button", class: "add-item", "data-add": field.path, text: "Add item" });
    add.onclick = () => add.before(newItemNode(field));
    box.append(add);
  } else {
    const input = WIDGETS[field.widget](field);
    input.setAttribute("data-path", field.path);
    input.setAttribute("name", field.path);
    inputs.push({ field, input });
    box.append(input);
  }
  if (field.help) box.append(el("div", { class: "help", text: field.help }));
  box.append(...mine.map(findingNode));
  return box;
}

function newItemNode(field) {
  return el("div", { class: "group new-item", "data-append": field.path },
    el("div", { class: "help", text: "new item" }),
    field.item_keys.map((key) => el("div", { class: "field" }, el("label", { text: key }),
      el("input", { type: "text", "data-key": key }))));
}

function listEdits() {
  const removes = [...document.querySelectorAll("[data-remove]")].filter((box) => box.checked)
    .map((box) => ({ op: "remove", path: box.getAttribute("data-remove"), widget: "text", value: null }));
  const appends = [...document.querySelectorAll("[data-append]")].map((group) => {
    const value = {};
    group.querySelectorAll("[data-key]").forEach((input) => { value[input.getAttribute("data-key")] = input.value; });
    return { op: "append", path: group.getAttribute("data-append"), widget: "text", value };
  }).filter((change) => Object.values(change.value).some((text) => text.trim() !== ""));
  return [...removes, ...appends];
}

function fixNode(offer, data, outcome) {
  const run = async (dryRun) => {
    const answer = await api("/api/fix", { path: data.path, version: data.version, fix: offer.id, dry_run: dryRun });
    if (!dryRun && answer.status === 200) return route();
    const nodes = reviewNodes(answer, () => run(false));
    const confirm = nodes.find((node) => node.id === "confirm");
    if (confirm) confirm.textContent = "Apply the fix";
    outcome.replaceChildren(...nodes);
    outcome.scrollIntoView();
  };
  return el("button", { type: "button", class: "fix", "data-fix": offer.id, onclick: () => run(true),
    text: `Fix: ${offer.summary}` });
}

async function editView(path, after) {
  const { status, data } = await api(`/api/file?path=${encodeURIComponent(path)}`);
  if (status !== 200) return show(message("bad", data.error, "error"));
  const inputs = [];
  const fieldNames = new Set();
  const collect = (fields) => fields.forEach((f) => {
    fieldNames.add(f.path);
    (f.children || []).forEach((c) => collect([c]));
    (f.items || []).forEach(collect);
  });
  collect(data.fields);
  const loose = data.findings.filter((f) => !f.field || !fieldNames.has(f.field));
  const form = data.fields.map((f) => fieldNode(f, inputs, data.findings));
  const body = data.body === null ? null : el("textarea", { id: "body", text: data.body });
  const outcome = el("div", { id: "outcome" });
  const looseFixes = [];
  for (const offer of data.fixes) {
    const beside = form.find((node) => node.getAttribute("data-field") === offer.field);
    (beside ? beside : { append: (n) => looseFixes.push(n) }).append(fixNode(offer, data, outcome));
  }
  const changes = () => inputs
    .filter(({ field, input }) => JSON.stringify(readWidget(input, field.widget)) !== JSON.stringify(shownValue(field)))
    .map(({ field, input }) => ({ path: field.path, widget: field.widget, value: readWidget(input, field.widget) }))
    .concat(listEdits());
  const request = (extra) => ({ path: data.path, version: data.version, changes: changes(),
    body: body === null || body.value === data.body ? null : body.value, ...extra });
  const review = async () => {
    const answer = await api("/api/save", request({ dry_run: true }));
    outcome.replaceChildren(...reviewNodes(answer, save));
    outcome.scrollIntoView();
  };
  const save = async (force) => {
    const answer = await api("/api/save", request({ force: Boolean(force) }));
    if (answer.status === 200 && answer.data.written) {
      return editView(data.path, savedNodes(answer, save));  // the form and findings as saved
    }
    outcome.replaceChildren(...savedNodes(answer, save));
    outcome.scrollIntoView();
  };
  show(el("h2", { text: data.path }),
    loose.length || looseFixes.length ? el("div", { id: "file-findings" }, loose.map(findingNode), looseFixes) : null,
    el("form", { id: "fields", onsubmit: (e) => e.preventDefault() }, form),
    body ? el("div", {}, el("h3", { text: "Text of the page (Markdown)" }), body) : null,
    el("div", { class: "actions" },
      el("button", { type: "button", id: "review", class: "primary", onclick: review, text: "Review changes" })),
    outcome);
  if (after) {
    outcome.replaceChildren(...after);
    outcome.scrollIntoView();
  }
}

function reviewNodes({ status, data }, save) {
  if (status === 409) return [message("bad", data.conflict, "conflict")];
  if (status !== 200) return [message("bad", data.error, "error")];
  if (!data.diff) return [message("ok", "Nothing changed.", "nothing")];
  const nodes = [el("h3", { text: "The change" }), diffNode(data.diff)];
  nodes.push(...refusalNodes(data, save));
  if (!data.errors.length) {
    nodes.push(el("button", { type: "button", id: "confirm", class: "primary", onclick: () => save(false), text: "Save" }));
  }
  return nodes;
}

function refusalNodes(data, save) {
  const nodes = data.warnings.map(findingNode);
  if (data.errors.length) {
    nodes.unshift(el("div", { id: "refused" },
      message("bad", `This change would add ${data.errors.length} error(s) to the site; nothing was written.`),
      data.errors.map(findingNode)));
    nodes.push(el("button", { type: "button", id: "force", onclick: () => save(true), text: "Save anyway" }));
  }
  return nodes;
}

function savedNodes({ status, data }, save) {
  if (status === 409) return [message("bad", data.conflict, "conflict")];
  if (status === 422) return [diffNode(data.diff), ...refusalNodes(data, save)];
  if (status !== 200) return [message("bad", data.error, "error")];
  return [message("ok", data.written ? "Saved." : "Nothing changed.", "saved"), diffNode(data.diff),
    ...data.warnings.map(findingNode)];
}

// --- adding and publishing ------------------------------------------------------------------

async function addView() {
  const { data: known } = await api("/api/new");
  const source = el("textarea", { id: "source", rows: "8",
    placeholder: "@article{key, title = {...}, ...}   or   10.1234/abcd   or   2101.00001" });
  const input = (key, type) => el("input", { type: type || "text", "data-new": key });
  const form = {
    title: input("title"), venue: input("venue"), date: input("date", "date"),
    category: el("select", { "data-new": "category" }, el("option", { value: "", text: "" }),
      known.categories.map((c) => el("option", { value: c, text: c }))),
    paperurl: input("paperurl"),
  };
  const authors = el("textarea", { id: "authors", rows: "3", placeholder: "Jane Doe\nRichard Roe" });
  const outcome = el("div", { id: "outcome" });
  const add = async () => {
    outcome.replaceChildren(message("ok", "Adding…"));
    const fields = Object.fromEntries(Object.entries(form).map(([key, node]) => [key, node.value]));
    const { status, data } = await api("/api/add", { source: source.value, fields, authors: authors.value });
    const links = (data.added || []).map((line) => {
      const rel = line.trim();
      return el("div", {}, el("a", { href: `#/edit/${encodeURIComponent(rel)}`, text: `Added ${rel}` }));
    });
    const kind = status === 200 ? "ok" : "bad";
    outcome.replaceChildren(el("div", { class: `message ${kind}`, id: status === 200 ? "added" : "add-problem" },
      links, (data.messages || [data.error]).filter(Boolean).map((line) => el("div", { text: line }))));
    outcome.scrollIntoView();
  };
  const labelled = (name, node) => el("div", { class: "field" }, el("label", { text: name }), node);
  show(el("h2", { text: "New publication" }),
    el("p", { text: "Paste a BibTeX entry, a DOI or an arXiv id, or fill in the fields (they also fill what the source leaves out). pagemgr add reads it, finds duplicates on the site, checks and writes the new file." }),
    labelled("BibTeX, DOI or arXiv id", source),
    labelled("Title", form.title), labelled("Authors (one per line)", authors),
    labelled("Venue", form.venue), labelled("Date", form.date), labelled("Category", form.category),
    labelled("Paper URL", form.paperurl),
    el("div", { class: "actions" }, el("button", { type: "button", id: "add", class: "primary", onclick: add, text: "Add" })),
    outcome);
}

async function publishView() {
  const { status, data } = await api("/api/publish");
  if (status !== 200) return show(message("bad", data.error, "error"));
  if (data.problem) return show(el("h2", { text: "Publish" }), message("bad", data.problem, "problem"));
  const text = el("textarea", { id: "commit-message", rows: "4", text: data.message });
  const outcome = el("div", { id: "outcome" });
  const rebase = el("input", { type: "checkbox", id: "rebase" });
  const publish = async () => {
    outcome.replaceChildren(message("ok", "Publishing…"));
    const answer = await api("/api/publish", { message: text.value, rebase: rebase.checked });
    const lines = answer.data.lines || [answer.data.error];
    outcome.replaceChildren(el("div", { class: `message ${answer.status === 200 ? "ok" : "bad"}`,
      id: answer.status === 200 ? "published" : "not-published" },
      lines.map((line) => el("div", { text: line }))));
  };
  const files = data.changes.map((change) => el("details", { open: "open" },
    el("summary", { text: `${change.action} ${change.path}` }), diffNode(change.diff)));
  show(el("h2", { text: "Publish" }),
    el("p", { id: "target", text: `Pushes to ${data.target}` }),
    data.changes.length ? el("div", { id: "changes" }, files) : message("ok", "Nothing changed since the last commit.", "nothing"),
    (data.left_out || []).length ? el("div", { class: "help", text: `Left out: ${data.left_out.join("; ")}` }) : null,
    el("h3", { text: "Commit message" }), text,
    el("label", {}, rebase, " If the remote has new commits, replay mine on top of them (publish --rebase)"),
    el("div", { class: "actions" }, el("button", { type: "button", id: "publish", class: "primary", onclick: publish, text: "Publish" })),
    outcome);
}

// --- routing -------------------------------------------------------------------------------------

const VIEWS = [
  [/^#\/edit\/(.+)$/, (m) => editView(decodeURIComponent(m[1]))],
  [/^#\/add$/, () => addView()],
  [/^#\/publish$/, () => publishView()],
  [/^/, () => listView()],
];

function route() {
  routeCount += 1;
  show(el("p", { text: "Loading…" }));
  const hash = location.hash || "#/";
  for (const [pattern, open] of VIEWS) {
    const match = hash.match(pattern);
    if (match) {
      return Promise.resolve(open(match)).catch((error) => {
        if (!(error instanceof Stale)) show(message("bad", String(error), "error"));
      });
    }
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
