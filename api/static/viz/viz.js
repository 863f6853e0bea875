// The ietf-kg area map: cytoscape over the GraphQL API (POST /graphql).
// Every label and value from the graph reaches the page as text (textContent, canvas labels),
// never as HTML, so names containing markup render as typed.
"use strict";

// Node kinds and relations come from the vocabulary table (schema/vocabulary_table.py), served as JSON.
let KINDS = {}, RELATIONS = {}, GROUP_KINDS = {};
async function loadVocabulary() {
  const response = await fetch("/viz/vocabulary.json", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`vocabulary: ${response.status}`);
  const vocabulary = await response.json();
  KINDS = vocabulary.kinds;
  RELATIONS = vocabulary.relations;
  GROUP_KINDS = Object.fromEntries(Object.entries(KINDS).filter(([, k]) => k.groupType).map(([key, k]) => [k.groupType, key]));
}
const kindOf = (key) => KINDS[key] || KINDS.other;
// How a sentence reads a typed edge, from `from` to `to`: "RFC 8446 obsoletes RFC 5077".
function sentence(fromLabel, relation, forward, toLabel) {
  const r = RELATIONS[relation.predicate];
  const verb = r ? (forward || r.symmetric ? r.reads : r.inverse) : (forward ? relation.label : `(${relation.label} of)`);
  return `${fromLabel} ${verb} ${toLabel}`;
}
const REASON_NAMES = { people: "people holding roles in both", rfc: "RFCs updating/obsoleting across", protocol: "protocols defined in both", collaboration: "stated collaborations" };

const $ = (id) => document.getElementById(id);
function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}
function localHref(href) {
  // Only links into this app: the server gives paths, never other origins or schemes.
  try { const url = new URL(href, location.origin); return url.origin === location.origin ? url.href : null; }
  catch (e) { return null; }
}
function link(text, href) {
  const safe = localHref(href);
  const a = el("a", text);
  if (safe) a.href = safe;
  return a;
}
// Every read goes to the GraphQL API: POST /graphql, JSON in and out; GraphQL errors become Errors.
async function gql(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "accept": "application/json" },
    body: JSON.stringify({ query, variables: variables || {} }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  if (!response.ok) throw new Error(response.statusText);
  return body.data;
}

// The fields every drawn entity needs, whatever its type (Area is a Group with more fields).
const GROUP_FIELDS = "acronym name type state";
const ENTITY = `fragment Entity on Node { __typename id page
  ... on Group { ${GROUP_FIELDS} } ... on Area { ${GROUP_FIELDS} }
  ... on Person { name isOrganization } ... on Document { number title status year }
  ... on SubSeries { name title } ... on Protocol { name expansion } }`;
const RELATION = "name label source { id } target { id }";
const ROLE_ROW = `fragment RoleRow on Role { kind kindLabel start end dateBasis
  person { id name } group { id acronym type } }`;
const ROLES = "roles(first: 100) { totalCount nodes { ...RoleRow } }";
const NODE_FIELDS = `...Entity sparqlQueries { name query }
    ... on Group { ${ROLES} } ... on Area { ${ROLES} } ... on Person { ${ROLES} }`;
const QUERIES = {
  areaMap: `query AreaMap { areaMap {
    nodes { group { ...Entity } area { id } }
    links { ${RELATION} }
    relations { source { id } target { id } weight counts { people rfc protocol collaboration }
      reasons { kind key label text } } } } ${ENTITY}`,
  node: `query Node($id: ID!) {
  node(id: $id) { ${NODE_FIELDS} }
  neighborhood(id: $id, depth: 1, limit: 500) { truncated nodes { ...Entity } edges { ${RELATION} } } } ${ENTITY} ${ROLE_ROW}`,
  search: `query Search($text: String!) { search(text: $text, first: 20) { nodes { ...Entity } } } ${ENTITY}`,
  path: `query Path($from: ID!, $to: ID!) { path(from: $from, to: $to, maxHops: 6, limit: 1) {
    length nodes { ...Entity } steps { forward relation { ${RELATION} } } } } ${ENTITY}`,
  roles: `query Roles($at: Date!, $after: String) { roles(at: $at, held: CERTAIN, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { ...RoleRow } } } ${ROLE_ROW}`,
};
// The query the side panel shows and links to the explorer: the entity alone, its id written in.
const panelQuery = (id) => `{\n  node(id: ${JSON.stringify(id)}) {\n    ${NODE_FIELDS}\n  }\n}\n${ENTITY}\n${ROLE_ROW}`;

