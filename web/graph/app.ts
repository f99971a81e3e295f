// The page lab graph serves: the lab drawn with Cytoscape at the positions the server's layout
// gave (core/graph/layered: nodes, and interface names placed clear of nodes and of one another), kept current from the server's event stream. Every node and link is also in the tables
// below the drawing, as text.
import cytoscape from "cytoscape";
import type { Graph, GraphNode } from "../../core/graph/model.ts";
import { startEditor } from "./edit.ts";

// The same shapes the server builds (type-only: nothing of core is bundled into the page).
type GNode = GraphNode;

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
const stateClass = (s: string) => `state-${(s || "none").replaceAll(" ", "-")}`;
const ports = (n: GNode) =>
  n.ports.map((p) => `${p.hostIp || "0.0.0.0"}:${p.hostPort}→${p.port}/${p.protocol}`).join(", ");

let graph: Graph;
let selected: string | undefined;
/** The graph's JSON as last drawn. */
let shown = "";

function elements(g: Graph): cytoscape.ElementDefinition[] {
  const groups = g.groups.map((name) => ({ data: { id: `group:${name}`, label: name }, classes: "group" }));
  const nodes = g.nodes.map((n) => ({
    data: {
      id: n.id,
      label: n.pseudo ? n.name : `${n.name}\n${n.kind}`,
      state: n.state,
      ...(n.group ? { parent: `group:${n.group}` } : {}),
    },
    position: n.position ? { ...n.position } : undefined,
    classes: [n.pseudo ? "pseudo" : "", stateClass(n.state)].join(" "),
  }));
  const links = g.links.map((l) => ({
    data: {
      id: l.id,
      source: l.a.node,
      target: l.b.node,
      title: `${l.a.node}:${l.a.iface} — ${l.b.node}:${l.b.iface}`,
      impairment: [l.a.impairment, l.b.impairment].filter(Boolean).join(" / "),
    },
    classes: l.a.impairment || l.b.impairment ? "impaired" : "",
  }));
  // Interface names as their own small boxes, where the server found room; the rest show on hover.
  const names = g.links.flatMap((l) =>
    (["a", "b"] as const).flatMap((side) => {
      const at = l[side].label;
      return at
        ? [
            {
              data: { id: `${l.id}|${side}`, label: at.text, link: l.id, w: at.width, h: at.height },
              position: { x: at.x, y: at.y },
              classes: "iflabel",
              locked: true,
              grabbable: false,
              selectable: false,
            },
          ]
        : [];
    }),
  );
  return [...groups, ...nodes, ...links, ...names];
}

/** The node's terminal page (its own URL: a tab, or a link to share), for nodes that run a container. */
const terminalLink = (n: Graph["nodes"][number]) =>
  n.state && n.state !== "not deployed"
    ? `<a href="/terminal/${encodeURIComponent(n.id)}${location.search}" target="_blank" rel="noopener">Terminal on ${esc(n.name)}</a>`
    : "";

/** A link end's packets as a pcapng download (Wireshark opens it while it grows). */
const captureLink = (end: Graph["links"][number]["a"]) => {
  const n = graph.nodes.find((x) => x.id === end.node);
  if (!n || n.pseudo || n.state !== "running") return "";
  return `<a href="/capture/${encodeURIComponent(end.node)}/${encodeURIComponent(end.iface)}${location.search}" download>Capture ${esc(end.node)}:${esc(end.iface)}</a>`;
};

