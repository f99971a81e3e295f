import * as v from "valibot";
import { type NameKind, nameProblem } from "./names.ts";

// The raw topology file, key for key as Containerlab's clab.schema.json and its strict YAML decoding
// accept it. Semantics (inheritance, kinds, links) are resolved later against the whole file.

const str = v.string();
/** A string that must be a `kind` name (core/topology/names.ts: the one checker). */
const named = (kind: NameKind, what: string) =>
  v.pipe(
    str,
    v.check(
      (s) => nameProblem(kind, s) === undefined,
      (issue) => `is not ${what}: it ${nameProblem(kind, String(issue.input))}`,
    ),
  );

/** Pseudo-nodes a brief link may name instead of a lab node, and the host-side name they take. */
const HOST_SIDE = new Set(["host", "mgmt-net", "macvlan"]);

/** "node:interface" of a brief link: the node's name and the interface's, each by its own rule. */
function briefEndpointProblem(text: string): string | undefined {
  const i = text.indexOf(":");
  if (i < 1 || i === text.length - 1) return 'must be "node:interface"';
  const [node, iface] = [text.slice(0, i), text.slice(i + 1)];
  if (!HOST_SIDE.has(node)) {
    const bad = nameProblem("node", node);
    if (bad) return `names node "${node}", which ${bad}`;
  }
  const kind: NameKind = HOST_SIDE.has(node) ? "host-interface" : "nos-interface";
  const bad = nameProblem(kind, iface);
  return bad ? `has an interface name that ${bad}` : undefined;
}
const briefEndpoint = v.pipe(
  str,
  v.check(
    (s) => briefEndpointProblem(s) === undefined,
    (issue) => briefEndpointProblem(String(issue.input)) as string,
  ),
);
const stringList = v.array(str);
// Go's structs take strings here; a number or boolean written in the file is read as its text
// (see stringsAsWritten in load.ts), so these schemas only accept strings.
const stringMap = v.record(v.string(), str);
const mtu = v.pipe(v.number(), v.minValue(1), v.maxValue(65535));
const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));

export const STAGES = ["create", "create-links", "configure", "healthy", "exit"] as const;

const stageExecList = v.array(str);
const stageExec = v.union([
  v.strictObject({ "on-enter": v.optional(stageExecList), "on-exit": v.optional(stageExecList) }),
  v.array(
    v.strictObject({
      command: str,
      target: v.optional(v.picklist(["container", "host"])),
      phase: v.picklist(["on-enter", "on-exit"]),
    }),
  ),
]);
const stage = v.strictObject({
  "wait-for": v.optional(v.array(v.strictObject({ node: str, stage: v.optional(v.picklist(STAGES)) }))),
  exec: v.optional(stageExec),
});

export const nodeKeys = {
  kind: v.optional(str),
  group: v.optional(str),
  type: v.optional(str),
  image: v.optional(str),
  "image-pull-policy": v.optional(v.picklist(["always", "Always", "never", "Never", "ifnotpresent", "IfNotPresent"])),
  "restart-policy": v.optional(
    v.picklist(["no", "No", "on-failure", "On-failure", "Always", "always", "unless-stopped", "Unless-stopped"]),
  ),
  license: v.optional(str),
  "startup-config": v.optional(str),
  "startup-delay": v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  "enforce-startup-config": v.optional(v.boolean()),
  "suppress-startup-config": v.optional(v.boolean()),
  "auto-remove": v.optional(v.boolean()),
  exec: v.optional(stringList),
  binds: v.optional(stringList),
  volumes: v.optional(stringList),
  ports: v.optional(v.array(str)),
  env: v.optional(stringMap),
  "env-files": v.optional(stringList),
  credentials: v.optional(
    v.strictObject({ username: v.optional(str), password: v.optional(str), "identity-file": v.optional(str) }),
  ),
  user: v.optional(v.pipe(str, v.minLength(1))),
  hostname: v.optional(v.pipe(str, v.minLength(1))),
  entrypoint: v.optional(str),
  cmd: v.optional(str),
  labels: v.optional(stringMap),
  runtime: v.optional(v.picklist(["docker", "podman"])),
  "mgmt-ipv4": v.optional(str),
  "mgmt-ipv6": v.optional(str),
  "network-mode": v.optional(
    v.pipe(
      str,
      v.regex(/^(host|none|container:\S+)$/, 'must be "host", "none" or "container:<name>"'),
      v.check(
        (s) => !s.startsWith("container:") || nameProblem("container", s.slice(10)) === undefined,
        (issue) => `names a container that ${nameProblem("container", String(issue.input).slice(10))}`,
      ),
    ),
  ),
  "link-apply-mode": v.optional(v.picklist(["live", "restart", "recreate"])),
  cpu: v.optional(v.pipe(v.number(), v.minValue(0))),
  memory: v.optional(str),
  "cpu-set": v.optional(str),
  extras: v.optional(v.record(v.string(), v.unknown())),
  config: v.optional(v.strictObject({ vars: v.optional(v.record(v.string(), v.unknown())) })),
  stages: v.optional(
    v.strictObject({
      create: v.optional(stage),
      "create-links": v.optional(stage),
      configure: v.optional(stage),
      healthy: v.optional(stage),
      exit: v.optional(stage),
    }),
  ),
  dns: v.optional(
    v.strictObject({
      servers: v.optional(stringList),
      search: v.optional(stringList),
      options: v.optional(stringList),
    }),
  ),
  certificate: v.optional(
    v.strictObject({
      issue: v.optional(v.unknown()),
      sans: v.optional(stringList),
      "key-size": v.optional(v.number()),
      "validity-duration": v.optional(str),
    }),
  ),
  healthcheck: v.optional(
    v.strictObject({
      test: v.optional(stringList),
      interval: v.optional(v.number()),
      retries: v.optional(v.number()),
      timeout: v.optional(v.number()),
      "start-period": v.optional(v.number()),
    }),
  ),
  components: v.optional(v.array(v.record(v.string(), v.unknown()))),
  aliases: v.optional(stringList),
  "shm-size": v.optional(str),
  "cap-add": v.optional(stringList),
  privileged: v.optional(v.boolean()),
  "cgroupns-mode": v.optional(v.picklist(["host", "private"])),
  "cgroup-parent": v.optional(str),
  "pid-mode": v.optional(str),
  tmpfs: v.optional(v.record(v.string(), str)),
  "security-opts": v.optional(stringList),
  sysctls: v.optional(stringMap),
  devices: v.optional(stringList),
  // Not in Containerlab's schema any more (removed with its mysocket support); lab share reads it.
  publish: v.optional(v.array(str)),
};