const lastSegment = (id) => id.replace(/\/$/, "").split("/").pop();

// A GraphQL entity -> what the map draws: id, kind, label, entity page and the facts the panel lists.
function entity(n) {
  const base = { id: n.id, page: n.page };
  switch (n.__typename) {
    case "Group": case "Area":
      return { ...base, kind: GROUP_KINDS[n.type] || "group", label: n.acronym, name: n.name, state: n.state && n.state.toLowerCase() };
    case "Person":
      return { ...base, kind: n.isOrganization ? "agent" : "person", label: n.name };
    case "Document":
      return { ...base, kind: "rfc", label: n.number ? `RFC ${n.number}` : lastSegment(n.id), number: n.number,
        title: n.title, status: n.status, year: n.year };
    case "SubSeries":
      return { ...base, kind: "subseries", label: n.name || lastSegment(n.id), title: n.title };
    case "Protocol":
      return { ...base, kind: "protocol", label: n.name, name: n.expansion };
    default:
      return { ...base, kind: "other", label: lastSegment(n.id) };
  }
}
const relationLink = (r) => ({ source: r.source.id, target: r.target.id, predicate: r.name, label: r.label });
const roleLink = (r) => ({ source: r.person, target: r.group, predicate: `role:${r.kind}`, label: r.role });
const roleRow = (r) => ({ person: r.person.id, name: r.person.name, group: r.group.id, acronym: r.group.acronym,
  groupKind: GROUP_KINDS[r.group.type] || "group", kind: r.kind, role: r.kindLabel, start: r.start, end: r.end, basis: r.dateBasis });

async function loadAreaMap() {
  const map = (await gql(QUERIES.areaMap)).areaMap;
  return {
    nodes: map.nodes.map((m) => ({ ...entity(m.group), area: m.area.id })),
    links: map.links.map(relationLink),
    projection: map.relations.map((e) => ({ source: e.source.id, target: e.target.id, weight: e.weight, counts: e.counts, reasons: e.reasons })),
  };
}

const NEIGHBOURS_PER_LINK = 60;  // per (direction, relation): the panel and the map stay readable

// One entity's side panel and neighbourhood: its facts and roles (node) and its links (neighborhood).
async function loadNode(id) {
  const data = await gql(QUERIES.node, { id });
  const me = entity(data.node);
  const others = new Map(data.neighborhood.nodes.map((n) => [n.id, entity(n)]));
  const byLink = new Map();
  for (const e of data.neighborhood.edges.map(relationLink)) {
    if (e.source !== id && e.target !== id) continue;  // only the entity's own links
    const key = `${e.source === id ? "out" : "in"} ${e.predicate}`;
    if (!byLink.has(key)) byLink.set(key, []);
    byLink.get(key).push(e);
  }
  const neighbours = [], links = [], more = {};
  for (const [key, edges] of [...byLink].sort(([a], [b]) => a.localeCompare(b))) {
    const other = (e) => others.get(e.source === id ? e.target : e.source);
    edges.sort((a, b) => ((other(b).number || 0) - (other(a).number || 0)) || other(a).label.localeCompare(other(b).label));
    if (edges.length > NEIGHBOURS_PER_LINK) more[key] = edges.length - NEIGHBOURS_PER_LINK;
    for (const e of edges.slice(0, NEIGHBOURS_PER_LINK)) { neighbours.push(other(e)); links.push(e); }
  }
  if (data.neighborhood.truncated) more["links beyond the first 500 neighbours"] = "some";
  const roles = data.node.roles ? data.node.roles.nodes.map(roleRow).reverse() : [];  // newest first
  for (const r of roles) {
    neighbours.push(r.person === id ? { id: r.group, kind: r.groupKind, label: r.acronym || lastSegment(r.group) }
                                    : { id: r.person, kind: "person", label: r.name || lastSegment(r.person) });
    links.push(roleLink(r));
  }
  const gqlText = panelQuery(id);
  return {
    node: me,
    neighbours: [...new Map(neighbours.map((n) => [n.id, n])).values()],
    links,
    more,
    roles,
    queries: {
      graphql: gqlText,
      graphql_href: "/graphql?query=" + encodeURIComponent(gqlText),
      sparql: Object.fromEntries(data.node.sparqlQueries.map((q) => [q.name, "/sparql?query=" + encodeURIComponent(q.query)])),
    },
  };
}

