import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import * as v from "valibot";
import { LineCounter, parseDocument } from "yaml";
import { LabError } from "../errors.ts";
import { type Diagnostic, issuesToDiagnostics, SourceMap, topologyError } from "./diagnostics.ts";
import { expandEnv } from "./envsubst.ts";
import { BriefLinkSchema, type RawLink, type RawTopology, TopologySchema, TypedLinkSchema } from "./schema.ts";
import { renderTemplate, TemplateError } from "./template.ts";

export interface TopologySource {
  /** Absolute path of the file, or "<stdin>". */
  path: string;
  /** The directory relative paths (binds, licenses, env-files) resolve against. */
  dir: string;
  text: string;
  /** Variables for the template actions in `text`, and where they came from. */
  vars?: { data: unknown; file: string };
}

export interface LoadedTopology {
  source: TopologySource;
  raw: RawTopology;
  links: RawLink[];
  map: SourceMap;
  /** Schema problems found; the keys they name were left out of `raw` so resolution can go on. */
  diagnostics: Diagnostic[];
}

/** Deletes the value at `path` so the rest of the file can still be checked. */
function prune(data: unknown, path: (string | number)[]): void {
  let node = data as Record<string | number, unknown> | undefined;
  for (const seg of path.slice(0, -1)) {
    node = node?.[seg] as Record<string | number, unknown> | undefined;
    if (node === null || typeof node !== "object") return;
  }
  const last = path.at(-1);
  if (node && last !== undefined) delete node[last];
}

const TOPOLOGY_FILE = /\.clab\.(ya?ml|gotmpl)$/;

/**
 * Template variables: `--vars FILE`, else `<topology minus its extension>_vars.{yaml,yml,json}` beside
 * the topology, as Containerlab looks for them.
 */
async function readVars(path: string | undefined, explicit: string | undefined, cwd: string) {
  const candidates = explicit
    ? [resolve(cwd, explicit)]
    : path
      ? ["yaml", "yml", "json"].map((ext) => `${path.replace(/\.[^./]+$/, "")}_vars.${ext}`)
      : [];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (explicit) throw new LabError("usage", `vars file ${file} cannot be read: ${(error as Error).message}`);
      continue;
    }
    const doc = parseDocument(text);
    if (doc.errors.length)
      throw new LabError("input", `${basename(file)}: invalid YAML: ${doc.errors[0]?.message.split("\n")[0]}`);
    return { data: doc.toJS() as unknown, file };
  }
  return undefined;
}

/** `-t FILE`, `-t -` (stdin), or the single `*.clab.y*ml` / `*.clab.gotmpl` in `cwd`. */
export async function readTopologySource(
  file: string | undefined,
  cwd: string,
  readStdin: () => Promise<string>,
  varsFile?: string,
): Promise<TopologySource> {
  const source = await readTopologyText(file, cwd, readStdin);
  const vars = await readVars(source.path === "<stdin>" ? undefined : source.path, varsFile, cwd);
  return vars ? { ...source, vars } : source;
}

async function readTopologyText(
  file: string | undefined,
  cwd: string,
  readStdin: () => Promise<string>,
): Promise<TopologySource> {
  if (file === "-" || file === "stdin") return { path: "<stdin>", dir: cwd, text: await readStdin() };
  let path: string;
  if (file) {
    path = resolve(cwd, file);
  } else {
    const found = (await readdir(cwd)).filter((f) => TOPOLOGY_FILE.test(f)).sort();
    if (found.length === 0) {
      throw new LabError("usage", `no *.clab.yml topology file in ${cwd}`, { hint: "Pass one with -t FILE" });
    }
    if (found.length > 1) {
      throw new LabError("usage", `more than one topology file in ${cwd}: ${found.join(", ")}`, {
        hint: "Pick one with -t FILE",
      });
    }
    path = resolve(cwd, found[0] as string);
  }
  try {
    return { path, dir: dirname(path), text: await readFile(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new LabError("usage", `topology file ${path} does not exist`, { hint: "Check -t" });
    if (code === "EISDIR") return readTopologyText(undefined, path, readStdin);
    throw new LabError("input", `cannot read topology file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Containerlab renders every topology as a Go template before anything else; files without `{{` are
 * left as they are. Later positions refer to the rendered text.
 */
function render(source: TopologySource, file: string): string {
  if (!source.text.includes("{{")) return source.text;
  try {
    return renderTemplate(source.text, source.vars?.data ?? {});
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new LabError("input", `${file}:${error.line}: template: ${error.message}`, {
      hint: source.vars
        ? `variables from ${basename(source.vars.file)}`
        : "No vars file was found: pass --vars FILE or put <topology>_vars.yaml beside it",
    });
  }
}

/**
 * Renders templates, expands the environment, parses the YAML and validates it strictly. Schema problems are collected
 * (not thrown) so that resolution can report its own problems in the same run.
 */
export function parseTopology(source: TopologySource, env: Record<string, string | undefined>): LoadedTopology {
  const file = source.path === "<stdin>" ? "<stdin>" : basename(source.path);
  const lines = new LineCounter();
  const doc = parseDocument(expandEnv(render(source, file), env), {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const map = new SourceMap(file, doc, lines);
  if (doc.errors.length) {
    throw topologyError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, col: pos.col, path: [], message: `invalid YAML: ${e.message.split("\n")[0]}` };
      }),
    );
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw topologyError([
      { file, line: 1, col: 1, path: [], message: "a topology must be a mapping with name and topology" },
    ]);
  }
  const diagnostics: Diagnostic[] = [];
  let parsed = v.safeParse(TopologySchema, data, { abortEarly: false });
  if (!parsed.success) {
    diagnostics.push(...issuesToDiagnostics(parsed.issues, TopologySchema, map));
    for (const issue of parsed.issues)
      prune(
        data,
        (issue.path ?? []).map((p) => p.key as string | number),
      );
    parsed = v.safeParse(TopologySchema, data, { abortEarly: false });
    if (!parsed.success) throw topologyError(diagnostics);
  }
  const links: RawLink[] = [];
  const rawLinks = parsed.output.topology.links;
  if (Array.isArray(rawLinks)) {
    rawLinks.forEach((link, i) => {
      const typed = link !== null && typeof link === "object" && "type" in link;
      const schema = typed ? TypedLinkSchema : BriefLinkSchema;
      const result = v.safeParse(schema, link, { abortEarly: false });
      if (result.success) links.push(result.output as RawLink);
      else diagnostics.push(...issuesToDiagnostics(result.issues, schema, map, ["topology", "links", i]));
    });
  }
  return { source, raw: parsed.output, links, map, diagnostics };
}