export const NodeSchema = v.strictObject(nodeKeys);
export type RawNode = v.InferOutput<typeof NodeSchema>;

const endpoint = v.strictObject({
  node: named("node", "a node name"),
  interface: named("nos-interface", "an interface name"),
  mac: v.optional(v.pipe(str, v.regex(/^(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/, "must be a MAC address"))),
  ipv4: v.optional(str),
  ipv6: v.optional(str),
  vars: v.optional(v.record(v.string(), v.unknown())),
});
export type RawEndpoint = v.InferOutput<typeof endpoint>;

const linkCommon = {
  mtu: v.optional(mtu),
  vars: v.optional(v.record(v.string(), v.unknown())),
  labels: v.optional(stringMap),
};
const hostSide = { endpoint, "host-interface": named("host-interface", "a host interface name"), ...linkCommon };

export const BriefLinkSchema = v.strictObject({
  endpoints: v.pipe(v.tuple([briefEndpoint, briefEndpoint])),
  mtu: v.optional(mtu),
  ipv4: v.optional(stringList),
  ipv6: v.optional(stringList),
  vars: v.optional(v.record(v.string(), v.unknown())),
  labels: v.optional(stringMap),
});

export const TypedLinkSchema = v.variant("type", [
  v.strictObject({
    type: v.literal("veth"),
    endpoints: v.tuple([endpoint, endpoint]),
    ipv4: v.optional(stringList),
    ipv6: v.optional(stringList),
    ...linkCommon,
  }),
  v.strictObject({ type: v.literal("veth-stitch"), endpoints: v.tuple([endpoint, endpoint]), ...linkCommon }),
  v.strictObject({ type: v.literal("mgmt-net"), ...hostSide }),
  v.strictObject({
    type: v.literal("macvlan"),
    ...hostSide,
    mode: v.optional(v.picklist(["private", "vepa", "bridge", "passthru", "source"])),
  }),
  v.strictObject({ type: v.literal("host"), ...hostSide }),
  v.strictObject({
    type: v.literal("vxlan"),
    endpoint,
    remote: str,
    vni: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16777215)),
    "dst-port": port,
    "src-port": v.optional(port),
    "parent-interface": v.optional(named("interface", "an interface name")),
    ...linkCommon,
  }),
  v.strictObject({
    type: v.literal("vxlan-stitch"),
    endpoint,
    remote: str,
    vni: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16777215)),
    "dst-port": port,
    "src-port": v.optional(port),
    ...linkCommon,
  }),
  v.strictObject({ type: v.literal("dummy"), endpoint, ...linkCommon }),
]);
export type RawBriefLink = v.InferOutput<typeof BriefLinkSchema>;
export type RawTypedLink = v.InferOutput<typeof TypedLinkSchema>;
export type RawLink = RawBriefLink | RawTypedLink;

export const MgmtSchema = v.strictObject({
  network: v.optional(named("network", "a network name")),
  bridge: v.optional(named("bridge", "a bridge name")),
  "ipv4-subnet": v.optional(str),
  "ipv6-subnet": v.optional(str),
  // Deprecated spellings Containerlab still reads.
  ipv4_subnet: v.optional(str),
  ipv6_subnet: v.optional(str),
  "ipv4-gw": v.optional(str),
  "ipv6-gw": v.optional(str),
  "ipv4-range": v.optional(str),
  "ipv6-range": v.optional(str),
  mtu: v.optional(mtu),
  "external-access": v.optional(v.boolean()),
  "skip-when-unused": v.optional(v.boolean()),
  "driver-opts": v.optional(stringMap),
});

export const TopologySchema = v.strictObject({
  name: named("lab", "a lab name"),
  prefix: v.optional(v.pipe(str, v.regex(/^$|^__lab-name$|^[a-zA-Z0-9][a-zA-Z0-9-._]*$/, "is not a valid prefix"))),
  mgmt: v.optional(MgmtSchema),
  settings: v.optional(
    v.strictObject({
      "certificate-authority": v.optional(
        v.strictObject({
          cert: v.optional(str),
          key: v.optional(str),
          "key-size": v.optional(v.number()),
          "validity-duration": v.optional(str),
        }),
      ),
    }),
  ),
  debug: v.optional(v.nullable(v.boolean())),
  topology: v.strictObject({
    nodes: v.optional(v.record(named("node", "a node name"), v.nullable(NodeSchema))),
    groups: v.optional(v.record(str, v.nullable(NodeSchema))),
    kinds: v.optional(v.record(str, v.nullable(NodeSchema))),
    defaults: v.optional(v.nullable(NodeSchema)),
    // Each link is checked on its own against the schema its `type` selects (see load.ts), so an
    // error names that schema's keys instead of a union of all of them.
    links: v.optional(v.nullable(v.array(v.unknown()))),
  }),
});
export type RawTopology = v.InferOutput<typeof TopologySchema>;
