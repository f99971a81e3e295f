import { LabError } from "../errors.ts";

// The one checker for names that reach the kernel, the engine or another program's command line:
// interface and bridge names, altnames, NOS port names as written in a topology, node, lab, network
// and container names. Topology text is data: a name is checked where it is read (lab validate and
// every command), and one that breaks a rule is refused with the rule it broke, before anything runs.
//
// The rules are Linux's (dev_valid_name: at most IFNAMSIZ-1 = 15 bytes, not "." or "..", no "/",
// ":" or whitespace; altnames up to ALTIFNAMSIZ-1 = 127 bytes), the engine's (Docker's container and
// network names: [a-zA-Z0-9][a-zA-Z0-9_.-]*) and Containerlab's (IsValidInterfaceName: at most 15,
// no space or "/"; longer or such names become an altname, "/" and " " turned into "-"). lab is
// stricter than the kernel where the kernel's rule would let a name change the meaning of text lab
// writes for another program: no control characters, no non-ASCII, no shell or iproute2-batch
// syntax (; $ ` ( ) ' " \ # | & < > * ? ! { } [ ]).

/** Linux's longest interface name (IFNAMSIZ - 1) and altname (ALTIFNAMSIZ - 1). */
export const IFNAME_MAX = 15;
export const ALTNAME_MAX = 127;

/** Characters of a name lab hands to the kernel as an interface or altname. */
const KERNEL_CHARS = /^[A-Za-z0-9_.@+=~%,-]+$/;
/** A NOS port name as written (ethernet-1/1, 1/1/c1/1, et-0/0/0:1, "Gi 0/1"): also "/", ":" and spaces. */
const NOS_CHARS = /^[A-Za-z0-9_.@+=~%,/: -]+$/;
/** Docker's container and network names (daemon/names: RestrictedNameChars). */
const ENGINE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export type NameKind =
  | "interface"
  | "altname"
  | "host-interface"
  | "nos-interface"
  | "bridge"
  | "node"
  | "lab"
  | "network"
  | "container";

/** A printable description of what a name may not hold, for the error's hint. */
function charProblem(name: string): string | undefined {
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return "holds a control character (newline, tab, NUL …)";
  if ([...name].some((c) => c.charCodeAt(0) > 0x7e)) return "holds a non-ASCII character";
  if (/\s/.test(name)) return "holds whitespace";
  return undefined;
}

function kernelName(name: string, max: number, what: string): string | undefined {
  if (!name) return `an empty ${what}`;
  const chars = charProblem(name);
  if (chars) return chars;
  if (name === "." || name === "..") return `"${name}" is not a ${what}`;
  if (/[/:]/.test(name)) return `holds "/" or ":", which Linux refuses in a ${what}`;
  if (!KERNEL_CHARS.test(name)) return `holds ${JSON.stringify(name.replace(/[A-Za-z0-9_.@+=~%,-]/g, "")[0])}`;
  // ASCII only by now: a character is a byte.
  if (name.length > max) return `is ${name.length} bytes, over Linux's ${max} for a ${what}`;
  return undefined;
}

const RULES: Record<NameKind, (name: string) => string | undefined> = {
  // A name given to the kernel as it is: a link end, a bridge, a vxlan parent.
  interface: (n) => kernelName(n, IFNAME_MAX, "interface name"),
  bridge: (n) => kernelName(n, IFNAME_MAX, "bridge name"),
  altname: (n) => kernelName(n, ALTNAME_MAX, "altname"),
  // A host-side name: up to 15 bytes is the name, longer ones become an altname (as Containerlab's).
  "host-interface": (n) => kernelName(n, ALTNAME_MAX, "host interface name"),
  // A NOS port name: the kind maps it, or it becomes an altname with "/" and " " as "-".
  "nos-interface": (n) => {
    if (!n) return "an empty interface name";
    if (n === "." || n === "..") return `"${n}" is not an interface name`;
    const chars = charProblem(n.replaceAll(" ", "_"));
    if (chars) return chars;
    if (!NOS_CHARS.test(n)) return `holds ${JSON.stringify(n.replace(/[A-Za-z0-9_.@+=~%,/: -]/g, "")[0])}`;
    if (n.length > ALTNAME_MAX) return `is ${n.length} bytes, over Linux's ${ALTNAME_MAX} for an altname`;
    return undefined;
  },
  node: (n) =>
    /^[a-zA-Z0-9][a-zA-Z0-9-._|]*$/.test(n)
      ? undefined
      : "must start with a letter or digit and hold only letters, digits, - . _ (and | for a bridge in a node)",
  lab: (n) =>
    ENGINE_NAME.test(n) ? undefined : "must start with a letter or digit and hold only letters, digits, - . _",
  network: (n) =>
    ENGINE_NAME.test(n) ? undefined : "must start with a letter or digit and hold only letters, digits, - . _",
  container: (n) =>
    ENGINE_NAME.test(n) ? undefined : "must start with a letter or digit and hold only letters, digits, - . _",
};

/** What is wrong with `name` as a `kind` name, or undefined when it is fine. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  return RULES[kind](name);
}

/** Containerlab's altname for a NOS name that cannot be a Linux name: "/" and " " become "-". */
export const sanitizedIfname = (name: string) => name.replaceAll(/[/ ]/g, "-");

/** Whether the kernel takes `name` as an interface name as it is (else lab gives it an altname). */
export const isKernelIfname = (name: string) => nameProblem("interface", name) === undefined;

/** A flag's value checked as a `kind` name: a usage error naming the flag and the rule broken. */
export function requireName(kind: NameKind, value: string, flag: string): string {
  const problem = nameProblem(kind, value);
  if (problem)
    throw new LabError("usage", `${flag} ${JSON.stringify(value)} is not a valid ${kind} name: it ${problem}`);
  return value;
}
