// The page's editor (lab graph --edit): a toolbar of buttons with their names ("Add node", "Add
// link", "Rename", "Delete", "Save", "Apply"), each opening a form in a modal <dialog> (keyboard:
// Tab through the fields, Enter submits, Escape cancels). Each change goes to the server, which
// checks it as `lab validate` would and answers with the lab drawn again; nodes stay where the page
// has them. Dragging a node, or the arrow keys on the selected one, moves it (graph-posX/Y).
import type cytoscape from "cytoscape";
import type { Graph } from "../../core/graph/model.ts";

interface EditState {
  file: string;
  unsaved: boolean;
  kinds: { kind: string; interface: string; image?: string }[];
}

interface Page {
  graph(): Graph;
  redraw(g: Graph): void;
  selected(): string | undefined;
}

type Op = Record<string, unknown> & { op: string };

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
const NODE_GAP = 170;
const STEP = 10;

export function startEditor(cy: cytoscape.Core, state: EditState, page: Page) {
  let unsaved = state.unsaved;
  let selectedLink: string | undefined;
  const bar = document.createElement("div");
  bar.id = "editbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Edit the lab");
  bar.innerHTML = `${["Add node", "Add link", "Rename", "Delete", "Save", "Apply"]
    .map((name) => `<button type="button" data-action="${name}">${name}</button>`)
    .join("")}<span id="edit-file"></span><p id="edit-error" role="alert"></p>`;
  $("header").after(bar);
  const dialog = document.createElement("dialog");
  dialog.id = "edit-dialog";
  document.body.append(dialog);
  const result = document.createElement("pre");
  result.id = "edit-result";
  result.setAttribute("aria-live", "polite");
  $("#details").after(result);

  const showFile = () => {
    $("#edit-file").textContent = `${state.file}${unsaved ? " (unsaved changes)" : ""}`;
  };
  const fail = (message: string) => {
    $("#edit-error").textContent = message;
  };
  showFile();

  async function call(path: string, body?: unknown): Promise<Record<string, unknown>> {
    // The page's own query (its token, beyond loopback) goes along with every call.
    const url = new URL(path, location.href);
    for (const [k, v] of new URLSearchParams(location.search)) url.searchParams.set(k, v);
    const r = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await r.json().catch(() => ({}))) as Record<string, unknown>;
    if (!r.ok) throw new Error(`${answer.error ?? r.statusText}${answer.hint ? ` (${answer.hint})` : ""}`);
    return answer;
  }

  /** Where every node is on the page now, so the server's drawing keeps them there. */
  const pins = (extra: Record<string, { x: number; y: number }> = {}) => {
    const out: Record<string, { x: number; y: number }> = {};
    cy.nodes(":childless")
      .not(".iflabel")
      .forEach((n) => {
        out[n.id()] = { ...n.position() };
      });
    return { ...out, ...extra };
  };

  async function change(op: Op, extra: Record<string, { x: number; y: number }> = {}): Promise<boolean> {
    try {
      const answer = await call("/edit/change", { op, pins: pins(extra) });
      fail("");
      unsaved = true;
      showFile();
      page.redraw(answer.graph as Graph);
      return true;
    } catch (e) {
      fail((e as Error).message);
      return false;
    }
  }

  /** A free place for a new node: beside the selected one, else in the middle of the view. */
  function freeSpot(): { x: number; y: number } {
    const sel = page.selected();
    const at = sel ? cy.nodes().getElementById(sel) : undefined;
    const ext = cy.extent();
    let p =
      at && !at.empty()
        ? { x: at.position().x + NODE_GAP, y: at.position().y }
        : { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    const taken = cy
      .nodes(":childless")
      .not(".iflabel")
      .map((n) => (n as cytoscape.NodeSingular).position());
    for (let i = 0; i < 200 && taken.some((q) => Math.abs(q.x - p.x) < NODE_GAP - 20 && Math.abs(q.y - p.y) < 80); i++)
      p = { x: p.x + NODE_GAP, y: p.y };
    return p;
  }

  const realNodes = () => page.graph().nodes.filter((n) => !n.pseudo);
  const nodeOptions = (chosen?: string) =>
    realNodes()
      .map((n) => `<option value="${esc(n.name)}"${n.name === chosen ? " selected" : ""}>${esc(n.name)}</option>`)
      .join("");
  const field = (id: string, label: string, input: string) => `<p><label for="${id}">${label}</label> ${input}</p>`;

  /** A form in the dialog: `submit` gets the form's values and says whether the dialog may close. */
  function form(
    title: string,
    body: string,
    submit: string,
    onSubmit: (v: Record<string, string>) => Promise<boolean>,
    onOpen?: () => void,
  ) {
    dialog.innerHTML = `<form method="dialog"><h2 id="edit-title">${esc(title)}</h2>${body}<p class="edit-buttons"><button type="submit" value="ok">${esc(submit)}</button> <button type="button" data-cancel>Cancel</button></p><p class="edit-form-error" role="alert"></p></form>`;
    dialog.setAttribute("aria-labelledby", "edit-title");
    const f = dialog.querySelector("form") as HTMLFormElement;
    (dialog.querySelector("[data-cancel]") as HTMLButtonElement).onclick = () => dialog.close();
    f.onsubmit = async (e) => {
      e.preventDefault();
      const values = Object.fromEntries(new FormData(f).entries()) as Record<string, string>;
      if (await onSubmit(values)) dialog.close();
      else (dialog.querySelector(".edit-form-error") as HTMLElement).textContent = $("#edit-error").textContent;
    };
    dialog.showModal();
    onOpen?.();
    (f.querySelector("input, select") as HTMLElement | null)?.focus();
  }

  const imageFor = (kind: string) =>
    page.graph().nodes.find((n) => n.kind === kind && n.image)?.image ??
    state.kinds.find((k) => k.kind === kind)?.image ??
    "";

  function addNode() {
    const names = new Set(realNodes().map((n) => n.name));
    let i = names.size + 1;
    while (names.has(`node${i}`)) i++;
    const used = realNodes().map((n) => n.kind);
    const kind = used[used.length - 1] ?? "linux";
    form(
      "Add node",
      field("edit-name", "Name", `<input id="edit-name" name="name" required value="node${i}" autocomplete="off">`) +
        field(
          "edit-kind",
          "Kind",
          `<select id="edit-kind" name="kind">${state.kinds
            .map((k) => `<option${k.kind === kind ? " selected" : ""}>${esc(k.kind)}</option>`)
            .join("")}</select>`,
        ) +
        field(
          "edit-image",
          "Image",
          `<input id="edit-image" name="image" value="${esc(imageFor(kind))}" autocomplete="off">`,
        ),
      "Add",
      (v) => {
        const at = freeSpot();
        return change(
          { op: "add-node", name: v.name ?? "", kind: v.kind ?? "", ...(v.image ? { image: v.image } : {}) },
          { [v.name ?? ""]: at },
        );
      },
      () => {
        const kindSel = $<HTMLSelectElement>("#edit-kind");
        kindSel.onchange = () => {
          $<HTMLInputElement>("#edit-image").value = imageFor(kindSel.value);
        };
      },
    );
  }

  function addLink() {
    const nodes = realNodes();
    const from = page.selected() ?? nodes[0]?.name;
    const to = nodes.find((n) => n.name !== from)?.name;
    form(
      "Add link",
      field("edit-a", "From node", `<select id="edit-a" name="a">${nodeOptions(from)}</select>`) +
        field("edit-ai", "From interface", `<input id="edit-ai" name="ai" required autocomplete="off">`) +
        field("edit-b", "To node", `<select id="edit-b" name="b">${nodeOptions(to)}</select>`) +
        field("edit-bi", "To interface", `<input id="edit-bi" name="bi" required autocomplete="off">`),
      "Add",
      (v) => change({ op: "add-link", a: { node: v.a, iface: v.ai }, b: { node: v.b, iface: v.bi } }),
      () => {
        // Each end's interface as the node's kind names its next free one.
        const propose = (sel: string, input: string) => {
          const node = $<HTMLSelectElement>(sel).value;
          if (!node) return;
          call(`/edit/propose?node=${encodeURIComponent(node)}`)
            .then((a) => {
              $<HTMLInputElement>(input).value = String(a.iface ?? "");
            })
            .catch((e) => fail((e as Error).message));
        };
        for (const [sel, input] of [
          ["#edit-a", "#edit-ai"],
          ["#edit-b", "#edit-bi"],
        ] as const) {
          $<HTMLSelectElement>(sel).onchange = () => propose(sel, input);
          propose(sel, input);
        }
      },
    );
  }

  function rename() {
    form(
      "Rename",
      field("edit-from", "Node", `<select id="edit-from" name="from">${nodeOptions(page.selected())}</select>`) +
        field("edit-to", "New name", `<input id="edit-to" name="to" required autocomplete="off">`),
      "Rename",
      (v) => change({ op: "rename-node", from: v.from, to: v.to }),
    );
  }

  function remove() {
    const g = page.graph();
    const chosen = selectedLink ? `link:${selectedLink}` : page.selected() ? `node:${page.selected()}` : "";
    const options = [
      ...realNodes().map((n) => [`node:${n.name}`, `node ${n.name}`]),
      ...g.links.map((l) => [`link:${l.id}`, `link ${l.a.node}:${l.a.iface} — ${l.b.node}:${l.b.iface}`]),
    ]
      .map(
        ([v, t]) =>
          `<option value="${esc(v as string)}"${v === chosen ? " selected" : ""}>${esc(t as string)}</option>`,
      )
      .join("");
    form(
      "Delete",
      field("edit-what", "What", `<select id="edit-what" name="what">${options}</select>`),
      "Delete",
      (v) => {
        const [kind, id] = [v.what?.slice(0, 5), v.what?.slice(5) ?? ""];
        if (kind === "node:") return change({ op: "delete-node", name: id });
        const l = g.links.find((x) => x.id === id);
        if (!l) return Promise.resolve(false);
        return change({
          op: "delete-link",
          a: { node: l.a.node, iface: l.a.iface },
          ...(g.nodes.find((n) => n.id === l.b.node && !n.pseudo) ? { b: { node: l.b.node, iface: l.b.iface } } : {}),
        });
      },
    );
  }

  async function save() {
    try {
      const a = await call("/edit/save", {});
      fail("");
      unsaved = false;
      showFile();
      result.textContent = `saved ${a.file}${a.backup ? ` (the file as it was: ${a.backup})` : ""}`;
    } catch (e) {
      fail((e as Error).message);
    }
  }

  async function apply() {
    let plan: Record<string, unknown>;
    try {
      result.textContent = "planning…";
      plan = await call("/edit/plan", {});
      unsaved = false;
      showFile();
      fail("");
      result.textContent = "";
    } catch (e) {
      result.textContent = "";
      return fail((e as Error).message);
    }
    form("Apply", `<pre id="edit-plan">${esc(String(plan.text ?? ""))}</pre>`, "Apply these changes", async () => {
      result.textContent = "applying…";
      try {
        const a = await call("/edit/apply", {});
        result.textContent = String(a.text ?? "");
        fail("");
        return true;
      } catch (e) {
        result.textContent = "";
        fail((e as Error).message);
        return false;
      }
    });
  }

  const actions: Record<string, () => void> = {
    "Add node": addNode,
    "Add link": addLink,
    Rename: rename,
    Delete: remove,
    Save: () => void save(),
    Apply: () => void apply(),
  };
  bar.addEventListener("click", (e) => {
    const name = (e.target as HTMLElement).closest("button")?.dataset.action;
    if (name) actions[name]?.();
  });

  cy.on("tap", "edge", (e) => {
    selectedLink = e.target.id();
  });
  cy.on("tap", "node", () => {
    selectedLink = undefined;
  });
  // A node dropped where the user wants it, or nudged with the arrow keys: its graph-posX/Y.
  const move = (name: string) => {
    const n = cy.getElementById(name);
    if (n.empty() || n.hasClass("pseudo") || n.hasClass("group") || n.hasClass("iflabel")) return;
    void change({ op: "move-node", name, x: n.position().x, y: n.position().y });
  };
  cy.on("dragfree", "node", (e) => move(e.target.id()));
  let nudged: ReturnType<typeof setTimeout> | undefined;
  document.addEventListener("keydown", (e) => {
    const sel = page.selected();
    const arrows: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const d = arrows[e.key];
    if (!d || !sel || dialog.open || (e.target as HTMLElement).closest("input, select, textarea, button, a")) return;
    const n = cy.getElementById(sel);
    if (n.empty()) return;
    e.preventDefault();
    const step = e.shiftKey ? STEP * 5 : STEP;
    n.position({ x: n.position().x + d[0] * step, y: n.position().y + d[1] * step });
    clearTimeout(nudged);
    nudged = setTimeout(() => move(sel), 400);
  });
}
