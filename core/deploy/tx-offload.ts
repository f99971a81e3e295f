import { inNetns } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import type { LinkStep, Placement } from "./plan.ts";
import type { Reporter } from "./reporter.ts";

// TX checksum offload off on every veth end lab makes, as Containerlab does when it creates them:
// with it on, a veth hands packets on with the checksum left to hardware that is not there, which
// some VM-based NOSes (and tcpdump users) see as corrupt.

/** The veth ends of the links, by namespace ("" is the host). */
export function vethEnds(steps: LinkStep[]): Map<string, { container?: string; ifnames: Set<string> }> {
  const byNs = new Map<string, { container?: string; ifnames: Set<string> }>();
  const add = (p: Placement | undefined) => {
    if (!p) return;
    const key = p.where === "container" ? p.container : "";
    const entry = byNs.get(key) ?? {
      ...(p.where === "container" ? { container: p.container } : {}),
      ifnames: new Set(),
    };
    entry.ifnames.add(p.iface);
    byNs.set(key, entry);
  };
  for (const s of steps) {
    switch (s.type) {
      case "veth":
      case "host":
      case "mgmt-net":
      case "vxlan-stitch":
        add(s.a);
        add(s.b);
        break;
      case "veth-stitch":
        add(s.a);
        add(s.b);
        for (const host of s.stitch ?? []) add({ where: "host", iface: host });
        break;
      default:
        // macvlan, vxlan and dummy devices are not veths.
        break;
    }
  }
  return byNs;
}

/** Turns it off; a failure is a warning (the links work, only checksums are left to the peer). */
export async function disableTxOffload(
  platform: Platform,
  steps: LinkStep[],
  pids: ReadonlyMap<string, number>,
  reporter: Reporter,
): Promise<void> {
  const failed: string[] = [];
  for (const [, { container, ifnames }] of vethEnds(steps)) {
    const pid = container ? pids.get(container) : undefined;
    if (container && !pid) continue;
    try {
      const results = await platform.txChecksumOff(pid ? `/proc/${pid}/ns/net` : undefined, [...ifnames]);
      for (const r of results) if (r.error) failed.push(`${container ?? "host"}:${r.ifname} (${r.error})`);
    } catch (error) {
      failed.push(`${container ?? "host"} (${(error as Error).message})`);
    }
  }
  if (failed.length)
    reporter.warn(
      `TX checksum offload is still on for ${failed.slice(0, 5).join(", ")}${failed.length > 5 ? ", …" : ""}`,
    );
}

/**
 * TX checksum offload off on a container's management veth (eth0): its host end, as Containerlab's
 * PostDeployEndpoints does for SR-SIM and IOL, whose management traffic otherwise arrives with
 * checksums nothing fills in, or its container end, as linux's PostDeploy. A failure is a warning.
 */
export async function disableMgmtTxOffload(
  platform: Platform,
  pid: number,
  what: string,
  reporter: Reporter,
  end: "host-end" | "container-end" = "host-end",
): Promise<void> {
  const fail = (why: string) =>
    reporter.warn(`${what}: TX checksum offload is still on for its management veth (${why})`);
  if (end === "container-end") {
    try {
      const [r] = await platform.txChecksumOff(`/proc/${pid}/ns/net`, ["eth0"]);
      if (r?.error) fail(`eth0: ${r.error}`);
    } catch (error) {
      fail((error as Error).message);
    }
    return;
  }
  // Netlink, not /sys: nsenter --net keeps the host's sysfs.
  const peer = await platform.run(inNetns({ pid }, "ip", "-j", "link", "show", "dev", "eth0"));
  const index = (JSON.parse(new TextDecoder().decode(peer.stdout) || "[]") as { link_index?: number }[])[0]?.link_index;
  if (peer.code !== 0 || !index) return fail("no veth eth0 in its namespace");
  const links = await platform.run(["ip", "-j", "link", "show"]);
  const host = (
    JSON.parse(new TextDecoder().decode(links.stdout) || "[]") as { ifindex: number; ifname: string }[]
  ).find((l) => l.ifindex === index);
  if (!host) return fail(`no host interface with index ${index}`);
  try {
    const [r] = await platform.txChecksumOff(undefined, [host.ifname]);
    if (r?.error) fail(`${host.ifname}: ${r.error}`);
  } catch (error) {
    fail((error as Error).message);
  }
}