function renderTables(g: Graph) {
  $("#title").textContent = `lab ${g.lab}${g.deployed ? "" : " (not deployed)"}`;
  $("#node-table tbody").innerHTML = g.nodes
    .filter((n) => !n.pseudo)
    .map(
      (n) =>
        `<tr data-node="${esc(n.id)}"><th scope="row">${esc(n.name)}</th><td>${esc(n.kind)}</td><td>${esc(n.group)}</td><td class="state ${stateClass(n.state)}">${esc(n.state)}</td><td>${esc(n.mgmtIpv4)}</td><td>${esc(n.mgmtIpv6)}</td><td>${esc(ports(n))}</td><td>${terminalLink(n)}</td></tr>`,
    )
    .join("");
  $("#link-table tbody").innerHTML = g.links
    .map(
      (l) =>
        `<tr data-link="${esc(l.id)}"><td>${esc(l.a.node)}</td><td>${esc(l.a.iface)}</td><td>${esc(l.b.node)}</td><td>${esc(l.b.iface)}</td><td>${l.mtu ?? ""}</td><td>${esc([...l.a.addresses, ...l.b.addresses].join(", "))}</td><td>${esc([l.a.impairment, l.b.impairment].filter(Boolean).join(" / "))}</td><td>${[l.a, l.b].map(captureLink).filter(Boolean).join(" ")}</td></tr>`,
    )
    .join("");
}

function showDetails(id: string | undefined) {
  selected = id;
  const n = graph.nodes.find((x) => x.id === id);
  if (!n) {
    $("#details").innerHTML = '<p class="hint">Click a node for its details and how to reach it.</p>';
    return;
  }
  const row = (k: string, v: string) => (v ? `<dt>${k}</dt><dd>${esc(v)}</dd>` : "");
  $("#details").innerHTML = `<h2>${esc(n.name)}</h2><dl>
${row("Kind", n.kind)}${row("Image", n.image)}${row("Group", n.group)}${row("State", n.state)}
${row("Container", n.container)}${row("IPv4", n.mgmtIpv4)}${row("IPv6", n.mgmtIpv6)}${row("Ports", ports(n))}
${row("Shared", n.published.map((p) => `${p.port} ${p.url}`).join(", "))}</dl>
${terminalLink(n) ? `<p>${terminalLink(n)}</p>` : ""}
${n.commands.length ? `<h3>Reach it</h3>${n.commands.map((c) => `<code>${esc(c)}</code>`).join("")}` : ""}`;
}

