import { countersOfPid } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { type IfaceSnapshot, parseLinkLine, sameSnapshot } from "./link-line.ts";
import { type LabEvent, nowNs } from "./types.ts";

// The interfaces inside one running node, followed as Containerlab's netlink watcher does: a
// snapshot, then every link change (`ip monitor` in the node's namespace), and with stats on,
// counters and rates every interval (from /proc/PID/net/dev, no process spawned per sample).

export interface WatchedContainer {
  id: string;
  name: string;
  lab: string;
  pid: number;
}

interface Sample {
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
  at: number;
}

const nsCommand = (pid: number, ...cmd: string[]) => ["nsenter", `--net=/proc/${pid}/ns/net`, ...cmd];

function attributes(c: WatchedContainer, s: IfaceSnapshot): Record<string, string> {
  return {
    ifname: s.name,
    index: String(s.index),
    mtu: String(s.mtu),
    state: s.state,
    type: s.type,
    origin: "netlink",
    ...(s.alias ? { alias: s.alias } : {}),
    ...(s.mac ? { mac: s.mac } : {}),
    ...(c.lab ? { lab: c.lab } : {}),
  };
}

export class InterfaceWatcher {
  private readonly states = new Map<number, IfaceSnapshot>();
  private readonly samples = new Map<number, Sample>();
  private readonly abort = new AbortController();
  private monitor?: Promise<number>;

  constructor(
    private readonly platform: Platform,
    readonly container: WatchedContainer,
    private readonly emit: (e: LabEvent) => void,
  ) {}

  private event(action: string, s: IfaceSnapshot, extra: Record<string, string> = {}): LabEvent {
    const c = this.container;
    return {
      timeNs: nowNs(),
      type: "interface",
      action,
      actorId: c.id.slice(0, 12),
      actorName: c.name,
      actorFullId: c.id,
      attributes: { ...attributes(c, s), ...extra },
    };
  }

  /**
   * Starts following. `fresh`: the container just started, so the interfaces found are new
   * (`create`); otherwise they are shown only when `snapshot` asks (`snapshot`, --initial-state).
   * Monitor lines that arrive while the first listing runs are applied after it, so an interface
   * that changes meanwhile is reported in order.
   */
  async start(options: { fresh: boolean; snapshot: boolean }): Promise<void> {
    const pending: string[] = [];
    let ready = false;
    this.monitor = this.platform.spawnLines(
      nsCommand(this.container.pid, "ip", "-o", "-d", "monitor", "link"),
      (line) => (ready ? this.apply(line) : pending.push(line)),
      this.abort.signal,
    );
    const listed = await this.platform.run(nsCommand(this.container.pid, "ip", "-o", "-d", "link", "show"));
    if (this.abort.signal.aborted) return;
    const mentioned = new Set(pending.map((l) => parseLinkLine(l)?.index));
    for (const line of new TextDecoder().decode(listed.stdout).split("\n")) {
      const s = parseLinkLine(line);
      if (!s || s.deleted) continue;
      if (options.fresh && mentioned.has(s.index)) continue;
      this.states.set(s.index, strip(s));
      if (options.fresh) this.emit(this.event("create", s));
      else if (options.snapshot) this.emit({ ...this.event("snapshot", s) });
    }
    for (const line of pending) this.apply(line);
    ready = true;
  }

  private apply(line: string): void {
    const parsed = parseLinkLine(line);
    if (!parsed) return;
    const s = strip(parsed);
    const before = this.states.get(s.index);
    if (parsed.deleted) {
      this.states.delete(s.index);
      this.samples.delete(s.index);
      this.emit(this.event("delete", before ?? s));
      return;
    }
    if (before && sameSnapshot(before, s)) return;
    this.states.set(s.index, s);
    this.emit(this.event(before ? "update" : "create", s));
  }

  /** One stats sample per interface: counters and rates since the last one (none the first time). */
  async sampleStats(): Promise<void> {
    const counters = await countersOfPid(this.platform, this.container.pid);
    const at = performance.now();
    for (const [index, s] of this.states) {
      const c = counters.get(s.name);
      if (!c) continue;
      const prev = this.samples.get(index);
      this.samples.set(index, { ...c, at });
      if (!prev || at <= prev.at) continue;
      const seconds = (at - prev.at) / 1000;
      // A counter that went backwards wrapped or was reset: the new value is the delta, as Containerlab counts it.
      const rate = (now: number, then: number) => String((now >= then ? now - then : now) / seconds);
      this.emit(
        this.event("stats", s, {
          rx_bytes: String(c.rxBytes),
          tx_bytes: String(c.txBytes),
          rx_packets: String(c.rxPackets),
          tx_packets: String(c.txPackets),
          rx_bps: rate(c.rxBytes * 8, prev.rxBytes * 8),
          tx_bps: rate(c.txBytes * 8, prev.txBytes * 8),
          rx_pps: rate(c.rxPackets, prev.rxPackets),
          tx_pps: rate(c.txPackets, prev.txPackets),
          interval_seconds: String(seconds),
        }),
      );
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.monitor;
  }
}

const strip = ({ deleted: _deleted, ...s }: IfaceSnapshot & { deleted?: boolean }): IfaceSnapshot => s;
