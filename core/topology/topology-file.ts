import { readdir } from "node:fs/promises";

/** The names lab (like Containerlab) picks up as a topology when no -t is given. */
export const TOPOLOGY_FILE = /\.clab\.(ya?ml|gotmpl)$/;

/** Whether `dir` holds a topology file lab would pick up without -t. */
export const hasTopologyFile = async (dir: string) => (await readdir(dir)).some((f) => TOPOLOGY_FILE.test(f));
