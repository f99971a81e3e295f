import { LabError } from "../errors.ts";
import type { Platform } from "../platform/types.ts";
import { batchLine, UnquotableError } from "../quote.ts";

export const NETNS_DIR = "/run/netns";

export interface BatchLine {
  /** The command's words, without the program name: `["link", "set", "dev", "eth1", "up"]`. */
  argv: string[];
  /** What the line does, for the error message (e.g. "link a:eth1 ↔ b:eth1"). */
  what: string;
}

/**
 * Runs many iproute2 commands in one `ip -batch` process: creating hundreds of links costs one
 * process instead of hundreds. `netns` runs the batch inside that named network namespace.
 */
export function ipBatch(
  platform: Platform,
  lines: BatchLine[],
  netns?: string,
  force = false,
  /** The verb of the error message: "cannot <verb> <what>". */
  verb = "create",
): Promise<void> {
  const args = ["ip", ...(netns ? ["-n", netns] : []), ...(force ? ["-force"] : []), "-batch", "-"];
  return runBatch(platform, args, lines, verb);
}

/** The same for traffic control (`tc -batch`): qdiscs and filters of link stitches. */
export function tcBatch(platform: Platform, lines: BatchLine[]): Promise<void> {
  return runBatch(platform, ["tc", "-batch", "-"], lines, "stitch");
}

async function runBatch(platform: Platform, args: string[], lines: BatchLine[], verb: string): Promise<void> {
  if (!lines.length) return;
  // Each word quoted for the batch reader; one it cannot carry stops the batch before it runs.
  const text = lines.map((l) => {
    try {
      return batchLine(l.argv);
    } catch (error) {
      if (!(error instanceof UnquotableError)) throw error;
      throw new LabError("input", `cannot ${verb} ${l.what}: ${error.message}`);
    }
  });
  let result: Awaited<ReturnType<Platform["run"]>>;
  try {
    result = await platform.run(args, { stdin: `${text.join("\n")}\n` });
  } catch (error) {
    throw new LabError("internal", `cannot run ${args[0]} (iproute2): ${(error as Error).message}`, {
      hint: "Install iproute2",
      cause: error,
    });
  }
  if (result.code === 0) return;
  const err = new TextDecoder().decode(result.stderr).trim();
  const failed = /Command failed -:(\d+)/.exec(err);
  const line = failed ? lines[Number(failed[1]) - 1] : undefined;
  const reason =
    err.split("\n").find((l) => !l.startsWith("Command failed") && !l.startsWith("We have an error")) ?? err;
  throw new LabError("engine", `cannot ${verb} ${line?.what ?? "links"}: ${reason.replace(/^Error: /, "")}`, {
    hint: /Operation not permitted/i.test(reason)
      ? "lab needs root (CAP_NET_ADMIN) to create links"
      : /classifier not found|action .* not found/i.test(reason)
        ? "This kernel lacks tc's u32 classifier or mirred action, which stitched links need"
        : undefined,
  });
}

/** The interface the route to `address` leaves by, as `ip route get` says. */
export async function routeDevice(platform: Platform, address: string): Promise<string | undefined> {
  const r = await platform.run(["ip", "-j", "route", "get", address]);
  if (r.code !== 0) return undefined;
  try {
    const routes = JSON.parse(new TextDecoder().decode(r.stdout)) as { dev?: string }[];
    return routes[0]?.dev;
  } catch {
    return undefined;
  }
}

/** The names of the host's interfaces (one `ip` call, also over SSH). */
export async function hostInterfaces(platform: Platform): Promise<string[]> {
  const r = await platform.run(["ip", "-j", "link", "show"]);
  if (r.code !== 0) return [];
  return (JSON.parse(new TextDecoder().decode(r.stdout) || "[]") as { ifname: string }[]).map((l) => l.ifname);
}

/** Host interfaces whose ifalias passes `test` (devices a lab leaves in the host namespace). */
export async function interfacesWithAlias(platform: Platform, test: (alias: string) => boolean): Promise<string[]> {
  // One `ip` for all of them: on a remote host each file read would be a round trip.
  const r = await platform.run(["ip", "-j", "link", "show"]);
  const links =
    r.code === 0
      ? (JSON.parse(new TextDecoder().decode(r.stdout) || "[]") as { ifname: string; ifalias?: string }[])
      : [];
  const out: string[] = [];
  for (const l of links) {
    const alias = l.ifalias?.trim() ?? "";
    if (alias && test(alias)) out.push(l.ifname);
  }
  return out;
}

