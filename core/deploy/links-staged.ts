import { createHash } from "node:crypto";
import type { BatchLine } from "../../runtime/net/ip.ts";
import { type LinkBatches, type LinkContext, linkBatches, setupLines, vethLine } from "./links.ts";
import type { LinkStep, Placement } from "./plan.ts";

const isOn = (p: Placement | undefined, container: string) => p?.where === "container" && p.container === container;

/**
 * Links created node by node, for topologies that wait on a node's `create-links` or `configure`
 * stage: when a container starts, every link it is part of is made as far as it can be. A veth whose
 * other node is not up yet is created with that end parked in the host namespace, then moved into
 * the other node when it starts (as Containerlab does), so a node's links are in place as soon as
 * the node is, and waiting on them cannot deadlock. veth-stitch segments follow their own node; the
 * stitch joins them once both exist. Calls are serialised: each one sees what the earlier made.
 */
export class StagedLinks {
  private readonly done = new Set<LinkStep>();
  private readonly parked = new Map<LinkStep, string>();
  private readonly segments = new Map<LinkStep, Set<string>>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly steps: LinkStep[],
    private readonly ctx: LinkContext,
    private readonly run: (batches: LinkBatches) => Promise<void>,
  ) {}

  /** `container` has started (its pid is in the context): create its links. */
  ready(container: string): Promise<void> {
    return this.serialised(() => this.deploy(container));
  }

  /** Links between containers lab did not start (external ones): made once every node is up. */
  rest(): Promise<void> {
    return this.serialised(() => {
      const whole = this.steps.filter(
        (s) =>
          !this.done.has(s) && !this.parked.has(s) && !this.segments.has(s) && this.present(s.a) && this.present(s.b),
      );
      for (const s of whole) this.done.add(s);
      return this.run(linkBatches(whole, this.ctx));
    });
  }

  /** One batch at a time: each computes its lines from what the earlier ones made. */
  private serialised(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Links not fully made (a node never started): for the final check. */
  pending(): LinkStep[] {
    return this.steps.filter((s) => !this.done.has(s));
  }

  private present(p: Placement | undefined): boolean {
    return !p || p.where === "host" || this.ctx.pids.has(p.container);
  }

  private pid(p: Placement): number {
    return this.ctx.pids.get((p as { container: string }).container) as number;
  }

  private deploy(container: string): Promise<void> {
    const whole: LinkStep[] = [];
    const root: BatchLine[] = [];
    const tc: BatchLine[] = [];
    // Names and addresses of the ends this step puts into the node, run in its namespace.
    const setup: BatchLine[] = [];
    for (const s of this.steps) {
      if (this.done.has(s) || !(isOn(s.a, container) || isOn(s.b, container))) continue;
      const what = `link ${s.label}`;
      const tmp = this.parked.get(s);
      if (tmp) {
        // The parked end moves into this node under its real name.
        const p = (isOn(s.a, container) ? s.a : s.b) as Placement;
        root.push({ argv: ["link", "set", "dev", tmp, "netns", String(this.pid(p)), "name", p.iface, "up"], what });
        setup.push(...setupLines(p, what));
        this.done.add(s);
      } else if (s.type === "veth-stitch") {
        const [hostA, hostB] = s.stitch as [string, string];
        const have = this.segments.get(s) ?? new Set<string>();
        for (const [p, host] of [
          [s.a, hostA],
          [s.b, hostB],
        ] as [Placement, string][]) {
          if (!isOn(p, container)) continue;
          root.push({ argv: vethLine(p, { where: "host", iface: host }, s.mtu, this.ctx), what });
          root.push({ argv: ["link", "set", "dev", host, "up"], what });
          setup.push(...setupLines(p, what));
          have.add(host);
        }
        this.segments.set(s, have);
        if (have.size === 2) {
          tc.push(...linkBatches([s], this.ctx).tc);
          this.done.add(s);
        }
      } else if (this.present(s.a) && this.present(s.b)) {
        whole.push(s);
        this.done.add(s);
      } else {
        // A veth whose other node is not up yet: this end goes in, the other waits on the host.
        const [x, y] = (isOn(s.a, container) ? [s.a, s.b] : [s.b, s.a]) as [Placement, Placement];
        // Host-wide name: the container names make it unique across labs.
        const where = (p: Placement) => `${p.where === "container" ? p.container : "host"}/${p.iface}`;
        const parked = `lp${createHash("sha1")
          .update(`${where(x)}|${where(y)}`)
          .digest("hex")
          .slice(0, 12)}`;
        root.push({ argv: vethLine(x, { where: "host", iface: parked, mac: y.mac }, s.mtu, this.ctx), what });
        setup.push(...setupLines(x, what));
        this.parked.set(s, parked);
      }
    }
    const batches = linkBatches(whole, this.ctx);
    const ns = this.ctx.netns.get(container) as string;
    if (setup.length) batches.perNetns.set(ns, [...(batches.perNetns.get(ns) ?? []), ...setup]);
    return this.run({ root: [...batches.root, ...root], perNetns: batches.perNetns, tc: [...batches.tc, ...tc] });
  }
}
