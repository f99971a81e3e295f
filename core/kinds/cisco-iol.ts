import { container } from "./vrnetlab.ts";

const HELP =
  "Interfaces should follow Ethernet<slot>/<port> or e<slot>/<port> naming convention, where <slot> is a number from 0-9 and <port> is a number from 0-3. You can also use ethX-based interface naming.";

/** Cisco IOL (Containerlab: nodes/iol): Ethernet<slot>/<port> is eth<slot*4+port>; e0/0 is management. */
function iolInterface(name: string): string | { error: string } {
  let mapped = name;
  if (!/eth[1-9]\d*$/.test(name) && /(e|Ethernet)((0\/[123])|([1-9]\/[0-3]))$|eth[1-9]\d*$/.test(name)) {
    const m = /(?:e|Ethernet)\s?(?<slot>\d+)\/(?<port>\d+)$/.exec(name);
    if (!m?.groups) return { error: `"${name}" missing slot or port index. ${HELP}` };
    mapped = `eth${Number(m.groups.slot) * 4 + Number(m.groups.port)}`;
  }
  if (/(eth0|e0\/0|Ethernet0\/0)$/.test(mapped))
    return { error: "management interface Ethernet0/0, e0/0 or eth0 is not allowed" };
  if (!/eth[1-9]\d*$/.test(mapped))
    return { error: `interface name "${name}" doesn't match the required pattern. ${HELP}` };
  return mapped;
}

export default container({
  name: "cisco_iol",
  aliases: [],
  credentials: { username: "admin", password: "admin" },
  platform: { scrapli: "cisco_ios", napalm: "ios" },
  interfaces: { help: HELP, map: iolInterface },
});