/** Deletes host interfaces; already gone is fine. */
export async function deleteInterfaces(platform: Platform, names: string[]): Promise<void> {
  if (!names.length) return;
  await platform.run(["ip", "-force", "-batch", "-"], {
    stdin: `${names.map((n) => batchLine(["link", "del", "dev", n])).join("\n")}\n`,
  });
}

const dummyProbes = new WeakMap<Platform, Promise<boolean>>();

/** Whether the kernel has the dummy link type (some VM kernels are built without it). */
export function dummySupported(platform: Platform): Promise<boolean> {
  let probe = dummyProbes.get(platform);
  if (probe) return probe;
  probe = (async () => {
    if (await platform.exists("/sys/module/dummy")) return true;
    const name = `labprobe${process.pid % 100000}`;
    const r = await platform.run(["ip", "link", "add", name, "type", "dummy"]);
    if (r.code !== 0) return false;
    await platform.run(["ip", "link", "del", name]);
    return true;
  })();
  dummyProbes.set(platform, probe);
  return probe;
}

/** Names a container's network namespace (`ip netns exec <name> …` works, as with Containerlab). */
export async function linkNetns(platform: Platform, pid: number, name: string): Promise<void> {
  await platform.symlink(`/proc/${pid}/ns/net`, `${NETNS_DIR}/${name}`);
}

export async function unlinkNetns(platform: Platform, name: string): Promise<void> {
  await platform.remove(`${NETNS_DIR}/${name}`);
}

/** A bridge, up, in a named network namespace (left as it is when it is there already). */
export async function makeBridgeIn(platform: Platform, netns: string, bridge: string): Promise<void> {
  const show = await platform.run(["ip", "-n", netns, "link", "show", "dev", bridge]);
  if (show.code !== 0) {
    const add = await platform.run(["ip", "-n", netns, "link", "add", "name", bridge, "type", "bridge"]);
    if (add.code !== 0)
      throw new LabError(
        "engine",
        `cannot make bridge ${bridge} in ${netns}: ${new TextDecoder().decode(add.stderr).trim()}`,
      );
  }
  await platform.run(["ip", "-n", netns, "link", "set", "dev", bridge, "up"]);
}

export function interfaceExists(platform: Platform, name: string): Promise<boolean> {
  return platform.exists(`/sys/class/net/${name}`);
}

export function isBridge(platform: Platform, name: string): Promise<boolean> {
  return platform.exists(`/sys/class/net/${name}/bridge`);
}

/** How many interfaces a bridge holds; undefined when `name` is not a bridge. */
export async function bridgePorts(platform: Platform, name: string): Promise<number | undefined> {
  return (await isBridge(platform, name)) ? (await platform.list(`/sys/class/net/${name}/brif`)).length : undefined;
}

export interface NetInterface {
  name: string;
  /** veth, vxlan, dummy, macvlan, …; "" for a plain device. */
  kind: string;
  state: string;
  mtu: number;
  mac: string;
  alias: string;
}

/** The interfaces in a named network namespace (`ip -n NS -j -d link show`), loopback left out. */
/** A network namespace: a name under /run/netns, or a process's. */
export type NetnsRef = string | { pid: number };

/** argv running `program` (ip, tc) in a namespace: `-n NAME` for a name, nsenter for a process's. */
export function inNetns(ns: NetnsRef | undefined, program: "ip" | "tc", ...args: string[]): string[] {
  if (ns === undefined) return [program, ...args];
  if (typeof ns === "string") return [program, "-n", ns, ...args];
  return ["nsenter", `--net=/proc/${ns.pid}/ns/net`, program, ...args];
}

