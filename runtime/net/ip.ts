import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, symlink } from "node:fs/promises";
import { LabError } from "../errors.ts";
import type { Platform } from "../platform/types.ts";

export const NETNS_DIR = "/run/netns";

export interface BatchLine {
  command: string;
  /** What the line does, for the error message (e.g. "link a:eth1 ↔ b:eth1"). */
  what: string;
}

/**
 * Runs many iproute2 commands in one `ip -batch` process: creating hundreds of links costs one
 * process instead of hundreds. `netns` runs the batch inside that named network namespace.
 */
export function ipBatch(platform: Platform, lines: BatchLine[], netns?: string): Promise<void> {
  return runBatch(platform, netns ? ["ip", "-n", netns, "-batch", "-"] : ["ip", "-batch", "-"], lines, "create");
}

/** The same for traffic control (`tc -batch`): qdiscs and filters of link stitches. */
export function tcBatch(platform: Platform, lines: BatchLine[]): Promise<void> {
  return runBatch(platform, ["tc", "-batch", "-"], lines, "stitch");
}

async function runBatch(platform: Platform, args: string[], lines: BatchLine[], verb: string): Promise<void> {
  if (!lines.length) return;
  let result: Awaited<ReturnType<Platform["run"]>>;
  try {
    result = await platform.run(args, { stdin: `${lines.map((l) => l.command).join("\n")}\n` });
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

/** Host interfaces whose ifalias passes `test` (devices a lab leaves in the host namespace). */
export async function interfacesWithAlias(test: (alias: string) => boolean): Promise<string[]> {
  const names = await readdir("/sys/class/net").catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names) {
    const text = await readFile(`/sys/class/net/${name}/ifalias`, "utf8").catch(() => "");
    if (text.trim() && test(text.trim())) out.push(name);
  }
  return out;
}

/** Deletes host interfaces; already gone is fine. */
export async function deleteInterfaces(platform: Platform, names: string[]): Promise<void> {
  if (!names.length) return;
  await platform.run(["ip", "-force", "-batch", "-"], {
    stdin: `${names.map((n) => `link del dev ${n}`).join("\n")}\n`,
  });
}

let dummyProbe: Promise<boolean> | undefined;

/** Whether the kernel has the dummy link type (some VM kernels are built without it). */
export function dummySupported(platform: Platform): Promise<boolean> {
  dummyProbe ??= (async () => {
    if (existsSync("/sys/module/dummy")) return true;
    const name = `labprobe${process.pid % 100000}`;
    const r = await platform.run(["ip", "link", "add", name, "type", "dummy"]);
    if (r.code !== 0) return false;
    await platform.run(["ip", "link", "del", name]);
    return true;
  })();
  return dummyProbe;
}

/** Names a container's network namespace (`ip netns exec <name> …` works, as with Containerlab). */
export async function linkNetns(pid: number, name: string): Promise<void> {
  await mkdir(NETNS_DIR, { recursive: true });
  await rm(`${NETNS_DIR}/${name}`, { force: true });
  await symlink(`/proc/${pid}/ns/net`, `${NETNS_DIR}/${name}`);
}

export async function unlinkNetns(name: string): Promise<void> {
  await rm(`${NETNS_DIR}/${name}`, { force: true });
}

export function interfaceExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

export function isBridge(name: string): boolean {
  return existsSync(`/sys/class/net/${name}/bridge`);
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
export async function listInterfaces(platform: Platform, netns: string): Promise<NetInterface[]> {
  const r = await platform.run(["ip", "-n", netns, "-j", "-d", "link", "show"]);
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
