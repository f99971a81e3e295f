import { createHash } from "node:crypto";
import type { BatchLine } from "../../runtime/net/ip.ts";
import type { LinkStep, Placement } from "./plan.ts";

export interface LinkContext {
  /** Container name → PID of its init process. */
  pids: Map<string, number>;
  /** Container name → named netns (for per-namespace batches). */
  netns: Map<string, string>;
  mgmtBridge: string;
  dummy: boolean;
}

export interface LinkBatches {
  /** Runs in the host namespace: creates every link straight into its namespaces. */
  root: BatchLine[];
  /** Per named namespace: brings up the ends that could not be brought up at creation. */
  perNetns: Map<string, BatchLine[]>;
}

function where(p: Placement, ctx: LinkContext): string {
  if (p.where === "host") return "";
  const pid = ctx.pids.get(p.container);
  if (pid === undefined) throw new Error(`no pid for ${p.container}`);
  return ` netns ${pid}`;
}

const mac = (p: Placement) => (p.mac ? ` address ${p.mac}` : "");

/**
 * Builds the iproute2 batches for all links. A veth's first end is brought up in the create command
 * itself (the kernel allows that once its peer exists); the peer end is brought up afterwards in its
 * own namespace, or in the root batch when it lives on the host.
 */
export function linkBatches(steps: LinkStep[], ctx: LinkContext): LinkBatches {
  const root: BatchLine[] = [];
  const perNetns = new Map<string, BatchLine[]>();
  const after: BatchLine[] = [];
  const upLater = (p: Placement, what: string) => {
    if (p.where === "host") {
      const master = p.master === "@mgmt" ? ctx.mgmtBridge : p.master;
      if (master) after.push({ command: `link set dev ${p.iface} master ${master}`, what });
      after.push({ command: `link set dev ${p.iface} up`, what });
      return;
    }
    const ns = ctx.netns.get(p.container) as string;
    const list = perNetns.get(ns) ?? [];
    list.push({ command: `link set dev ${p.iface} up`, what });
    perNetns.set(ns, list);
  };

  for (const s of steps) {
    const what = `link ${s.label}`;
    const a = s.a;
    const first = `link add name ${a.iface}${where(a, ctx)} mtu ${s.mtu}${mac(a)}`;
    switch (s.type) {
      case "veth":
      case "host":
      case "mgmt-net": {
        // Put a container end first where there is one, so that the host end is set up in the root batch.
        const [x, y] = (s.b?.where === "container" && a.where !== "container" ? [s.b, a] : [a, s.b]) as [
          Placement,
          Placement,
        ];
        root.push({
          command: `link add name ${x.iface}${where(x, ctx)} mtu ${s.mtu}${mac(x)} up type veth peer name ${y.iface}${where(y, ctx)} mtu ${s.mtu}${mac(y)}`,
          what,
        });
        upLater(y, what);
        break;
      }
      case "dummy": {
        if (ctx.dummy) {
          root.push({ command: `${first} up type dummy`, what });
        } else {
          // No dummy driver in this kernel: a veth whose peer stays down, hidden in the same namespace.
          const peer = `ld${createHash("sha1")
            .update(`${a.where === "container" ? a.container : ""}/${a.iface}`)
            .digest("hex")
            .slice(0, 10)}`;
          root.push({ command: `${first} up type veth peer name ${peer}${where(a, ctx)}`, what });
        }
        break;
      }
      case "macvlan":
        root.push({
          command: `link add link ${s.parent} name ${a.iface}${where(a, ctx)} mtu ${s.mtu}${mac(a)} up type macvlan mode ${s.mode ?? "bridge"}`,
          what,
        });
        break;
    }
  }
  return { root: [...root, ...after], perNetns };
}
