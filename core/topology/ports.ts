// `ports:` entries in the `docker run -p` syntax: [ip:][hostPort[-end]:]containerPort[-end][/proto].

export interface PortMapping {
  hostIp: string;
  /** "" lets Docker pick; "8000-8010" lets it pick within a range. */
  hostPort: string;
  containerPort: number;
  protocol: "tcp" | "udp" | "sctp";
}

function range(text: string): [number, number] | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 1 || end > 65535 || end < start) return undefined;
  return [start, end];
}

/** Parses one spec; returns an error sentence instead of throwing so all errors can be collected. */
export function parsePortSpec(spec: string | number): PortMapping[] | string {
  let text = String(spec).trim();
  let protocol: PortMapping["protocol"] = "tcp";
  const slash = text.lastIndexOf("/");
  if (slash >= 0) {
    const proto = text.slice(slash + 1).toLowerCase();
    if (proto !== "tcp" && proto !== "udp" && proto !== "sctp") return `"${spec}": protocol must be tcp, udp or sctp`;
    protocol = proto;
    text = text.slice(0, slash);
  }
  let hostIp = "";
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(text);
  if (v6) {
    hostIp = v6[1] as string;
    text = v6[2] as string;
  }
  const parts = text.split(":");
  if (!v6 && parts.length === 3) hostIp = parts.shift() as string;
  if (parts.length > 2 || (v6 && parts.length !== 2)) {
    return `"${spec}" is not in the form [ip:][hostPort:]containerPort[/proto]`;
  }
  const containerText = parts.at(-1) as string;
  const hostText = parts.length === 2 ? (parts[0] as string) : "";
  const container = range(containerText);
  if (!container) return `"${spec}": container port must be 1-65535 (or a range a-b)`;
  if (hostIp && !/^[0-9.]+$/.test(hostIp) && !v6) return `"${spec}": host address ${hostIp} is not an IP address`;
  const host = hostText ? range(hostText) : undefined;
  if (hostText && !host) return `"${spec}": host port must be 1-65535 (or a range a-b)`;
  const count = container[1] - container[0] + 1;
  const out: PortMapping[] = [];
  if (host && host[1] - host[0] + 1 !== count) {
    if (count !== 1) return `"${spec}": host and container port ranges differ in length`;
    return [{ hostIp, hostPort: `${host[0]}-${host[1]}`, containerPort: container[0], protocol }];
  }
  for (let i = 0; i < count; i++) {
    out.push({ hostIp, hostPort: host ? String(host[0] + i) : "", containerPort: container[0] + i, protocol });
  }
  return out;
}
