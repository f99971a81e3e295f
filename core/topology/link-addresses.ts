import type { Diagnostic, KeyPath, SourceMap } from "./diagnostics.ts";
import { cidrContains, formatIP, parseCidr, parseIP } from "./ip.ts";
import type { Endpoint, LinkModel } from "./model.ts";
import type { RawEndpoint, RawLink } from "./schema.ts";

export interface EndpointAddresses {
  ipv4?: string;
  ipv6?: string;
  vars?: Record<string, unknown>;
}

type Family = "ipv4" | "ipv6";

/** A prefix as netip.ParsePrefix reads it (`addr/bits`), written back in canonical form. */
function parsePrefix(text: string, family: Family): string | undefined {
  const [addr, bits, extra] = text.split("/");
  if (!addr || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return undefined;
  const ip = parseIP(addr);
  if (!ip || ip.family !== (family === "ipv4" ? 4 : 6) || Number(bits) > (ip.family === 4 ? 32 : 128)) return undefined;
  return `${formatIP(ip)}/${Number(bits)}`;
}

/**
 * The addresses of a link's endpoints, as Containerlab reads them: a link-level `ipv4: [a, b]` list
 * gives them in endpoint order ("" for none), an endpoint's own `ipv4:` wins over it.
 */
export function endpointAddresses(
  link: RawLink,
  eps: (RawEndpoint | undefined)[],
  count: number,
  path: KeyPath,
  err: (path: KeyPath, message: string) => void,
  goValue: (path: KeyPath) => unknown = () => undefined,
): EndpointAddresses[] {
  const out: EndpointAddresses[] = Array.from({ length: count }, () => ({}));
  for (const family of ["ipv4", "ipv6"] as const) {
    const list = "ipv4" in link ? (link[family] as string[] | undefined) : undefined;
    if (list?.length) {
      if (list.length > count) {
        err([...path, family], `number of defined ${family} vars exceed number of endpoints`);
        continue;
      }
      list.forEach((text, i) => {
        const value = text.trim();
        if (!value) return;
        const prefix = parsePrefix(value, family);
        if (!prefix) {
          const other = parsePrefix(value, family === "ipv4" ? "ipv6" : "ipv4");
          err(
            [...path, family, i],
            other
              ? `endpoint ${family} var has non-${family === "ipv4" ? "IPv4" : "IPv6"} prefix "${value}"`
              : `endpoint ${family} var has invalid prefix "${value}" (write address/length, e.g. ${family === "ipv4" ? "192.168.0.1/24" : "2001:db8::1/64"})`,
          );
          return;
        }
        (out[i] as EndpointAddresses)[family] = prefix;
      });
    }
  }
  eps.forEach((ep, i) => {
    if (!ep) return;
    const at = count === 1 ? [...path, "endpoint"] : [...path, "endpoints", i];
    for (const family of ["ipv4", "ipv6"] as const) {
      const value = ep[family];
      if (!value) continue;
      const prefix = parsePrefix(value, family);
      if (!prefix) {
        err(
          [...at, family],
          `invalid ${family} address "${value}" for ${ep.node}:${ep.interface} (write address/length)`,
        );
        continue;
      }
      (out[i] as EndpointAddresses)[family] = prefix;
    }
    if (ep.vars && Object.keys(ep.vars).length)
      (out[i] as EndpointAddresses).vars = (goValue([...at, "vars"]) ?? ep.vars) as Record<string, unknown>;
  });
  return out;
}

/** Every address in the lab once, and the two ends of a link in one subnet (else a warning). */
export class AddressBook {
  private readonly seen = new Map<string, { who: string; path: KeyPath }>();

  constructor(
    private readonly map: SourceMap,
    private readonly diagnostics: Diagnostic[],
    private readonly warnings: Diagnostic[],
  ) {}

  add(link: LinkModel, path: KeyPath): void {
    const ends: { who: string; ipv4?: string; ipv6?: string }[] = [];
    const ep = (e: Endpoint) => ({ who: `${e.node}:${e.alias ?? e.iface}`, ipv4: e.ipv4, ipv6: e.ipv6 });
    if (link.type === "veth" || link.type === "veth-stitch") ends.push(ep(link.a), ep(link.b));
    else ends.push(ep(link.endpoint));
    if ((link.type === "host" || link.type === "mgmt-net") && link.hostAddresses)
      ends.push({ who: `host:${link.hostInterface}`, ...link.hostAddresses });
    for (const end of ends) {
      for (const family of ["ipv4", "ipv6"] as const) {
        const prefix = end[family];
        if (!prefix) continue;
        const key = `${family}:${prefix.split("/")[0]}`;
        const first = this.seen.get(key);
        if (first)
          this.diagnostics.push(
            this.map.at(
              path,
              `address ${prefix.split("/")[0]} of ${end.who} is also the address of ${first.who}`,
              `first used at line ${this.map.locate(first.path).line ?? "?"}; addresses must be unique in the lab`,
            ),
          );
        else this.seen.set(key, { who: end.who, path });
      }
    }
    if (ends.length < 2) return;
    const [a, b] = ends as [(typeof ends)[0], (typeof ends)[0]];
    for (const family of ["ipv4", "ipv6"] as const) {
      const x = a[family];
      const y = b[family];
      if (!x || !y) continue;
      const cx = parseCidr(x);
      const ipY = parseIP(y.split("/")[0] as string);
      if (cx && ipY && (!cidrContains(cx, ipY) || x.split("/")[1] !== y.split("/")[1]))
        this.warnings.push(
          this.map.at(path, `${a.who} (${x}) and ${b.who} (${y}) are not in one subnet`, "Check the link's addresses"),
        );
    }
  }
}