// "RFC8446", "rfc 8446" and "8446" all mean the RFC: search for its printed name "RFC 8446".
function searchText(text) {
  const q = text.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  const rfc = /^(?:rfc ?)?(\d+)$/.exec(q);
  return rfc ? `rfc ${rfc[1]}` : q;
}

async function loadPath(from, to) {
  const paths = (await gql(QUERIES.path, { from, to })).path;
  if (!paths.length) throw new Error("no path between these two entities within 6 hops");
  return { nodes: paths[0].nodes.map(entity), links: paths[0].steps.map((s) => relationLink(s.relation)),
    forward: paths[0].steps.map((s) => s.forward), length: paths[0].length };
}

async function loadRoles(at) {
  const roles = [];
  for (let after = null; ;) {
    const page = (await gql(QUERIES.roles, { at, after })).roles;
    roles.push(...page.nodes.map(roleRow));
    if (!page.pageInfo.hasNextPage) return roles;
    after = page.pageInfo.endCursor;
  }
}

const state = { areaMap: null, expanded: new Set(), pathFrom: null, pathTo: null, hiddenKinds: new Set(), area: "", at: null, meetings: [] };

const cy = cytoscape({
  container: $("cy"),
  minZoom: 0.05,
  maxZoom: 4,
  style: [
    // Labels by zoom level: a group's label is drawn only once it would be at least 9 px on screen
    // (a whole map of groups at 4 px is noise); the area containers' titles read on the whole map.
    { selector: "node", style: {
      "label": "data(label)", "font-size": 22, "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 9,
      "width": "data(size)", "height": "data(size)", "background-color": "data(color)", "shape": "data(shape)",
      "border-width": 1, "border-color": "rgba(0,0,0,0.35)", "text-wrap": "ellipsis", "text-max-width": 92 } },
    { selector: "node[kind = 'area'], node[kind = 'body']", style: {
      "font-size": 22, "font-weight": "bold", "text-valign": "center", "text-margin-y": 0, "color": "#fff",
      "text-outline-color": "rgba(0,0,0,0.55)", "text-outline-width": 2, "min-zoomed-font-size": 0,
      "text-wrap": "wrap", "text-max-width": "data(size)" } },
    { selector: "node[kind = 'area']:parent, node[kind = 'body']:parent", style: {
      "label": "data(caption)", "text-valign": "top", "text-halign": "center", "text-margin-y": -6,
      "font-size": 40, "color": "data(color)", "text-outline-color": "#fff", "text-outline-width": 3,
      "text-max-width": 2000, "background-color": "data(color)", "background-opacity": 0.08,
      "border-width": 3, "border-color": "data(color)", "padding": 28, "shape": "round-rectangle" } },
    { selector: "node.possible", style: { "border-style": "dashed", "border-width": 3, "border-color": "#a55" } },
    { selector: "node.expanded", style: { "border-width": 3, "border-color": "#333" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#d62728" } },
    { selector: "node.holder", style: { "border-width": 4, "border-color": "#2ca02c" } },
    { selector: "edge.holder", style: { "width": 3, "line-color": "#2ca02c", "target-arrow-color": "#2ca02c", "opacity": 1 } },
    { selector: "node.path", style: { "border-width": 5, "border-color": "#ff7f0e" } },
    { selector: "node.filtered", style: { "display": "none" } },
    { selector: "edge", style: { "width": 1, "line-color": "#bbb", "curve-style": "bezier", "opacity": 0.7,
      "target-arrow-shape": "triangle", "target-arrow-color": "#bbb", "arrow-scale": 0.6 } },
    { selector: "edge[predicate = 'subOrganizationOf']", style: { "target-arrow-shape": "none", "line-color": "#ddd" } },
    { selector: "edge[predicate ^= 'role:']", style: { "line-color": "#ff9896", "target-arrow-color": "#ff9896", "label": "data(label)", "font-size": 8, "color": "#a55" } },
    { selector: "edge[predicate = 'collaboratesWith']", style: { "line-style": "dashed", "line-color": "#9467bd", "width": 2, "target-arrow-shape": "none" } },
    { selector: "edge.relation", style: { "width": "data(width)", "line-color": "#e377c2", "opacity": 0.55, "target-arrow-shape": "none",
      "label": "data(weight)", "font-size": 14, "color": "#a0357d", "text-background-color": "#fff", "text-background-opacity": 0.8 } },
    { selector: "edge.relation:selected, edge.relation.hover", style: { "opacity": 0.95, "line-color": "#c2185b" } },
    { selector: "edge.path", style: { "width": 5, "line-color": "#ff7f0e", "target-arrow-color": "#ff7f0e", "opacity": 1 } },
  ],
});

function nodeData(n) {
  const kind = KINDS[n.kind] ? n.kind : "other";
  const caption = n.name && n.name !== n.label ? `${n.label} · ${n.name}` : n.label;
  return { ...n, kind, caption, color: KINDS[kind].colour, shape: KINDS[kind].shape, size: KINDS[kind].size };
}

function rings(count) {
  // Concentric rings, about 45 units between neighbours: compact even for a group with 60 RFCs.
  const spots = [];
  for (let r = 110; spots.length < count; r += 60) {
    const room = Math.min(Math.floor((2 * Math.PI * r) / 45), count - spots.length);
    for (let i = 0; i < room; i++) spots.push({ r, angle: (2 * Math.PI * i) / room + r / 97 });
  }
  return spots;
}

// Room for a ring's labels (text-max-width 92) beyond its outer radius.
const RING_MARGIN = 60;

function clearOf(boxes, c, radius) {
  return boxes.every((b) => {
    const dx = Math.max(b.x1 - c.x, 0, c.x - b.x2), dy = Math.max(b.y1 - c.y, 0, c.y - b.y2);
    return dx * dx + dy * dy >= radius * radius;
  });
}

// The centre of the first disc near `at` that touches nothing already drawn (groups, their area
// containers, earlier neighbours): tried outward from `at`, starting on the side that faces away
// from the middle of the drawing and turning both ways. Past the whole drawing there is always room.
function freeCentre(at, radius) {
  const boxes = cy.nodes().map((n) => n.boundingBox({ includeLabels: false }));
  const all = cy.nodes().boundingBox({ includeLabels: false });
  const away = Math.atan2(at.y - (all.y1 + all.y2) / 2, at.x - (all.x1 + all.x2) / 2);
  const reach = Math.hypot(all.w, all.h) + radius;
  for (let d = radius; d < reach; d += 60) {
    for (let k = 0; k < 24; k++) {
      const turn = (k % 2 ? -1 : 1) * Math.ceil(k / 2) * (Math.PI / 12);
      const c = { x: at.x + d * Math.cos(away + turn), y: at.y + d * Math.sin(away + turn) };
      if (clearOf(boxes, c, radius)) return c;
    }
  }
  return { x: all.x2 + radius, y: at.y };
}

function addNodes(nodes, around) {
  const fresh = nodes.filter((n) => cy.getElementById(n.id).empty());
  if (!fresh.length) return fresh;
  const spots = rings(fresh.length);
  const outer = spots[spots.length - 1].r;
  // New neighbours ring in free space beside the clicked node, so they cover neither it nor another cluster.
  const center = around && cy.nodes().nonempty() ? freeCentre(around, outer + RING_MARGIN) : around || { x: 0, y: 0 };
  fresh.forEach((n, i) => {
    const { r, angle } = spots[i];
    cy.add({ group: "nodes", data: nodeData(n), position: { x: center.x + r * Math.cos(angle), y: center.y + r * Math.sin(angle) } });
  });
  return fresh;
}

function addLinks(links, classes) {
  for (const l of links) {
    if (cy.getElementById(l.source).empty() || cy.getElementById(l.target).empty()) continue;
    const id = `${l.source}|${l.predicate}|${l.label || ""}|${l.target}`;
    if (cy.getElementById(id).nonempty()) continue;
    cy.add({ group: "edges", classes: classes || "", data: { ...l, id } });
  }
}

// -- area map ---------------------------------------------------------------------------------
// Each area (and the IRTF and IAB) is a container holding its groups (and, on a date, its ADs)
// in a grid; the containers are packed in rows. Returns nothing; fits the view at the end.
const CELL = 95;  // grid step inside a container, room for a label of about 12 characters
function drawAreaMap(map) {
  tooltip.hidden = true;
  cy.batch(() => {
    cy.elements().remove();
    state.expanded.clear();
    const containers = map.nodes.filter((n) => KINDS[n.kind] && KINDS[n.kind].container);
    const inside = new Map(containers.map((a) => [a.id, []]));
    for (const n of map.nodes) if (inside.has(n.area) && n.id !== n.area) inside.get(n.area).push(n);
    const ROW = 2600;
    let x = 0, y = 0, rowHeight = 0;
    for (const a of containers) {
      const children = inside.get(a.id);
      const cols = Math.max(1, Math.ceil(Math.sqrt(children.length * 1.6)));
      const width = cols * CELL, height = Math.max(1, Math.ceil(children.length / cols)) * CELL;
      if (x > 0 && x + width > ROW) { x = 0; y += rowHeight + 200; rowHeight = 0; }
      cy.add({ group: "nodes", data: nodeData(a), position: { x: x + width / 2, y: y + height / 2 } });
      children.forEach((c, j) => {
        const position = { x: x + (j % cols) * CELL + CELL / 2, y: y + Math.floor(j / cols) * CELL + CELL / 2 };
        cy.add({ group: "nodes", classes: c.certainty === "possible" ? "possible" : "", data: { ...nodeData(c), parent: a.id }, position });
      });
      x += width + 220;
      rowHeight = Math.max(rowHeight, height);
    }
    // a group drawn inside its area needs no part-of edge: the container says it
    addLinks(map.links.filter((l) => !(inside.has(l.target) && cy.getElementById(l.source).data("parent") === l.target)));
    for (const e of map.projection) {
      cy.add({ group: "edges", classes: "relation", data: {
        id: `rel|${e.source}|${e.target}`, source: e.source, target: e.target, predicate: "related",
        weight: e.weight, width: 2 + 2.2 * Math.sqrt(e.weight), counts: e.counts, reasons: e.reasons } });
    }
  });
  applyFilters(true);
}

function fillAreaFilter(map) {
  const select = $("area-filter");
  for (const a of map.nodes.filter((n) => n.kind === "area" || n.kind === "body")) {
    select.append(el("option", `${a.label} — ${a.name || ""}`, { value: a.id }));
  }
}

// -- filters and legend --------------------------------------------------------------------------
// Hide what the kind and area filters leave out; with `fit`, fit the view to what is left.
function applyFilters(fit = false) {
  cy.batch(() => cy.nodes().forEach((n) => {
    const kindHidden = state.hiddenKinds.has(n.data("kind")) && !n.isParent();
    const area = n.data("area");
    const areaHidden = state.area && area && area !== state.area && n.id() !== state.area;
    n.toggleClass("filtered", Boolean(kindHidden || areaHidden));
  }));
  if (!fit) return;
  tooltip.hidden = true;
  const shown = cy.elements().filter((e) => e.visible());
  stopViewport();
  cy.fit(shown.length ? shown : undefined, 30);
}

// A viewport animation still gliding (to a path, to a searched node) would otherwise carry on
// after a later fit and undo it: the newest view wins, the older glide and its queue are dropped.
function stopViewport() { cy.stop(true, false); }

function buildLegend() {
  const list = $("legend-list");
  const filter = $("kind-filter");
  for (const [kind, k] of Object.entries(KINDS)) {
    const item = el("li");
    item.append(el("span", "", { class: "swatch", style: `background:${k.colour}` }), el("span", `${k.label} (${k.shape})`));
    list.append(item);
    const box = el("input", null, { type: "checkbox", value: kind });
    box.checked = true;
    box.addEventListener("change", () => {
      if (box.checked) state.hiddenKinds.delete(kind); else state.hiddenKinds.add(kind);
      applyFilters(true);
    });
    const label = el("label");
    label.append(box, document.createTextNode(" " + k.label));
    filter.append(label);
  }
  const rel = el("li");
  rel.append(el("span", "", { class: "swatch", style: "background:#e377c2" }), el("span", "area relation (weight)"));
  list.append(rel);
}

// -- side panel -------------------------------------------------------------------------------
function panel(...children) {
  const details = $("details");
  details.replaceChildren(...children);
  return details;
}

function rolesTable(roles, self) {
  const table = el("table");
  const head = el("tr");
  ["role", self === "person" ? "group" : "person", "from", "to", "basis"].forEach((h) => head.append(el("th", h)));
  table.append(head);
  for (const r of roles) {
    const row = el("tr");
    const other = self === "person" ? (r.acronym || r.group) : (r.name || r.person);
    const target = self === "person" ? r.group : r.person;
    const cell = el("td");
    const button = el("button", other, { class: "linkish", type: "button" });
    button.addEventListener("click", () => focusNode(target));
    cell.append(button);
    row.append(el("td", r.role), cell, el("td", r.start || "?"), el("td", r.end || "?"), el("td", r.basis || ""));
    table.append(row);
  }
  return table;
}

function showNode(view) {
  const n = view.node;
  const parts = [el("h2", n.label), el("p")];
  parts[1].append(el("span", KINDS[n.kind] ? KINDS[n.kind].label : n.kind, { class: "kind" }));
  for (const key of ["name", "title", "state", "status", "year"]) {
    if (n[key] && n[key] !== n.label) parts.push(el("p", `${key}: ${n[key]}`, { "data-fact": key }));
  }
  const links = el("p", null, { class: "links" });
  if (n.page) links.append(link("entity page", n.page));
  links.append(link("GraphQL", view.queries.graphql_href));
  for (const [name, href] of Object.entries(view.queries.sparql)) links.append(link(`SPARQL (${name.replace("viz_", "")})`, href));
  parts.push(links);
  const pathButtons = el("p");
  const from = el("button", "path from here", { type: "button" });
  const to = el("button", "path to here", { type: "button" });
  from.addEventListener("click", () => pickPath("pathFrom", n));
  to.addEventListener("click", () => pickPath("pathTo", n));
  pathButtons.append(from, document.createTextNode(" "), to);
  parts.push(pathButtons);
  if (view.roles.length) parts.push(el("h3", "Roles"), rolesTable(view.roles, n.kind === "person" ? "person" : "group"));
  const neighbours = view.neighbours.filter((m) => m.id !== n.id);
  parts.push(el("h3", `Neighbours (${neighbours.length})`));
  const list = el("ul", null, { id: "neighbour-list" });
  for (const m of neighbours) {
    const item = el("li");
    const button = el("button", m.label, { class: "linkish", type: "button", "data-id": m.id });
    button.addEventListener("click", () => focusNode(m.id, m));
    item.append(el("span", KINDS[m.kind] ? KINDS[m.kind].label : m.kind, { class: "kind" }), button);
    list.append(item);
  }
  parts.push(list);
  for (const [what, count] of Object.entries(view.more)) parts.push(el("p", `… and ${count} more (${what})`, { class: "hint" }));
  parts.push(el("h3", "GraphQL query"), el("pre", view.queries.graphql));
  panel(...parts);
}

function showRelation(edge) {
  const d = edge.data();
  const a = cy.getElementById(d.source).data("label");
  const b = cy.getElementById(d.target).data("label");
  const parts = [el("h2", `${a} — ${b}`), el("p", `weight ${d.weight}: ${summary(d.counts)}`)];
  for (const kind of Object.keys(REASON_NAMES)) {
    const reasons = d.reasons.filter((r) => r.kind === kind);
    if (!reasons.length) continue;
    parts.push(el("h3", `${REASON_NAMES[kind]} (${reasons.length})`));
    const list = el("ul");
    reasons.forEach((r) => list.append(el("li", r.text)));
    parts.push(list);
  }
  panel(...parts);
}

function summary(counts) {
  return Object.entries(counts).filter(([, c]) => c).map(([k, c]) => `${c} ${REASON_NAMES[k]}`).join(", ");
}

// -- expanding, searching, paths, dates ---------------------------------------------------------
async function expand(id, hint) {
  let node = cy.getElementById(id);
  if (node.empty()) {
    const ext = cy.extent();
    addNodes([hint || { id, kind: "other", label: id.split("/").pop() }], { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 });
    node = cy.getElementById(id);
  }
  const view = await loadNode(id);
  node.data(nodeData({ ...node.data(), ...view.node }));
  addNodes(view.neighbours, node.position());
  addLinks(view.links);
  node.addClass("expanded");
  state.expanded.add(id);
  applyFilters();
  cy.elements().unselect();
  node.select();
  showNode(view);
  return view;
}

async function focusNode(id, hint) {
  const view = await expand(id, hint);
  const node = cy.getElementById(id);
  stopViewport();
  cy.animate({ center: { eles: node.closedNeighborhood() }, zoom: Math.max(cy.zoom(), 0.7) }, { duration: 300 });
  return view;
}

let searchTimer = null;
async function runSearch() {
  const q = $("search").value.trim();
  const results = $("search-results");
  if (q.length < 2) { results.hidden = true; return; }
  const found = (await gql(QUERIES.search, { text: searchText(q) })).search.nodes.map(entity);
  results.replaceChildren();
  for (const r of found) {
    const item = el("li");
    const button = el("button", null, { type: "button", "data-id": r.id });
    button.append(el("span", KINDS[r.kind] ? KINDS[r.kind].label : r.kind, { class: "kind" }), document.createTextNode(r.label));
    const about = r.title || r.name;
    if (about && about !== r.label) button.append(document.createTextNode(` — ${about}`));
    button.addEventListener("click", () => { results.hidden = true; focusNode(r.id, r); });
    item.append(button);
    results.append(item);
  }
  if (!found.length) results.append(el("li", "no match"));
  results.hidden = false;
}

function pickPath(which, node) {
  state[which] = node;
  const picks = $("path-picks");
  picks.textContent = `path: ${state.pathFrom ? state.pathFrom.label : "?"} → ${state.pathTo ? state.pathTo.label : "?"}`;
  if (state.pathFrom && state.pathTo) showPath(state.pathFrom.id, state.pathTo.id);
}

async function showPath(from, to) {
  cy.elements().removeClass("path");
  let result;
  try { result = await loadPath(from, to); }
  catch (e) { panel(el("h2", "No path"), el("p", e.message)); return; }
  const start = cy.getElementById(from);
  addNodes(result.nodes, start.nonempty() ? start.position() : undefined);
  addLinks(result.links);
  for (const n of result.nodes) cy.getElementById(n.id).addClass("path");
  for (const l of result.links) {
    cy.edges().filter((e) => e.data("source") === l.source && e.data("target") === l.target && e.data("predicate") === l.predicate).addClass("path");
  }
  const list = el("ol", null, { id: "path-list" });
  result.nodes.forEach((n, i) => {
    // each hop read in the direction the path walks it, e.g. from RFC 5077 to RFC 8446 against "obsoletes"
    const hop = i < result.links.length ? sentence(n.label, result.links[i], result.forward[i], "→") : n.label;
    list.append(el("li", hop));
  });
  panel(el("h2", `Shortest path (${result.length} hops)`), list);
  stopViewport();
  cy.animate({ fit: { eles: cy.elements(".path"), padding: 60 } }, { duration: 300 });
}

async function showRoles() {
  const at = $("date").value;
  if (!at) return;
  const roles = await loadRoles(at);
  cy.elements(".dated").remove();  // people and links added for the previous date
  cy.elements(".holder").removeClass("holder");
  const drawn = roles.filter((r) => {
    const group = cy.getElementById(r.group);
    return group.nonempty() && (["area", "body"].includes(group.data("kind")) || state.expanded.has(r.group));
  });
  for (const r of drawn) {
    const group = cy.getElementById(r.group);
    if (cy.getElementById(r.person).empty()) {
      addNodes([{ id: r.person, kind: "person", label: r.name || r.person }], group.position());
      cy.getElementById(r.person).addClass("dated");
    }
    cy.getElementById(r.person).addClass("holder");
  }
  const links = drawn.map(roleLink);
  addLinks(links, "dated");
  for (const l of links) cy.getElementById(`${l.source}|${l.predicate}|${l.label}|${l.target}`).addClass("holder");
  const byGroup = new Map();
  for (const r of roles) {
    const key = r.acronym || r.group;
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key).push(r);
  }
  const list = el("ul", null, { id: "roles-list" });
  for (const [group, roles] of byGroup) {
    list.append(el("li", `${group}: ${roles.map((r) => `${r.name} (${r.role}, ${r.start} to ${r.end})`).join("; ")}`));
  }
  panel(el("h2", `Role holders on ${at}`), el("p", `${roles.length} roles; ${drawn.length} drawn (areas and expanded groups)`), list);
  applyFilters();
}

// -- events ------------------------------------------------------------------------------------
const tooltip = $("tooltip");
cy.on("mouseover", "edge.relation", (evt) => {
  const d = evt.target.data();
  evt.target.addClass("hover");
  const a = cy.getElementById(d.source).data("label");
  const b = cy.getElementById(d.target).data("label");
  const top = d.reasons.slice(0, 6).map((r) => "• " + r.text).join("\n");
  tooltip.textContent = `${a} — ${b}: weight ${d.weight}\n${summary(d.counts)}\n${top}${d.reasons.length > 6 ? "\n… click for all" : ""}`;
  tooltip.hidden = false;
});
cy.on("mousemove", (evt) => {
  if (tooltip.hidden || !evt.originalEvent) return;
  tooltip.style.left = `${evt.originalEvent.clientX + 14}px`;
  tooltip.style.top = `${evt.originalEvent.clientY + 14}px`;
});
cy.on("mouseout", "edge", (evt) => { evt.target.removeClass("hover"); tooltip.hidden = true; });
cy.on("mouseover", "edge[predicate != 'related']", (evt) => {
  const d = evt.target.data();
  tooltip.textContent = sentence(evt.target.source().data("label"), d, true, evt.target.target().data("label"));
  tooltip.hidden = false;
});
cy.on("tap", "edge.relation", (evt) => showRelation(evt.target));
cy.on("tap", "node", (evt) => { expand(evt.target.id()).catch((e) => panel(el("h2", "Error"), el("p", e.message))); });

$("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 250); });
$("search-form").addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(searchTimer); runSearch(); });
$("area-filter").addEventListener("change", (e) => { state.area = e.target.value; applyFilters(true); });
$("show-roles").addEventListener("click", () => showRoles().catch((e) => panel(el("h2", "Error"), el("p", e.message))));
$("reset").addEventListener("click", () => { state.at = null; $("map-date").value = ""; $("meeting").value = ""; drawAreaMap(state.areaMap); });
$("map-date").addEventListener("change", (e) => { if (e.target.value) showDate({ at: e.target.value }).catch(showError); });
$("meeting").addEventListener("change", (e) => { if (e.target.value) showDate({ meeting: e.target.value }).catch(showError); });
function showError(e) { panel(el("h2", "Error"), el("p", e.message)); }

