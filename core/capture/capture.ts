import { type LabContainer, listOnHosts } from "../deploy/inspect.ts";
import { deviceName } from "../deploy/plan.ts";
import { LabError } from "../errors.ts";
import type { HostSet } from "../hosts/hosts.ts";
import type { LabModel } from "../topology/model.ts";
import { isKernelIfname } from "../topology/names.ts";
import { enhancedPacket, interfaceDescription, PcapReader, sectionHeader } from "./pcapng.ts";

// lab capture: a node interface's packets, read in the node's network namespace from its host (the
// image needs no tcpdump: the host's tcpdump runs under nsenter, on whichever host of the lab runs
// the node), merged as pcapng with one interface block per node:interface. Containerlab's own
// capture guide does the same by hand (ip netns exec … tcpdump -w -).

export interface CaptureTarget {
  /** node:interface as the user wrote it (the interface block's name). */
  label: string;
  container: LabContainer;
  /** The interface's kernel name in the node. */
  iface: string;
}

export interface CaptureOptions {
  /** A BPF filter (tcpdump's expression). */
  filter?: string;
  /** Stop after this many packets, over all interfaces. */
  count?: number;
  /** Stop after this long. */
  durationMs?: number;
  signal?: AbortSignal;
  /**
   * The pcapng bytes as they are made, block by block: the section header and interface blocks are
   * "header" (a ring of files repeats them at the start of each), packets are "packet".
   */
  write(chunk: Uint8Array, kind: "header" | "packet"): void;
  /** Called once every interface's tcpdump listens (packets from then on are caught). */
  onListening?(): void;
}

/**
 * NODE:IFACE (node or container name) to where it is: the interface as the topology writes it
 * mapped as lab made it (a NOS name through the kind's rule, a long name to lab's device name).
 */
export async function captureTargets(
  hosts: HostSet,
  lab: { name: string; model?: LabModel },
  specs: string[],
): Promise<CaptureTarget[]> {
  const running = await listOnHosts(hosts, lab.name);
  return specs.map((spec) => {
    const colon = spec.lastIndexOf(":");
    if (colon <= 0 || colon === spec.length - 1)
      throw new LabError("usage", `${spec} is not NODE:INTERFACE`, { hint: "e.g. lab capture r1:eth1" });
    const [node, written] = [spec.slice(0, colon), spec.slice(colon + 1)];
    const container = running.find((c) => (c.node === node || c.name === node) && !c.component);
    if (!container)
      throw new LabError("not-found", `lab ${lab.name} has no node ${node}`, {
        hint: running.length
          ? `Its nodes: ${[...new Set(running.map((c) => c.node))].join(", ")}`
          : "Deploy it with lab up",
      });
    if (container.state !== "running")
      throw new LabError("conflict", `node ${container.node} is ${container.state}`, {
        hint: `Start it with lab start --name ${lab.name} -n ${container.node}`,
      });
    const kind = lab.model?.nodes.find((n) => n.name === container.node)?.kind;
    const mapped = kind?.interfaces?.map(written);
    const iface = typeof mapped === "string" ? mapped : written;
    return {
      label: `${container.node}:${written}`,
      container,
      iface: isKernelIfname(iface) ? iface : deviceName(lab.name, container.node, iface).name,
    };
  });
}

/**
 * Captures on every target until the signal, the count or the duration ends it; every byte written
 * is a whole pcapng block, so what was written is a valid file at any point. Returns the packets.
 */
export async function capture(hosts: HostSet, targets: CaptureTarget[], o: CaptureOptions): Promise<number> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = o.durationMs ? setTimeout(onAbort, o.durationMs) : undefined;
  let packets = 0;
  let next = 0;
  let listening = 0;
  o.write(sectionHeader(), "header");
  const runs = targets.map(async (t) => {
    const host = hosts.get(t.container.host);
    const pid = (await host.docker.containers.inspect(t.container.id)).State.Pid;
    let id = -1;
    const reader = new PcapReader(
      (h) => {
        id = next++;
        o.write(interfaceDescription(h.linktype, h.snaplen, t.label, h.tsresol), "header");
      },
      (ts, data, length) => {
        if (stop.signal.aborted || id < 0) return;
        o.write(enhancedPacket(id, ts, data, length), "packet");
        packets++;
        if (o.count && packets >= o.count) stop.abort();
      },
    );
    const argv = ["nsenter", `--net=/proc/${pid}/ns/net`, "--", "tcpdump", "-U", "-n", "-i", t.iface, "-w", "-"];
    if (o.filter) argv.push(o.filter);
    let heard = false;
    const r = await host.platform.spawnStream(
      argv,
      (chunk) => reader.push(chunk),
      stop.signal,
      (text) => {
        if (heard || !text.includes("listening on")) return;
        heard = true;
        if (++listening === targets.length) o.onListening?.();
      },
    );
    if (stop.signal.aborted) return;
    // It ended by itself: a refusal (no tcpdump, no such interface, a bad filter) is the error.
    stop.abort();
    const last =
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => !/listening on|^\d+ packets/.test(l))
        .at(-1) ?? "";
    if (r.code === 127 || (/not found|No such file/.test(last) && !last.includes(t.iface)))
      throw new LabError(
        "unsupported",
        `tcpdump is not installed on ${host.name === "local" ? "this host" : host.name}`,
        {
          hint: "Install it (apt install tcpdump): lab runs the host's tcpdump in the node's namespace",
        },
      );
    throw new LabError("input", `capture on ${t.label}: ${last || `tcpdump exited with ${r.code}`}`);
  });
  try {
    await Promise.all(runs);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
    stop.abort();
  }
  return packets;
}
