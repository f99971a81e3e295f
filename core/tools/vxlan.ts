import { isIP } from "node:net";
import { deleteInterfaces, interfaceExists, ipBatch, routeDevice, tcBatch } from "../../runtime/net/ip.ts";
import type { Platform } from "../../runtime/platform/index.ts";
import { stitchLines } from "../deploy/links.ts";
import { LabError } from "../errors.ts";
import type { Host, HostSet } from "../hosts/hosts.ts";
import { requireName } from "../topology/names.ts";

// lab tools vxlan create / delete, as Containerlab's: a vxlan tunnel on the host (vx-<link>) joined
// by tc redirects to an existing host interface (--link, typically a host-link end of a node), so
// the node's traffic crosses to a far VTEP. A link that is a lab node's end (its ifalias says
// lab:<lab>:<node>) hands that mark to the tunnel: lab down removes both.

export interface VxlanCreate {
  remote: string;
  vni: number;
  link: string;
  dev?: string;
  dstPort?: number;
  srcPort?: number;
  mtu?: number;
}

/** Containerlab's default destination port for these tunnels (cmd/options.go defaultVxlanPort). */
export const TOOLS_VXLAN_PORT = 14789;

const alias = (platform: Platform, name: string) =>
  platform.readText(`/sys/class/net/${name}/ifalias`).then(
    (t) => t.trim(),
    () => "",
  );

/** vx-<link>, as Containerlab names it; Linux's 15 characters permitting. */
export function tunnelName(link: string): string {
  const name = `vx-${link}`;
  if (name.length > 15)
    throw new LabError("usage", `the tunnel's name ${name} would be longer than Linux's 15 characters`, {
      hint: "Use a --link with a name of at most 12 characters",
    });
  return name;
}

export async function createVxlan(
  platform: Platform,
  o: VxlanCreate,
): Promise<{ name: string; parent: string; owner: string }> {
  if (!Number.isInteger(o.vni) || o.vni < 1 || o.vni > 16777215)
    throw new LabError("usage", `--id ${o.vni} is not a VNI (1–16777215)`);
  if (!isIP(o.remote))
    throw new LabError("usage", `--remote ${JSON.stringify(o.remote)} is not an IPv4 or IPv6 address`);
  requireName("host-interface", o.link, "--link");
  if (o.dev !== undefined) requireName("host-interface", o.dev, "--dev");
  for (const [flag, port] of [
    ["--dst-port", o.dstPort],
    ["--src-port", o.srcPort],
  ] as const)
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
      throw new LabError("usage", `${flag} ${port} is not a UDP port`);
  if (!(await interfaceExists(platform, o.link)))
    throw new LabError("not-found", `host interface ${o.link} (--link) does not exist`, {
      hint: "Give the host end of a node's link, e.g. one made by a host link or lab tools veth create",
    });
  const name = tunnelName(o.link);
  if (await interfaceExists(platform, name))
    throw new LabError("conflict", `${name} already exists`, { hint: `lab tools vxlan delete --name ${name}` });
  const parent = o.dev ?? (await routeDevice(platform, o.remote));
  if (!parent)
    throw new LabError("input", `this host has no route to the vxlan remote ${o.remote}`, {
      hint: "Add one, or name the underlay with --dev",
    });
  if (o.dev && !(await interfaceExists(platform, o.dev)))
    throw new LabError("not-found", `host interface ${o.dev} (--dev) does not exist`);
  const owner = await alias(platform, o.link);
  const what = `vxlan ${name} to ${o.remote}`;
  const src = o.srcPort ? ["srcport", String(o.srcPort), String(o.srcPort + 1)] : [];
  await ipBatch(platform, [
    {
      argv: [
        ...[
          "link",
          "add",
          "name",
          name,
          ...(o.mtu ? ["mtu", String(o.mtu)] : []),
          "type",
          "vxlan",
          "id",
          String(o.vni),
        ],
        ...["remote", o.remote, "dstport", String(o.dstPort ?? TOOLS_VXLAN_PORT), "dev", parent, ...src],
      ],
      what,
    },
    ...(owner.startsWith("lab:") ? [{ argv: ["link", "set", "dev", name, "alias", owner], what }] : []),
    { argv: ["link", "set", "dev", name, "up"], what },
    { argv: ["link", "set", "dev", o.link, "up"], what },
  ]);
  // A stitch left from an earlier tunnel on this link (deleted since) would refuse the new one.
  await platform.run(["tc", "qdisc", "del", "dev", o.link, "ingress"]);
  try {
    await tcBatch(platform, stitchLines([o.link, name], what));
  } catch (error) {
    await deleteInterfaces(platform, [name]);
    throw error;
  }
  return { name, parent, owner };
}

/** Deletes vxlan interfaces: one by --name, or every one whose name starts with --prefix. */
export async function deleteVxlans(platform: Platform, by: { prefix?: string; name?: string }): Promise<string[]> {
  const isVxlan = (n: string) =>
    platform.readText(`/sys/class/net/${n}/uevent`).then(
      (t) => /^DEVTYPE=vxlan$/m.test(t),
      () => false,
    );
  if (by.name) {
    requireName("interface", by.name, "--name");
    if (!(await interfaceExists(platform, by.name)))
      throw new LabError("not-found", `vxlan interface ${by.name} not found`);
    if (!(await isVxlan(by.name))) throw new LabError("usage", `interface ${by.name} is not a vxlan interface`);
    await deleteInterfaces(platform, [by.name]);
    return [by.name];
  }
  if (!by.prefix) throw new LabError("usage", "name what to delete: --prefix PREFIX or --name NAME");
  const names = (await platform.list("/sys/class/net")).filter((n) => n.startsWith(by.prefix as string));
  const vxlans: string[] = [];
  for (const n of names) if (await isVxlan(n)) vxlans.push(n);
  await deleteInterfaces(platform, vxlans);
  return vxlans;
}

/**
 * The host of a lab over several machines whose `--link` interface the tunnel goes on (the host end
 * of a node's link is on the node's host); this machine when the lab has no other host.
 */
export async function hostWithLink(hosts: HostSet, link: string): Promise<Host> {
  if (!hosts.remotes.length) return hosts.local;
  const having = [];
  for (const h of hosts.all) if (await interfaceExists(h.platform, link)) having.push(h);
  const [only, second] = having;
  if (!only)
    throw new LabError("not-found", `host interface ${link} (--link) does not exist on any host of the lab`, {
      hint: `looked on ${hosts.all.map((h) => h.name).join(", ")}`,
    });
  if (second)
    throw new LabError(
      "usage",
      `host interface ${link} (--link) exists on ${having.map((h) => h.name).join(" and ")}`,
      {
        hint: "Give the link a name that is unique across the lab's hosts",
      },
    );
  return only;
}
