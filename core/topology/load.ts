import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import * as v from "valibot";
import { isScalar, LineCounter, parseDocument } from "yaml";
import { LabError } from "../errors.ts";
import { TemplateError, TemplateSet } from "../gotemplate/index.ts";
import { type Diagnostic, issuesToDiagnostics, SourceMap, topologyError } from "./diagnostics.ts";
import { expandEnv } from "./envsubst.ts";
import { goYamlOptions, parseGoYaml } from "./go-yaml.ts";
import { fetchTopology, type RemoteTopologyDeps } from "./remote-topology.ts";
import { BriefLinkSchema, type RawLink, type RawTopology, TopologySchema, TypedLinkSchema } from "./schema.ts";
import { TOPOLOGY_FILE } from "./topology-file.ts";

export interface TopologySource {
  /** Absolute path of the file, or "<stdin>". */
  path: string;
  /** The directory relative paths (binds, licenses, env-files) resolve against. */
  dir: string;
  /** Where this command fetched it from (a URL, a repository), when it did. */
  remote?: string;
  text: string;
  /** Template variables, merged from their files in order, and the files. */
  vars?: { data: unknown; files: string[] };
  /** Sub-templates from clab_templates/*.gotmpl beside the topology. */
  templates: { file: string; text: string }[];
}

export interface LoadedTopology {
  source: TopologySource;
  raw: RawTopology;
  links: RawLink[];
  map: SourceMap;
  /** Schema problems found; the keys they name were left out of `raw` so resolution can go on. */
  diagnostics: Diagnostic[];
  /** The topology after templating and environment expansion, as the YAML parser saw it. */
  rendered: string;
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

const VARS_EXT = [".yaml", ".yml", ".json"];

/** Maps merge key by key, nested maps too; anything else from a later file replaces. */
export function mergeVars(dst: unknown, src: unknown): unknown {
  const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);
  if (!isMap(dst) || !isMap(src)) return src;
  for (const [k, val] of Object.entries(src)) dst[k] = Object.hasOwn(dst, k) ? mergeVars(dst[k], val) : val;
  return dst;
}

/**
 * Template variables: the `--vars` files in the order given, else every
 * `<topology minus its extension>_vars.*.{yaml,yml,json}` beside it in name order, as Containerlab
 * finds them. Later files win key by key.
 */
async function readVars(path: string | undefined, explicit: string[], cwd: string) {
  let files = explicit.map((f) => resolve(cwd, f));
  if (!files.length && path) {
    const stem = basename(path).replace(/\.[^.]+$/, "");
    const names = await readdir(dirname(path)).catch(() => [] as string[]);
    files = names
      .filter((n) => n.startsWith(`${stem}_vars.`) && VARS_EXT.some((e) => n.endsWith(e)))
      .sort()
      .map((n) => join(dirname(path), n));
  }
  if (!files.length) return undefined;
  let data: unknown = {};
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new LabError("usage", `vars file ${file} cannot be read: ${(error as Error).message}`, {
        hint: "Check --vars",
      });
    }
    const parsed = parseGoYaml(text);
    if (parsed.error) throw new LabError("input", `${basename(file)}: invalid YAML: ${parsed.error}`);
    const value = parsed.value ?? {};
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new LabError("input", `${basename(file)}: template variables must be a mapping of names to values`);
    data = mergeVars(data, value);
  }
  return { data, files };
}

/** clab_templates/*.gotmpl beside the topology, in name order (Containerlab's sub-templates). */
async function readSubTemplates(dir: string) {
  const folder = join(dir, "clab_templates");
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".gotmpl")).sort();
  return Promise.all(
    names.map(async (n) => ({ file: join(folder, n), text: await readFile(join(folder, n), "utf8") })),
  );
}

export interface SourceOptions {
  /** `--vars` files (repeatable), in order. */
  varsFiles?: string[];
  /** Picks one of several topology files in a directory (a prompt on a terminal). */
  choose?: (files: string[]) => Promise<string>;
  /** How `-t URL` and `-t` repository references are fetched. */
  remote?: RemoteTopologyDeps;
}

/** `-t FILE`, `-t DIR`, `-t -` (stdin), or the single `*.clab.y*ml` / `*.clab.gotmpl` in `cwd`. */
export async function readTopologySource(
  file: string | undefined,
  cwd: string,
  readStdin: () => Promise<string>,
  options: SourceOptions = {},
): Promise<TopologySource> {
  // A -t that is no local file may name a repository or a URL (Containerlab checks in that order).
  const local = file && file !== "-" && file !== "stdin" && !existsSync(resolve(cwd, file));
  const fetched = local && options.remote ? await fetchTopology(file, cwd, options.remote) : undefined;
  const source = await readTopologyText(fetched ?? file, cwd, readStdin, options.choose);
  const stdin = source.path === "<stdin>";
  const vars = await readVars(stdin ? undefined : source.path, options.varsFiles ?? [], cwd);
  const templates = await readSubTemplates(source.dir);
  return { ...source, ...(fetched ? { remote: file } : {}), ...(vars ? { vars } : {}), templates };
}

