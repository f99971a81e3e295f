import { existsSync, lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

// Where a sharing service's token comes from, one table for every provider: its environment
// variable, then a token file beside the topology (Containerlab's convention), then the user's own
// login file. A file beside the topology comes with the topology, not with the user: it is used only
// when the invoking user owns it and nobody else can read it, and never when the topology was
// fetched (a URL, a repository); otherwise one line says why it is ignored.

export interface TokenPlaces {
  /** The service, for messages: "Border0", "mysocket". */
  service: string;
  /** Environment variables, in order. */
  env: string[];
  /** The file name beside the topology (.border0_token, .mysocketio_token). */
  beside: string;
  /** The user's own login file. */
  userFile: string;
}

/** The topology a share is for: its directory, and whether it came from the network. */
export interface TopologyPlace {
  dir: string;
  /** Fetched from a URL or cloned from a repository by this command. */
  remote?: boolean;
}

export interface FoundToken {
  text: string;
  /** Where it came from, for messages: the variable or the file. */
  source: string;
  /** The file, when it came from one (to rewrite on refresh). */
  file?: string;
}

const uid = () => (typeof process.getuid === "function" ? process.getuid() : 0);

/** Why a token file beside the topology is not used, or undefined when it may be. */
export function besideProblem(file: string, topology: TopologyPlace): string | undefined {
  if (topology.remote) return "it came with a topology fetched from the network, and lab never uses a token from one";
  const st = lstatSync(file);
  if (st.isSymbolicLink()) return "it is a symlink";
  if (st.uid !== uid()) return `it belongs to user ${st.uid}, not to you (${uid()})`;
  if ((st.mode & 0o077) !== 0)
    return `others may read it (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it to use it`;
  return undefined;
}

/** The files a token may be read from, in order, with those beside the topology checked. */
export function tokenFiles(
  places: TokenPlaces,
  topology: TopologyPlace | undefined,
  warn: (message: string) => void,
): string[] {
  const out: string[] = [];
  const beside = topology ? join(topology.dir, places.beside) : undefined;
  if (beside && existsSync(beside)) {
    const problem = besideProblem(beside, topology as TopologyPlace);
    if (problem) warn(`ignoring the ${places.service} token in ${beside}: ${problem}`);
    else out.push(beside);
  }
  if (existsSync(places.userFile)) out.push(places.userFile);
  return out;
}

/** The first token found: the environment, then the checked files; undefined when there is none. */
export async function lookupToken(
  places: TokenPlaces,
  env: (name: string) => string | undefined,
  topology: TopologyPlace | undefined,
  warn: (message: string) => void,
): Promise<FoundToken | undefined> {
  for (const name of places.env) {
    const value = env(name)?.trim();
    if (value) return { text: value, source: name };
  }
  for (const file of tokenFiles(places, topology, warn)) {
    const line = (await readFile(file, "utf8")).split("\n").find((l) => l.trim());
    if (line) return { text: line.trim(), source: file, file };
  }
  return undefined;
}
