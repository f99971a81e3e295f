import { type Document, isMap, isScalar, isSeq, parseDocument, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { LabError } from "../../errors.ts";

// The graph editor's changes to a topology file, made on its YAML document (the `yaml` package's
// Document API) so that comments, key order and formatting the user wrote stay as they were. Each
// change is a small function over the document, looked up by name: no change touches anything
// but the keys it is about.

export interface End {
  node: string;
  iface: string;
}

export type EditOp =
  | { op: "add-node"; name: string; kind: string; image?: string }
  | { op: "add-link"; a: End; b: End }
  | { op: "delete-node"; name: string }
  | { op: "delete-link"; a: End; b?: End }
  | { op: "rename-node"; from: string; to: string }
  | { op: "move-node"; name: string; x: number; y: number };

/** A new topology: what `lab graph --edit -t new.clab.yml` starts from when the file is not there. */
export function newTopology(name: string): Document {
  const doc = parseDocument(
    `name: ${/^[\w.-]+$/.test(name) ? name : JSON.stringify(name)}\n\ntopology:\n  nodes: {}\n  links: []\n`,
  );
  return doc;
}

/**
 * The document as text, no line folding. The `yaml` package prints every flow collection with one
 * spacing; a line that only differs from one of the file's own in spacing (inside brackets, at its
 * end) is put back as the user wrote it, so untouched lines stay byte for byte. The file's own
 * ending is kept (a file without a final newline stays so).
 */
export function renderDocument(doc: Document, original?: string): string {
  const tight = (line: string) =>
    line
      .replace(/([[{])[ \t]+/g, "$1")
      .replace(/[ \t]+([\]}])/g, "$1")
      .trimEnd();
  const theirs = new Map<string, string[]>();
  for (const line of original?.split("\n") ?? []) theirs.set(tight(line), [...(theirs.get(tight(line)) ?? []), line]);
  const lines = doc
    .toString({ flowCollectionPadding: false, lineWidth: 0 })
    .split("\n")
    .map((line) => theirs.get(tight(line))?.shift() ?? line);
  const text = lines.join("\n");
  return original !== undefined && !original.endsWith("\n") ? text.replace(/\n$/, "") : text;
}

/** Applies one change to the document in place; a change that names what is not there is refused. */
export function applyOp(doc: Document, op: EditOp): void {
  (CHANGES[op.op] as (doc: Document, op: EditOp) => void)(doc, op);
}

const CHANGES: { [K in EditOp["op"]]: (doc: Document, op: Extract<EditOp, { op: K }>) => void } = {
  "add-node": (doc, op) => {
    const nodes = section<YAMLMap>(doc, "nodes");
    if (nodes.has(op.name)) throw new LabError("conflict", `node ${op.name} is already in the topology`);
    const node: Record<string, string> = { kind: op.kind };
    if (op.image) node.image = op.image;
    nodes.set(doc.createNode(op.name), doc.createNode(node));
  },
  "add-link": (doc, op) => {
    for (const end of [op.a, op.b]) nodePair(doc, end.node);
    const links = section<YAMLSeq>(doc, "links");
    const endpoints = doc.createNode([`${op.a.node}:${op.a.iface}`, `${op.b.node}:${op.b.iface}`]) as YAMLSeq;
    endpoints.flow = true;
    for (const item of endpoints.items) (item as Scalar).type = "QUOTE_DOUBLE";
    const link = doc.createNode({}) as YAMLMap;
    link.set("endpoints", endpoints);
    links.add(link);
  },
  "delete-node": (doc, op) => {
    nodePair(doc, op.name);
    (doc.getIn(["topology", "nodes"]) as YAMLMap).delete(op.name);
    removeLinks(doc, (ends) => ends.some((e) => e.node === op.name));
  },
  "delete-link": (doc, op) => {
    const same = (x: End, y: End) => x.node === y.node && x.iface === y.iface;
    const removed = removeLinks(doc, (ends) =>
      op.b
        ? ends.length === 2 && ends.some((e) => same(e, op.a)) && ends.some((e) => same(e, op.b as End))
        : ends.some((e) => same(e, op.a)),
    );
    if (!removed)
      throw new LabError(
        "not-found",
        `no link at ${op.a.node}:${op.a.iface}${op.b ? ` to ${op.b.node}:${op.b.iface}` : ""}`,
      );
  },
  "rename-node": (doc, op) => {
    const pair = nodePair(doc, op.from);
    if ((doc.getIn(["topology", "nodes"]) as YAMLMap).has(op.to))
      throw new LabError("conflict", `node ${op.to} is already in the topology`);
    // The key's scalar keeps its comments and style; only its text changes.
    if (isScalar(pair.key)) pair.key.value = op.to;
    else pair.key = doc.createNode(op.to);
    for (const link of linkItems(doc)) for (const end of endsOf(link)) if (end.node === op.from) end.setNode(op.to);
  },
  "move-node": (doc, op) => {
    const pair = nodePair(doc, op.name);
    if (!isMap(pair.value)) pair.value = doc.createNode({});
    const node = pair.value as YAMLMap;
    if (!isMap(node.get("labels", true))) node.set("labels", doc.createNode({}));
    const labels = node.get("labels", true) as unknown as YAMLMap;
    // Containerlab's TopoViewer keeps a node's place in these labels, as strings.
    labels.set("graph-posX", String(Math.round(op.x)));
    labels.set("graph-posY", String(Math.round(op.y)));
  },
};

/** topology.nodes or topology.links, made when the file has none (or an empty one). */
function section<T extends YAMLMap | YAMLSeq>(doc: Document, key: "nodes" | "links"): T {
  if (!isMap(doc.get("topology", true))) doc.set("topology", doc.createNode({}));
  const topology = doc.get("topology", true) as YAMLMap;
  const at = topology.get(key, true);
  if ((key === "nodes" && isMap(at)) || (key === "links" && isSeq(at))) {
    // An empty `{}` or `[]` that gets its first entry becomes a block, as the rest of the file.
    if ((at as YAMLMap | YAMLSeq).items.length === 0) (at as YAMLMap | YAMLSeq).flow = false;
    return at as unknown as T;
  }
  const made = doc.createNode(key === "nodes" ? {} : []) as T;
  topology.set(key, made);
  return made;
}

function nodePair(doc: Document, name: string) {
  const nodes = doc.getIn(["topology", "nodes"], true);
  const pair = isMap(nodes)
    ? nodes.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === name)
    : undefined;
  if (!pair) throw new LabError("not-found", `node ${name} is not in the topology`);
  return pair;
}

