import { inNetns, listInterfaces } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { listOnHosts } from "../deploy/inspect.ts";
import { LabError } from "../errors.ts";
import {
  type Impairment,
  impairmentOf,
  type NetemSettings,
  NO_NETEM,
  netemResetArgs,
  netemSetArgs,
  type TcQdisc,
  validateNetem,
} from "./netem.ts";
import { type NodeTarget, resolveInterface, resolveTarget, type ToolDeps, targetOn } from "./target.ts";

// lab tools netem: tc run from the host inside the node's namespace (nsenter), so the node image
// needs no tc. Whether this kernel has netem at all is asked first, in a namespace of its own.

const text = (b: Uint8Array) => new TextDecoder().decode(b).trim();

/** One probe per host (its kernel), for the life of the command. */
const probed = new WeakMap<Platform, Promise<void>>();

/**
 * Refuses, before anything changes, on a kernel without the netem qdisc: tc adds one to the
 * loopback of a throwaway namespace (unshare --net), which the kernel loads sch_netem for if it can.
 */
export function requireNetem(platform: Platform): Promise<void> {
  const known = probed.get(platform);
  if (known) return known;
  const probe = (async () => {
    const r = await platform.run([
      "unshare",
      "--net",
      "tc",
      "qdisc",
      "add",
      "dev",
      "lo",
      "root",
      "netem",
      "delay",
      "1ms",
    ]);
    if (r.code === 0) return;
    const err = text(r.stderr);
    if (NO_NETEM.test(err))
      throw new LabError(
        "unsupported",
        "this kernel has no netem qdisc (kernel module sch_netem): link impairments cannot be set",
        {
          hint: "Load it (modprobe sch_netem) or use a kernel that has it; nothing was changed",
        },
      );
    throw new LabError("internal", `cannot check for netem: ${err.split("\n")[0] || `tc exited ${r.code}`}`, {
      hint: "lab needs root and tc (iproute2)",
    });
  })();
  probed.set(platform, probe);
  return probe;
}

async function tc(target: NodeTarget, args: string[], what: string): Promise<string> {
  const { platform } = target.host;
  const r = await platform.run(inNetns({ pid: target.pid }, "tc", ...args));
  if (r.code !== 0) {
    const err = text(r.stderr);
    if (NO_NETEM.test(err)) await requireNetem(platform);
    throw new LabError(
      "engine",
      `cannot ${what} on node ${target.node}: ${err.split("\n")[0]?.replace(/^Error: /, "")}`,
    );
  }
  return text(r.stdout);
}

/** The node's impairments, one per interface (every interface but lo; empty values where none). */
export async function readImpairments(target: NodeTarget): Promise<Impairment[]> {
  const [ifaces, shown] = await Promise.all([
    listInterfaces(target.host.platform, { pid: target.pid }),
    tc(target, ["-j", "qdisc", "show"], "read the qdiscs"),
  ]);
  const netem = new Map(
    (JSON.parse(shown || "[]") as TcQdisc[]).filter((q) => q.kind === "netem" && q.root).map((q) => [q.dev, q]),
  );
  return ifaces.map((i) => {
    const display = i.alias ? `${i.name} (${i.alias})` : i.name;
    const q = netem.get(i.name);
    return q ? impairmentOf(q, display) : impairmentOf({ kind: "" }, display);
  });
}

export async function setNetem(
  deps: ToolDeps,
  spec: { node: string; lab?: string; iface: string },
  settings: NetemSettings,
): Promise<{ target: NodeTarget; impairment: Impairment }> {
  validateNetem(settings);
  const target = await resolveTarget(deps.hosts, spec.node, spec.lab);
  const dev = await resolveInterface(target, spec.iface);
  await requireNetem(target.host.platform);
  await tc(target, netemSetArgs(dev, settings), `set impairments on ${dev}`);
  const now = (await readImpairments(target)).find((i) => i.interface.split(" ")[0] === dev);
  return { target, impairment: now as Impairment };
}

export async function resetNetem(
  deps: ToolDeps,
  spec: { node: string; lab?: string; iface: string },
): Promise<{ target: NodeTarget; iface: string; removed: boolean }> {
  const target = await resolveTarget(deps.hosts, spec.node, spec.lab);
  const dev = await resolveInterface(target, spec.iface);
  const r = await target.host.platform.run(inNetns({ pid: target.pid }, "tc", ...netemResetArgs(dev)));
  // No qdisc to delete: nothing was set, which is what reset asks for.
  const removed = r.code === 0;
  if (!removed && !/No such file|Cannot delete qdisc with handle of zero|Invalid handle/i.test(text(r.stderr)))
    throw new LabError(
      "engine",
      `cannot reset impairments on node ${target.node}: ${text(r.stderr).replace(/^Error: /, "")}`,
    );
  return { target, iface: dev, removed };
}

/** One node's impairments (with -n), or every running node's of a lab. */
export async function showNetem(
  deps: ToolDeps,
  spec: { node?: string; lab?: string },
): Promise<{ target: NodeTarget; impairments: Impairment[] }[]> {
  if (spec.node) {
    const target = await resolveTarget(deps.hosts, spec.node, spec.lab);
    return [{ target, impairments: await readImpairments(target) }];
  }
  if (!spec.lab)
    throw new LabError("usage", "lab tools netem show needs a node or a lab", {
      hint: "Use -n NODE, or -t FILE / --name LAB",
    });
  const running = (await listOnHosts(deps.hosts, spec.lab)).filter((c) => c.state === "running");
  if (!running.length) throw new LabError("not-found", `lab ${spec.lab} has no running nodes`);
  return Promise.all(
    running.map(async (c) => {
      const target = await targetOn(deps.hosts.get(c.host), c.name);
      if (!target) throw new LabError("not-found", `no container named ${c.name}`);
      return { target, impairments: await readImpairments(target) };
    }),
  );
}
