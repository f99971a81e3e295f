import { constants } from "node:fs";
import { open, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type Document, parseDocument } from "yaml";
import { LabError } from "../../errors.ts";
import { labFromText, type ResolveContext } from "../../topology/index.ts";
import type { LabModel } from "../../topology/model.ts";
import { nextInterface, usedInterfaces } from "./interfaces.ts";
import { applyOp, type EditOp, newTopology, renderDocument } from "./ops.ts";

// One editing session of a topology file (`lab graph --edit`): the YAML document in memory, each
// change applied to a copy and checked as `lab validate` would check the file (a change that would
// make it invalid is refused and leaves the document as it was), and Save writing it back, the
// file as it was kept beside it as FILE.bak.

export class EditSession {
  private constructor(
    /** The file written on save (a symlink's target: the user edits what the link points at). */
    readonly file: string,
    private readonly ctx: ResolveContext,
    private doc: Document,
    /** The text on disk (none: a new file), to keep its ending and to back it up. */
    private onDisk: string | undefined,
    private current: LabModel,
  ) {}

  private dirty = false;

  static async open(file: string, ctx: ResolveContext): Promise<EditSession> {
    const path = await realpath(file).catch(() => file);
    const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw new LabError("input", `cannot read ${file}: ${e.message}`);
    });
    if (text !== undefined && (/\.gotmpl$/.test(path) || text.includes("{{")))
      throw new LabError("usage", `${file} is a template: the editor would write over its template actions`, {
        hint: "Edit the template by hand, or edit its rendered form (lab up --export-rendered FILE)",
      });
    const doc = text === undefined ? newTopology(labNameOf(path)) : parseDocument(text);
    const lab = labFromText(path, renderDocument(doc, text), ctx);
    return new EditSession(path, ctx, doc, text, lab);
  }

  get lab(): LabModel {
    return this.current;
  }

  get unsaved(): boolean {
    return this.dirty || this.onDisk === undefined;
  }

  /** One change; refused (with the validator's words) when the file would no longer be valid. */
  apply(op: EditOp): LabModel {
    const next = this.doc.clone();
    applyOp(next, op);
    const lab = labFromText(this.file, renderDocument(next, this.onDisk), this.ctx);
    this.doc = next;
    this.current = lab;
    this.dirty = true;
    return lab;
  }

  /** The interface a new link end on `node` would take. */
  propose(node: string): string {
    const n = this.current.nodes.find((x) => x.name === node);
    if (!n) throw new LabError("not-found", `node ${node} is not in the topology`);
    return nextInterface(n.kind.name, usedInterfaces(this.current).get(node) ?? []);
  }

  /** Writes the file (via a temporary file and a rename) after copying what was there to FILE.bak. */
  async save(): Promise<{ file: string; backup?: string }> {
    const text = renderDocument(this.doc, this.onDisk);
    const backup = this.onDisk === undefined ? undefined : `${this.file}.bak`;
    const mode = (await stat(this.file).catch(() => undefined))?.mode ?? 0o644;
    if (backup) await writeNoFollow(backup, this.onDisk as string, mode & 0o777);
    const tmp = join(dirname(this.file), `.${basename(this.file)}.${process.pid}.tmp`);
    try {
      await writeNoFollow(tmp, text, mode & 0o777, true);
      await rename(tmp, this.file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw new LabError("input", `cannot write ${this.file}: ${(error as Error).message}`);
    }
    this.onDisk = text;
    this.dirty = false;
    return { file: this.file, ...(backup ? { backup } : {}) };
  }
}

/** lab name from a new file's name: new.clab.yml → new (Containerlab names a lab in the file). */
function labNameOf(path: string): string {
  return basename(path).replace(/\.clab\.ya?ml$|\.ya?ml$/, "") || "lab";
}

/** A file written without following a symlink at its path (a planted link cannot redirect it). */
async function writeNoFollow(path: string, text: string, mode: number, exclusive = false): Promise<void> {
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (exclusive ? constants.O_EXCL : constants.O_TRUNC);
  const handle = await open(path, flags, mode);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