function linkItems(doc: Document): YAMLMap[] {
  const links = doc.getIn(["topology", "links"], true);
  return isSeq(links) ? links.items.filter((l): l is YAMLMap => isMap(l)) : [];
}

interface EndRef extends End {
  setNode(name: string): void;
}

/** A link's ends as written: "node:iface" strings or {node, interface} maps, under endpoints or endpoint. */
function endsOf(link: YAMLMap): EndRef[] {
  const fromMap = (m: YAMLMap): EndRef => ({
    node: String(m.get("node") ?? ""),
    iface: String(m.get("interface") ?? ""),
    setNode: (name) => m.set("node", name),
  });
  const fromScalar = (s: Scalar): EndRef => {
    const text = String(s.value);
    const colon = text.indexOf(":");
    const iface = colon < 0 ? "" : text.slice(colon + 1);
    return {
      node: colon < 0 ? text : text.slice(0, colon),
      iface,
      setNode: (name) => {
        s.value = `${name}:${iface}`;
      },
    };
  };
  const out: EndRef[] = [];
  const endpoints = link.get("endpoints", true);
  if (isSeq(endpoints))
    for (const e of endpoints.items) {
      if (isScalar(e)) out.push(fromScalar(e));
      else if (isMap(e)) out.push(fromMap(e));
    }
  const single = link.get("endpoint", true);
  if (isMap(single)) out.push(fromMap(single));
  return out;
}

/** Removes the links whose ends match; says whether any went. */
function removeLinks(doc: Document, match: (ends: End[]) => boolean): boolean {
  const links = doc.getIn(["topology", "links"], true);
  if (!isSeq(links)) return false;
  const before = links.items.length;
  links.items = links.items.filter((l) => !(isMap(l) && match(endsOf(l))));
  return links.items.length < before;
}
