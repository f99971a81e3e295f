import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Platform } from "../../runtime/platform/index.ts";
import { LabError } from "../errors.ts";
import { LOCAL, sshUrlOf } from "./definitions.ts";
import type { Host, HostSet } from "./hosts.ts";
import { type HostPair, pairKey, portCandidate, type UnderlaySide } from "./placement.ts";

/** The address a remote host is reached at: its `underlay:`, else its SSH (or engine) address. */
async function addressOf(host: Host): Promise<string> {
  if (host.def?.underlay) return host.def.underlay;
  const name = new URL(host.def ? sshUrlOf(host.def) : "ssh://127.0.0.1").hostname.replace(/^\[|\]$/g, "");
  if (isIP(name)) return name;
  try {
    return (await lookup(name)).address;
  } catch {
    throw new LabError("input", `host ${host.name}: cannot resolve ${name}`, {
      hint: "Give its address as underlay: in lab-hosts.yml",
    });
  }
}

/** How `platform`'s host reaches `address`: the device, its MTU and the source address it uses. */
async function routeTo(platform: Platform, address: string): Promise<{ dev: string; src?: string; mtu: number }> {
  const r = await platform.run(["ip", "-j", "route", "get", address]);
  const route =
    r.code === 0
      ? (JSON.parse(new TextDecoder().decode(r.stdout) || "[]")[0] as { dev?: string; prefsrc?: string } | undefined)
      : undefined;
  if (!route?.dev)
    throw new LabError("input", `host ${platform.host} has no route to ${address}`, {
      hint: "The hosts of a lab must reach each other; or set underlay: for the host in lab-hosts.yml",
    });
  const mtu = Number((await platform.readText(`/sys/class/net/${route.dev}/mtu`).catch(() => "1500")).trim()) || 1500;
  return { dev: route.dev, src: route.prefsrc, mtu };
}

/** The underlay of each pair of hosts that links cross, seen from both ends. */
export async function resolvePairs(pairs: [string, string][], hosts: HostSet): Promise<Map<string, HostPair>> {
  const out = new Map<string, HostPair>();
  for (const [x, y] of pairs) {
    // This machine's address is the one its route to the other uses; a remote one's is defined.
    const [first, second] = x === LOCAL ? [hosts.get(y), hosts.get(x)] : [hosts.get(x), hosts.get(y)];
    const firstAddress = await addressOf(first);
    const fromSecond = await routeTo(second.platform, firstAddress);
    const secondAddress = second.name === LOCAL ? fromSecond.src : await addressOf(second);
    if (!secondAddress)
      throw new LabError("input", `this machine has no source address toward ${first.name} (${firstAddress})`);
    const fromFirst = await routeTo(first.platform, secondAddress);
    const sides: Record<string, UnderlaySide> = {
      [first.name]: { address: firstAddress, dev: fromFirst.dev, mtu: fromFirst.mtu },
      [second.name]: { address: secondAddress, dev: fromSecond.dev, mtu: fromSecond.mtu },
    };
    out.set(pairKey(x, y), { sides, mtu: Math.min(fromFirst.mtu, fromSecond.mtu), ipv6: isIP(firstAddress) === 6 });
  }
  return out;
}

/** UDP ports something listens on, on a host (the kernel's vxlan sockets included). */
async function udpPorts(platform: Platform): Promise<Set<number>> {
  const r = await platform.run(["ss", "-Hlun"]);
  const out = new Set<number>();
  for (const line of new TextDecoder().decode(r.stdout).split("\n")) {
    const m = /:(\d+)\s/.exec(line.split(/\s+/).slice(3, 4).join(" ") + " ");
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/**
 * The UDP port of a lab's tunnels: the one it already uses when it runs, else the first free one on
 * all its hosts from a start derived from its name, so that two labs never share one.
 */
export async function pickVxlanPort(lab: string, hosts: Host[], current?: number): Promise<number> {
  if (current) return current;
  const used = new Set<number>();
  for (const h of hosts) for (const p of await udpPorts(h.platform)) used.add(p);
  let port = portCandidate(lab);
  for (let i = 0; i < 1000 && used.has(port); i++) port = port >= 49999 ? 20000 : port + 1;
  return port;
}