// -- the map at a date or an IETF meeting (GET /viz/map.json, cut by graph/area_timeline.py) --------
async function showDate(at) {
  const started = performance.now();
  const response = await fetch("/viz/map.json?" + new URLSearchParams(at), { headers: { accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || body.error || response.statusText);
  const fetched = performance.now();
  state.at = body.at;
  showControls(body.at.from);
  drawAreaMap(body);
  window.vizLastRedraw = { fetchMs: fetched - started, drawMs: performance.now() - fetched };  // read by the browser test
  const people = body.nodes.filter((n) => n.kind === "person");
  const when = body.at.from === body.at.to ? body.at.from : `${body.at.from} to ${body.at.to}`;
  const list = el("ul", null, { id: "seated-list" });
  for (const p of people) {
    const area = body.nodes.find((n) => n.id === p.area);
    list.append(el("li", `${p.label}: ${area ? area.label : ""} AD (${p.certainty}, ${p.start} to ${p.end})`));
  }
  panel(el("h2", `The IETF on ${when}`),
    el("p", `${body.nodes.filter((n) => KINDS[n.kind] && KINDS[n.kind].container).length} areas, ` +
      `${body.nodes.filter((n) => n.kind !== "person" && !(KINDS[n.kind] && KINDS[n.kind].container)).length} groups an area link places then, ` +
      `${people.length} ADs seated (dashed: possible only)`), list);
  return body;
}
window.vizShowDate = showDate;
window.vizShowPath = showPath;

// The two controls say one thing: the date the map is on, and the IETF meeting held then (if any).
function showControls(day) {
  $("map-date").value = day;
  const meeting = state.meetings.find((m) => m.begins <= day && day <= m.ends);
  $("meeting").value = meeting ? String(meeting.number) : "";
}

async function fillMeetings() {
  const response = await fetch("/viz/meetings.json", { headers: { accept: "application/json" } });
  const meetings = response.ok ? await response.json() : [];
  state.meetings = meetings;
  const select = $("meeting");
  for (const m of meetings) select.append(el("option", `IETF ${m.number} (${m.begins})`, { value: String(m.number) }));
  select.hidden = meetings.length === 0;
}

window.vizReady = loadVocabulary().then(async () => {
  buildLegend();
  const [map] = await Promise.all([loadAreaMap(), fillMeetings()]);
  state.areaMap = map;
  fillAreaFilter(map);
  drawAreaMap(map);
  document.body.dataset.ready = "true";
  return map;
});
window.vizCy = cy;
