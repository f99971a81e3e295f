import { stringify } from "yaml";
import { LabError } from "../errors.ts";
import { findKind } from "../kinds/index.ts";

// lab generate: Containerlab's Clos generator (cmd/generate.go). Each --nodes entry is a stage;
// every node of a stage links to every node of the next. Nodes are <prefix><stage>-<n> in group
// <group-prefix>-<stage>; interface names follow each kind's generate format.

/** Containerlab's generateIfFormat per kind (nodes/*: generateable kinds only). */
const IF_FORMATS: Record<string, string> = {
  "6wind_vsr": "eth%d",
  arista_ceos: "eth%d",
  arista_veos: "Et1/%d",
  bridge: "eth%d",
  ciena_saos: "eth%d",
  cisco_c8000v: "eth%d",
  cisco_cat9kv: "eth%d",
  cisco_ftdv: "eth%d",
  cisco_iol: "eth%d",
  cisco_sdwan: "eth%d",
  cisco_xrd: "eth%d",
  cisco_xrd_vrouter: "Te0/0/0/%d",
  cisco_xrv9k: "Gi0/0/0/%d",
  dell_sonic: "eth%d",
  fdio_vpp: "eth%d",
  fortinet_fortigate: "eth%d",
  freebsd: "eth%d",
  generic_vm: "eth%d",
  huawei_vrp: "eth%d",
  juniper_crpd: "eth%d",
  juniper_csrx: "eth%d",
  juniper_vjunosevolved: "et-0/0/%d",
  juniper_vjunosrouter: "et-0/0/%d",
  juniper_vmx: "ge-0/0/%d",
  juniper_vqfx: "ge-0/0/%d",
  juniper_vsrx: "ge-0/0/%d",
  linux: "eth%d",
  nokia_srlinux: "e1-%d",
  nokia_sros: "1/1/%d",
  nvidia_cumulusvx: "swp%d",
  openbsd: "eth%d",
  openwrt: "eth%d",
  plvision_sonic: "eth%d",
  rare: "eth%d",
  "sonic-vm": "eth%d",
  "sonic-vs": "eth%d",
  spirent_stc: "eth%d",
  veesix_osvbng: "eth%d",
  vyosnetworks_vyos: "eth%d",
};

export interface Stage {
  count: number;
  kind: string;
  type?: string;
}

export interface ClosOptions {
  name: string;
  stages: Stage[];
  /** Image (and license) per kind: from --image [kind=]image. */
  images: Record<string, string>;
  licenses: Record<string, string>;
  nodePrefix: string;
  groupPrefix: string;
  network?: string;
  ipv4Subnet?: string;
  ipv6Subnet?: string;
  /** false: nodes run unprivileged (defaults.privileged: false), for hosts that cannot run privileged containers. */
  privileged?: boolean;
}

function ifFormat(kind: string): string {
  const canonical = findKind(kind)?.name ?? kind;
  const format = IF_FORMATS[canonical];
  if (!format)
    throw new LabError("usage", `kind ${kind} cannot be generated`, {
      hint: `generateable kinds: ${Object.keys(IF_FORMATS).join(", ")}`,
    });
  return format;
}

/** Containerlab's --nodes: N, N:kind or N:kind:type per stage (kind defaults to --kind). */
export function parseStages(values: string[], kind: string): Stage[] {
  if (!values.length) throw new LabError("usage", "no nodes given", { hint: "Use --nodes 2,4 (a stage each)" });
  return values.map((v) => {
    const [n, k, t] = v.split(":");
    const count = Number(n);
    if (!Number.isInteger(count) || count < 1)
      throw new LabError("usage", `--nodes ${v}: ${n} is not a number of nodes`);
    return { count, kind: k || kind, ...(t ? { type: t } : {}) };
  });
}

/** Containerlab's [kind=]value lists (--image, --license): a value without kind= is --kind's. */
export function parseKindValues(values: string[], kind: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf("=");
    const [k, value] = eq > 0 ? [v.slice(0, eq), v.slice(eq + 1)] : [kind, v];
    if (k in out) throw new LabError("usage", `${flag} gives kind ${k} twice`);
    out[k] = value;
  }
  return out;
}

export function generateClos(o: ClosOptions): string {
  if (!o.name) throw new LabError("usage", "lab generate needs a lab name", { hint: "Use --name" });
  for (const s of o.stages) ifFormat(s.kind);
  const node = (stage: number, n: number) => `${o.nodePrefix}${stage}-${n}`;
  const nodes: Record<string, Record<string, string>> = {};
  const add = (stage: number, n: number) => {
    const s = o.stages[stage - 1] as Stage;
    nodes[node(stage, n)] ??= { kind: s.kind, group: `${o.groupPrefix}-${stage}`, ...(s.type ? { type: s.type } : {}) };
  };
  const links: { endpoints: [string, string] }[] = [];
  if (o.stages.length === 1) for (let j = 1; j <= (o.stages[0] as Stage).count; j++) add(1, j);
  for (let i = 0; i < o.stages.length - 1; i++) {
    const [here, next] = [o.stages[i] as Stage, o.stages[i + 1] as Stage];
    const offset = i > 0 ? (o.stages[i - 1] as Stage).count : 0;
    for (let j = 1; j <= here.count; j++) {
      add(i + 1, j);
      for (let k = 1; k <= next.count; k++) {
        add(i + 2, k);
        links.push({
          endpoints: [
            `${node(i + 1, j)}:${ifFormat(here.kind).replace("%d", String(k + offset))}`,
            `${node(i + 2, k)}:${ifFormat(next.kind).replace("%d", String(j))}`,
          ],
        });
      }
    }
  }
  const kinds: Record<string, Record<string, string>> = {};
  for (const [k, image] of Object.entries(o.images)) kinds[k] = { image };
  for (const [k, license] of Object.entries(o.licenses)) kinds[k] = { ...(kinds[k] ?? {}), license };
  const mgmt = {
    ...(o.network ? { network: o.network } : {}),
    ...(o.ipv4Subnet ? { "ipv4-subnet": o.ipv4Subnet } : {}),
    ...(o.ipv6Subnet ? { "ipv6-subnet": o.ipv6Subnet } : {}),
  };
  const sorted = Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => (a < b ? -1 : 1)));
  return stringify(
    {
      name: o.name,
      ...(Object.keys(mgmt).length ? { mgmt } : {}),
      topology: {
        ...(o.privileged === false ? { defaults: { privileged: false } } : {}),
        ...(Object.keys(kinds).length ? { kinds } : {}),
        nodes: sorted,
        links,
      },
    },
    { lineWidth: 0 },
  );
}
