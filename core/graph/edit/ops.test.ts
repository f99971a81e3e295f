// The editor's changes on a topology a user wrote: what they change is as Containerlab's files
// write it (brief links as flow lists of "node:iface", TopoViewer's graph-posX/Y labels as strings),
// and everything else (comments, order, style) stays byte for byte.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { applyOp, newTopology, renderDocument } from "./ops.ts";
import { EditSession } from "./session.ts";

const FILE = `# my lab: two routers and a host
name: demo # the name

topology:
  kinds:
    linux:
      image: alpine:3 # pinned
  nodes:
    # the first router
    r1:
      kind: linux
    r2: { kind: linux }
    h1:
      kind: linux
  links:
    # the core link
    - endpoints: ["r1:eth1", "r2:eth1"]
    - endpoints: ["r1:eth2", "h1:eth1"]
`;

const edit = (ops: Parameters<typeof applyOp>[1][]) => {
  const doc = parseDocument(FILE);
  for (const op of ops) applyOp(doc, op);
  return renderDocument(doc, FILE);
};

describe("editor changes on the YAML document", () => {
  test("no change writes the file back byte for byte", () => {
    expect(edit([])).toBe(FILE);
  });

  test("add a node and a link: appended in Containerlab's style, the rest untouched", () => {
    const out = edit([
      { op: "add-node", name: "r3", kind: "nokia_srlinux", image: "ghcr.io/nokia/srlinux" },
      { op: "add-link", a: { node: "r3", iface: "e1-1" }, b: { node: "r2", iface: "eth2" } },
    ]);
    expect(out).toBe(
      FILE.replace(
        "      kind: linux\n  links:",
        "      kind: linux\n    r3:\n      kind: nokia_srlinux\n      image: ghcr.io/nokia/srlinux\n  links:",
      ) + '    - endpoints: ["r3:e1-1", "r2:eth2"]\n',
    );
  });

  test("rename: the key keeps its place and comment, every link end follows", () => {
    const out = edit([{ op: "rename-node", from: "r1", to: "core1" }]);
    expect(out).toContain("    # the first router\n    core1:\n      kind: linux\n");
    expect(out).toContain('- endpoints: ["core1:eth1", "r2:eth1"]');
    expect(out).toContain('- endpoints: ["core1:eth2", "h1:eth1"]');
    expect(out).not.toContain("r1");
  });

  test("delete a node takes its links; delete a link by its ends", () => {
    const out = edit([{ op: "delete-node", name: "h1" }]);
    expect(out).not.toContain("h1:");
    expect(out).toContain('- endpoints: ["r1:eth1", "r2:eth1"]');
    const link = edit([{ op: "delete-link", a: { node: "r2", iface: "eth1" }, b: { node: "r1", iface: "eth1" } }]);
    expect(link).not.toContain('"r2:eth1"');
    expect(link).toContain("# my lab");
  });

  test("move: graph-posX/Y labels as strings, in block or flow style as the node is written", () => {
    const out = edit([
      { op: "move-node", name: "r1", x: 120.4, y: 80 },
      { op: "move-node", name: "r2", x: 300, y: 80.6 },
    ]);
    expect(out).toContain(
      '    r1:\n      kind: linux\n      labels:\n        graph-posX: "120"\n        graph-posY: "80"\n',
    );
    expect(out).toContain('    r2: {kind: linux, labels: {graph-posX: "300", graph-posY: "81"}}\n');
  });

  test("refused: what is not there, or is there already", () => {
    expect(() => edit([{ op: "rename-node", from: "nope", to: "x" }])).toThrow("node nope is not in the topology");
    expect(() => edit([{ op: "add-node", name: "r2", kind: "linux" }])).toThrow("node r2 is already in the topology");
    expect(() => edit([{ op: "delete-link", a: { node: "r1", iface: "eth9" } }])).toThrow("no link at r1:eth9");
  });

  test("a new file starts with its name and empty nodes and links", () => {
    const doc = newTopology("new");
    applyOp(doc, { op: "add-node", name: "a", kind: "linux", image: "alpine:3" });
    expect(renderDocument(doc)).toBe(
      "name: new\n\ntopology:\n  nodes:\n    a:\n      kind: linux\n      image: alpine:3\n  links: []\n",
    );
  });
});

describe("an editing session on a file", () => {
  const env = { HOME: "/root" };
  test("a change that would make the file invalid is refused, and the document stays as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-edit-"));
    try {
      const file = join(dir, "demo.clab.yml");
      writeFileSync(file, FILE);
      const s = await EditSession.open(file, { env });
      expect(() =>
        s.apply({ op: "add-link", a: { node: "r1", iface: "eth1" }, b: { node: "h1", iface: "eth2" } }),
      ).toThrow(/eth1/);
      expect(() => s.apply({ op: "add-node", name: "bad name", kind: "linux" })).toThrow();
      expect(s.unsaved).toBe(false);
      s.apply({ op: "add-node", name: "r3", kind: "linux" });
      expect(s.propose("r1")).toBe("eth3");
      expect(s.propose("r3")).toBe("eth1");
      const saved = await s.save();
      expect(saved.backup).toBe(`${file}.bak`);
      expect(readFileSync(`${file}.bak`, "utf8")).toBe(FILE);
      expect(readFileSync(file, "utf8")).toContain("    r3:\n      kind: linux\n");
      expect(readFileSync(file, "utf8")).toContain("# the core link");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a backup path planted as a symlink is not followed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-edit-"));
    try {
      const file = join(dir, "demo.clab.yml");
      writeFileSync(file, FILE);
      writeFileSync(join(dir, "victim"), "untouched\n");
      symlinkSync(join(dir, "victim"), `${file}.bak`);
      const s = await EditSession.open(file, { env });
      s.apply({ op: "add-node", name: "r3", kind: "linux" });
      await expect(s.save()).rejects.toThrow();
      expect(readFileSync(join(dir, "victim"), "utf8")).toBe("untouched\n");
      expect(readFileSync(file, "utf8")).toBe(FILE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a templated topology is refused in one line, saying what to do instead", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-edit-"));
    try {
      const file = join(dir, "fabric.clab.gotmpl");
      writeFileSync(
        file,
        "name: t\ntopology:\n  nodes:\n{{- range $i := seq 2 }}\n    n{{ $i }}: { kind: linux }\n{{- end }}\n",
      );
      const refused = await EditSession.open(file, { env }).then(
        () => undefined,
        (e: Error & { hint?: string }) => e,
      );
      expect(refused?.message).toBe(`${file} is a template: the editor would write over its template actions`);
      expect(refused?.hint).toContain("--export-rendered");
      expect(readFileSync(file, "utf8")).toContain("{{- range");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a file that does not exist yet: an empty lab named after it, written on save", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lab-edit-"));
    try {
      const file = join(dir, "fresh.clab.yml");
      const s = await EditSession.open(file, { env });
      expect(s.lab.name).toBe("fresh");
      expect(s.lab.nodes).toEqual([]);
      s.apply({ op: "add-node", name: "a", kind: "linux", image: "alpine:3" });
      const saved = await s.save();
      expect(saved.backup).toBeUndefined();
      expect(readFileSync(file, "utf8")).toBe(
        "name: fresh\n\ntopology:\n  nodes:\n    a:\n      kind: linux\n      image: alpine:3\n  links: []\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
