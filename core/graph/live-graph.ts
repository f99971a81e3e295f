import type { ServerResponse } from "node:http";
import type { HostSet } from "../hosts/hosts.ts";
import type { LabModel } from "../topology/model.ts";
import { type Pins, withPositions } from "./layout.ts";
import { liveInfo } from "./live.ts";
import { buildGraph, type Graph } from "./model.ts";

// The graph the page shows, kept current: laid out once (the nodes come from the topology; their
// states change, their places and their interface names' places do not), rebuilt after the
// engine's events (one rebuild per burst), and pushed to every page following it over server-sent
// events.

export class LiveGraph {
  private positions = new Map<string, Graph["nodes"][number]["position"]>();
  private names = new Map<
    string,
    { a?: Graph["links"][number]["a"]["label"]; b?: Graph["links"][number]["b"]["label"] }
  >();
  private text = "";
  private pending: ReturnType<typeof setTimeout> | undefined;
  readonly clients = new Set<ServerResponse>();

  private constructor(
    private lab: LabModel,
    private readonly hosts: HostSet,
    private readonly live: boolean,
    private readonly onError?: (message: string) => void,
  ) {}

  static async start(lab: LabModel, hosts: HostSet, live: boolean, onError?: (m: string) => void) {
    const g = new LiveGraph(lab, hosts, live, onError);
    await g.layOut();
    return g;
  }

  private async layOut(pins?: Pins): Promise<void> {
    const laid = withPositions(await this.build(), pins);
    this.positions = new Map(laid.nodes.map((n) => [n.id, n.position]));
    this.names = new Map(laid.links.map((l) => [l.id, { a: l.a.label, b: l.b.label }]));
    this.text = JSON.stringify(laid);
  }

  /** The lab changed (the editor): laid out again, nodes kept where the page has them, and pushed. */
  async replace(lab: LabModel, pins?: Pins): Promise<void> {
    this.lab = lab;
    await this.layOut(pins);
    for (const res of this.clients) res.write(`event: graph\ndata: ${this.text}\n\n`);
  }

  private async build(): Promise<Graph> {
    return buildGraph(
      this.lab,
      this.live ? await liveInfo({ hosts: this.hosts }, this.lab, { impairments: true }) : undefined,
    );
  }

  /** The graph as JSON, as the page reads it. */
  get json(): string {
    return this.text;
  }

  private push(g: Graph): void {
    const next = JSON.stringify({
      ...g,
      nodes: g.nodes.map((n) => ({ ...n, position: this.positions.get(n.id) })),
      links: g.links.map((l) => {
        const at = this.names.get(l.id);
        return { ...l, a: { ...l.a, label: at?.a }, b: { ...l.b, label: at?.b } };
      }),
    });
    if (next === this.text) return;
    this.text = next;
    for (const res of this.clients) res.write(`event: graph\ndata: ${this.text}\n\n`);
  }

  /** Rebuilds soon: events come in bursts (kill, die, stop), one rebuild after the burst. */
  refresh(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => {
      this.build()
        .then((g) => this.push(g))
        .catch((e) => this.onError?.(`cannot refresh the graph: ${(e as Error).message}`));
    }, 100);
  }

  /** A page following the graph: the current one at once, then each change. */
  follow(res: ServerResponse, onClose: (listener: () => void) => void): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(`retry: 1000\nevent: graph\ndata: ${this.text}\n\n`);
    this.clients.add(res);
    onClose(() => this.clients.delete(res));
  }

  close(): void {
    clearTimeout(this.pending);
    for (const res of this.clients) res.end();
  }
}