export async function listInterfaces(platform: Platform, netns: NetnsRef): Promise<NetInterface[]> {
  const r = await platform.run(inNetns(netns, "ip", "-j", "-d", "link", "show"));
  if (r.code !== 0) return [];
  const links = JSON.parse(new TextDecoder().decode(r.stdout) || "[]") as {
    ifname: string;
    operstate?: string;
    mtu?: number;
    address?: string;
    ifalias?: string;
    link_type?: string;
    linkinfo?: { info_kind?: string };
  }[];
  return links
    .filter((l) => l.link_type !== "loopback")
    .map((l) => ({
      name: l.ifname,
      kind: l.linkinfo?.info_kind ?? "",
      state: (l.operstate ?? "").toLowerCase(),
      mtu: l.mtu ?? 0,
      mac: l.address ?? "",
      alias: l.ifalias ?? "",
    }));
}

/** Splits concatenated JSON documents (what `ip -j -batch` prints, one per line run) into values. */
export function splitJsonDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(JSON.parse(text.slice(start, i + 1)));
        start = -1;
      }
    }
  }
  return out;
}

/** Runs read-only `ip -j` commands in one process (in `netns` when given) and returns each one's JSON. */
export async function ipJson(
  platform: Platform,
  lines: string[][],
  options: { netns?: string; flags?: string[] } = {},
) {
  const args = ["ip", ...(options.netns ? ["-n", options.netns] : []), "-j", ...(options.flags ?? []), "-batch", "-"];
  const r = await platform.run(args, { stdin: `${lines.map(batchLine).join("\n")}\n` });
  if (r.code !== 0) {
    const err = new TextDecoder().decode(r.stderr).trim();
    throw new LabError(
      "engine",
      `cannot read ${options.netns ? `namespace ${options.netns}` : "the host's interfaces"}: ${err.split("\n")[0]}`,
    );
  }
  return splitJsonDocuments(new TextDecoder().decode(r.stdout));
}

/** Creates a named network namespace (`ip netns add`); one already there is fine. */
export async function netnsAdd(platform: Platform, name: string): Promise<void> {
  if (await platform.exists(`${NETNS_DIR}/${name}`)) return;
  const r = await platform.run(["ip", "netns", "add", name]);
  if (r.code !== 0 && !(await platform.exists(`${NETNS_DIR}/${name}`)))
    throw new LabError(
      "engine",
      `cannot create network namespace ${name}: ${new TextDecoder().decode(r.stderr).trim()}`,
    );
}

/** Deletes a named network namespace and whatever is left in it; one already gone is fine. */
export async function netnsDel(platform: Platform, name: string): Promise<void> {
  if (!(await platform.exists(`${NETNS_DIR}/${name}`))) return;
  await platform.run(["ip", "netns", "del", name]);
}

/** The interface names in a process's network namespace, from /proc (no process to spawn). */
export async function interfacesOfPid(platform: Platform, pid: number): Promise<string[]> {
  const text = await platform.readText(`/proc/${pid}/net/dev`).catch(() => "");
  return text
    .split("\n")
    .slice(2)
    .map((l) => l.split(":")[0]?.trim() ?? "")
    .filter(Boolean);
}

/** Interface counters of a process's namespace, from /proc/<pid>/net/dev. */
export async function countersOfPid(
  platform: Platform,
  pid: number,
): Promise<Map<string, { rxBytes: number; rxPackets: number; txBytes: number; txPackets: number }>> {
  const text = await platform.readText(`/proc/${pid}/net/dev`).catch(() => "");
  const out = new Map<string, { rxBytes: number; rxPackets: number; txBytes: number; txPackets: number }>();
  for (const line of text.split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    if (!name || !rest) continue;
    const f = rest.trim().split(/\s+/).map(Number);
    out.set(name.trim(), { rxBytes: f[0] ?? 0, rxPackets: f[1] ?? 0, txBytes: f[8] ?? 0, txPackets: f[9] ?? 0 });
  }
  return out;
}

/** The pid whose namespace a named netns link (`/run/netns/<name>` → /proc/<pid>/ns/net) points at. */
export async function pidOfNetnsLink(platform: Platform, name: string): Promise<number | undefined> {
  const target = (await platform.readlink(`${NETNS_DIR}/${name}`)) ?? "";
  const m = /^\/proc\/(\d+)\/ns\/net$/.exec(target);
  return m ? Number(m[1]) : undefined;
}
