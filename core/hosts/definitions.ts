import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { LabError } from "../errors.ts";

// Where a lab's other hosts are, kept outside the topology so the file stays Containerlab's:
// `--host h2=ssh://root@10.0.0.2` (repeatable) or lab-hosts.yml beside the topology.

export const LOCAL = "local";
export const HOSTS_FILE = "lab-hosts.yml";

export interface HostDef {
  name: string;
  /** ssh://user@host[:port][/engine.sock], or tcp://host:port (then `ssh` for host-side work). */
  engine: string;
  /** Where host-side commands run when the engine is tcp://. */
  ssh?: string;
  /** The address other hosts reach this one at for tunnels (default: the engine URL's host). */
  underlay?: string;
  /** ca.pem, cert.pem, key.pem for a TLS tcp:// engine (as DOCKER_CERT_PATH). */
  certPath?: string;
  /** Where it was defined, for messages. */
  from: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,30}$/i;

function check(def: HostDef): HostDef {
  const where = def.from;
  if (!NAME.test(def.name))
    throw new LabError("usage", `${where}: "${def.name}" is not a host name`, {
      hint: "Use letters, digits, - and _ (up to 31)",
    });
  if (def.name === LOCAL)
    throw new LabError("usage", `${where}: "${LOCAL}" is this machine and cannot be defined`, {
      hint: "Leave nodes for this machine without a lab.host label",
    });
  let url: URL;
  try {
    url = new URL(def.engine);
  } catch {
    throw new LabError("usage", `${where}: host ${def.name}: "${def.engine}" is not an engine URL`, {
      hint: "Use ssh://user@host or tcp://host:2376",
    });
  }
  if (url.protocol === "tcp:" && !def.ssh)
    throw new LabError("usage", `${where}: host ${def.name}: a tcp:// engine needs ssh: as well`, {
      hint: "lab makes links and tunnels on the host itself: add ssh: ssh://user@host",
    });
  if (url.protocol !== "ssh:" && url.protocol !== "tcp:")
    throw new LabError("usage", `${where}: host ${def.name}: ${url.protocol}// engines are not reachable from here`, {
      hint: "Use ssh://user@host (its unix socket through SSH) or tcp://host:2376",
    });
  return def;
}

/** `--host NAME=URL` values. */
export function hostsFromFlags(values: string[]): HostDef[] {
  return values.map((v) => {
    const eq = v.indexOf("=");
    if (eq < 1)
      throw new LabError("usage", `--host ${v}: expected NAME=URL`, { hint: "e.g. --host h2=ssh://root@10.0.0.2" });
    return check({ name: v.slice(0, eq), engine: v.slice(eq + 1), from: `--host ${v}` });
  });
}

/** Parses lab-hosts.yml text; errors carry file:line. */
export function parseHostsFile(text: string, file: string): HostDef[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node: { range?: number[] | null } | null | undefined) => {
    const offset = node?.range?.[0];
    return offset === undefined ? file : `${file}:${lines.linePos(offset).line}`;
  };
  if (doc.errors.length)
    throw new LabError("input", `${file}: ${doc.errors[0]?.message.split("\n")[0]}`, { hint: "Fix the YAML" });
  if (doc.contents === null) return [];
  if (!isMap(doc.contents))
    throw new LabError("input", `${at(doc.contents)}: expected a map of hosts (h2: {engine: ssh://root@10.0.0.2})`);
  const out: HostDef[] = [];
  for (const pair of doc.contents.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : "";
    const where = at(pair.key as never);
    const value = pair.value;
    const fields: Record<string, string> = {};
    if (isScalar(value)) fields.engine = String(value.value);
    else if (isMap(value))
      for (const f of value.items) {
        const key = isScalar(f.key) ? String(f.key.value) : "";
        if (!["engine", "ssh", "underlay", "cert-path"].includes(key))
          throw new LabError("input", `${at(f.key as never)}: ${name}.${key}: unknown key`, {
            hint: "A host has engine, ssh, underlay and cert-path",
          });
        fields[key] = isScalar(f.value) ? String(f.value.value) : "";
      }
    if (!fields.engine)
      throw new LabError("input", `${where}: ${name}: engine is missing`, { hint: "e.g. engine: ssh://root@10.0.0.2" });
    out.push(
      check({
        name,
        engine: fields.engine,
        ...(fields.ssh ? { ssh: fields.ssh } : {}),
        ...(fields.underlay ? { underlay: fields.underlay } : {}),
        ...(fields["cert-path"] ? { certPath: fields["cert-path"] } : {}),
        from: where,
      }),
    );
  }
  return out;
}

/** The hosts a topology can use: lab-hosts.yml beside it, then --host flags (which win). */
export function loadHostDefs(topologyFile: string | undefined, flags: string[]): Map<string, HostDef> {
  const out = new Map<string, HostDef>();
  const file = topologyFile && topologyFile !== "<stdin>" ? join(dirname(topologyFile), HOSTS_FILE) : undefined;
  if (file && existsSync(file)) for (const d of parseHostsFile(readFileSync(file, "utf8"), file)) out.set(d.name, d);
  for (const d of hostsFromFlags(flags)) out.set(d.name, d);
  return out;
}

/** The SSH target of a host: its ssh:// engine, or the ssh: it names beside a tcp:// one. */
export function sshUrlOf(def: HostDef): string {
  return def.engine.startsWith("ssh://") ? def.engine : (def.ssh as string);
}