async function readTopologyText(
  file: string | undefined,
  cwd: string,
  readStdin: () => Promise<string>,
  choose?: (files: string[]) => Promise<string>,
): Promise<Omit<TopologySource, "templates">> {
  if (file === "-" || file === "stdin") return { path: "<stdin>", dir: cwd, text: await readStdin() };
  let path: string;
  if (file) {
    path = resolve(cwd, file);
  } else {
    const found = (await readdir(cwd)).filter((f) => TOPOLOGY_FILE.test(f)).sort();
    if (found.length === 0) {
      // Containerlab's words (cmd/root.go, as its CLI prints errors), which scripts and its tests read.
      throw new LabError("usage", "No topology files matching the pattern *.clab.yml or *.clab.yaml found.", {
        hint: `Pass one with -t FILE (none in ${cwd})`,
      });
    }
    if (found.length > 1) {
      if (!choose)
        throw new LabError("usage", `more than one topology file in ${cwd}: ${found.join(", ")}`, {
          hint: "Pick one with -t FILE",
        });
      path = resolve(cwd, await choose(found));
    } else path = resolve(cwd, found[0] as string);
  }
  try {
    return { path, dir: dirname(path), text: await readFile(path, "utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new LabError("usage", `topology file ${path} does not exist`, { hint: "Check -t" });
    if (code === "EISDIR") return readTopologyText(undefined, path, readStdin, choose);
    throw new LabError("input", `cannot read topology file ${path}: ${(error as Error).message}`);
  }
}

/**
 * Containerlab renders every topology as a Go template (with clab_templates/*.gotmpl parsed beside
 * it) before anything else. Positions after this refer to the rendered text.
 */
function render(source: TopologySource, file: string): string {
  if (!source.text.includes("{{")) return source.text;
  const rel = (path: string) => (source.path === "<stdin>" ? path : relative(source.dir, path) || path);
  try {
    const set = new TemplateSet().parse(file, source.text, file);
    for (const t of source.templates) set.parse(basename(t.file), t.text, rel(t.file));
    return set.execute(file, source.vars?.data);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new LabError("input", `${error.file}:${error.line}: template: ${error.message}`, {
      hint: source.vars
        ? `variables from ${source.vars.files.map((f) => basename(f)).join(", ")}`
        : "No vars file was found: pass --vars FILE or put <topology>_vars.yaml beside it",
    });
  }
}

/** Renders and expands the environment: the text the YAML parser reads (`--export-rendered`). */
export function renderTopology(source: TopologySource, env: Record<string, string | undefined>): string {
  const file = source.path === "<stdin>" ? "<stdin>" : basename(source.path);
  return expandEnv(render(source, file), env);
}

/**
 * Go's yaml puts any scalar into a string field as written (`type: 5132` is "5132", `1.0` stays
 * "1.0", null is ""). Where the schema wants a string and the file has another scalar, take its text.
 */
function stringsAsWritten(data: unknown, issues: readonly v.BaseIssue<unknown>[], map: SourceMap): boolean {
  let fixed = false;
  for (const issue of issues) {
    if (issue.type !== "string" || !issue.path) continue;
    const path = issue.path.map((p) => p.key as string | number);
    const node = map.node(path);
    if (!isScalar(node) || typeof node.value === "string") continue;
    let parent = data as Record<string | number, unknown>;
    for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
    parent[path.at(-1) as string | number] = node.value === null ? "" : (node.source ?? String(node.value));
    fixed = true;
  }
  return fixed;
}

/**
 * Renders templates, expands the environment, parses the YAML and validates it strictly. Schema problems are collected
 * (not thrown) so that resolution can report its own problems in the same run.
 */
export function parseTopology(
  source: TopologySource,
  env: Record<string, string | undefined>,
  rendered = renderTopology(source, env),
): LoadedTopology {
  const file = source.path === "<stdin>" ? "<stdin>" : basename(source.path);
  const lines = new LineCounter();
  const doc = parseDocument(rendered, {
    ...goYamlOptions,
    lineCounter: lines,
    uniqueKeys: false,
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
  // Keys are names: a node called `no` or `1` is a string, as Go's yaml reads it.
  const dupes = map.keysAsWritten();
  if (dupes.length) {
    throw topologyError(
      dupes.map(({ key, offset }) => {
        const pos = lines.linePos(offset);
        return {
          file,
          line: pos.line,
          col: pos.col,
          path: [],
          message: `invalid YAML: Map keys must be unique ("${key}" is there twice)`,
        };
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
  if (!parsed.success && stringsAsWritten(data, parsed.issues, map))
    parsed = v.safeParse(TopologySchema, data, { abortEarly: false });
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
      const at = ["topology", "links", i];
      let result = v.safeParse(schema, link, { abortEarly: false });
      if (
        !result.success &&
        stringsAsWritten(
          { topology: { links: rawLinks } },
          result.issues.map((x) => ({ ...x, path: [...at.map((key) => ({ key })), ...(x.path ?? [])] }) as never),
          map,
        )
      )
        result = v.safeParse(schema, link, { abortEarly: false });
      if (result.success) links.push(result.output as RawLink);
      else diagnostics.push(...issuesToDiagnostics(result.issues, schema, map, at));
    });
  }
  return { source, raw: parsed.output, links, map, diagnostics, rendered };
}