function start(g: Graph) {
  graph = g;
  renderTables(g);
  const cy = cytoscape({
    container: $("#canvas"),
    elements: elements(g),
    layout: { name: "preset", fit: true, padding: 30 },
    minZoom: 0.1,
    maxZoom: 3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "text-wrap": "wrap",
          "text-valign": "center",
          "font-size": 11,
          shape: "round-rectangle",
          width: 110,
          height: 46,
          "background-color": "#fff3c4",
          "border-width": 2,
          "border-color": "#999",
        },
      },
      { selector: "node.state-running", style: { "background-color": "#c8e6c9", "border-color": "#2e7d32" } },
      {
        selector: "node.state-exited, node.state-dead",
        style: { "background-color": "#ffcdd2", "border-color": "#c62828" },
      },
      {
        selector: "node.state-not-deployed",
        style: { "background-color": "#eeeeee", "border-color": "#9e9e9e", "border-style": "dashed" },
      },
      { selector: "node.pseudo", style: { shape: "ellipse", "background-color": "#ffffff", "border-style": "dotted" } },
      {
        selector: "node.group",
        style: {
          "background-opacity": 0.06,
          "text-valign": "top",
          "font-weight": "bold",
          "border-style": "dashed",
          shape: "round-rectangle",
          padding: "20px",
        },
      },
      {
        selector: "node.iflabel",
        style: {
          label: "data(label)",
          shape: "rectangle",
          width: "data(w)",
          height: "data(h)",
          "font-size": 9,
          "font-family": "monospace",
          "text-valign": "center",
          "text-halign": "center",
          "background-color": "#ffffff",
          "background-opacity": 0.85,
          "border-width": 0,
          events: "no",
          // Too small to read when the whole of a large lab is in view: not drawn until zoomed in.
          "min-zoomed-font-size": 6,
        },
      },
      { selector: "node.iflabel.moved", style: { display: "none" } },
      {
        selector: "edge",
        style: { width: 2, "line-color": "#90a4ae", "curve-style": "bezier", "font-size": 9 },
      },
      {
        selector: "edge.hover",
        style: {
          label: "data(title)",
          "line-color": "#1e88e5",
          "text-background-color": "#fff",
          "text-background-opacity": 0.9,
        },
      },
      {
        selector: "edge.impaired",
        style: { "line-color": "#e53935", "line-style": "dashed", label: "data(impairment)" },
      },
    ],
  });
  // For scripts driving the page (tests, automation): the Cytoscape instance.
  (window as unknown as { labGraph: cytoscape.Core }).labGraph = cy;
  cy.on("tap", "node", (e) => showDetails(e.target.id()));
  // Both interface names of a link on hover; a node dragged away takes its links' names off
  // (they were placed for where it was).
  cy.on("mouseover", "edge", (e) => e.target.addClass("hover"));
  cy.on("mouseout", "edge", (e) => e.target.removeClass("hover"));
  cy.on("drag", "node", (e) => {
    const ids = new Set(e.target.connectedEdges().map((edge: cytoscape.EdgeSingular) => edge.id()));
    cy.nodes(".iflabel")
      .filter((n) => ids.has(n.data("link")))
      .addClass("moved");
  });
  cy.on("tap", (e) => {
    if (e.target === cy) showDetails(undefined);
  });
  const events = new EventSource("/events");
  events.addEventListener("graph", (e) => {
    const text = (e as MessageEvent).data as string;
    // The stream opens with the graph as it is: the one just drawn, mostly; nothing to redo then.
    if (text !== shown) {
      shown = text;
      redraw(cy, JSON.parse(text) as Graph);
    }
    $("#status").textContent = `updated ${new Date().toLocaleTimeString()}`;
  });
  events.addEventListener("open", () => {
    $("#status").textContent = "live";
  });
  events.addEventListener("error", () => {
    $("#status").textContent = "reconnecting…";
  });
  document.documentElement.dataset.ready = "true";
  // lab graph --edit: the editor's controls, when the server offers them (the drawing does not wait).
  fetch(`/edit/state${location.search}`)
    .then((r) => (r.ok ? r.json() : undefined))
    .then((state) => {
      if (state?.editing)
        startEditor(cy, state, { graph: () => graph, redraw: (g) => redraw(cy, g), selected: () => selected });
    })
    .catch(() => {});
}

/** A new state of the lab: states and impairments updated in place; nodes or links added or gone: drawn anew. */
function redraw(cy: cytoscape.Core, next: Graph) {
  const same =
    next.nodes.every((n) => !cy.getElementById(n.id).empty()) &&
    next.links.every((l) => {
      const e = cy.getElementById(l.id);
      return !e.empty() && e.source().id() === l.a.node && e.target().id() === l.b.node;
    }) &&
    cy.nodes(":childless").not(".iflabel").length === next.nodes.length &&
    cy.edges().length === next.links.length;
  graph = next;
  cy.batch(() => {
    if (!same) {
      cy.elements().remove();
      cy.add(elements(next));
      return;
    }
    for (const n of next.nodes) {
      const el = cy.getElementById(n.id);
      el.data("state", n.state);
      el.classes([n.pseudo ? "pseudo" : "", stateClass(n.state)].join(" "));
    }
    for (const l of next.links) {
      const el = cy.getElementById(l.id);
      const impairment = [l.a.impairment, l.b.impairment].filter(Boolean).join(" / ");
      el.data("impairment", impairment);
      el.classes(impairment ? "impaired" : "");
    }
  });
  renderTables(next);
  if (selected) showDetails(selected);
}

fetch("/graph.json")
  .then((r) => r.text())
  .then((text) => {
    shown = text;
    start(JSON.parse(text) as Graph);
  })
  .catch((e) => {
    $("#status").textContent = `cannot load the lab: ${e}`;
  });
