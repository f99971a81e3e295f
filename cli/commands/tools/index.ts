import { defineCommand } from "citty";

const load = (m: Promise<{ default: unknown }>) => m.then((r) => r.default as ReturnType<typeof defineCommand>);

export default defineCommand({
  meta: {
    name: "tools",
    description: "Link impairments, ad-hoc veth and vxlan links, TX offload, certificates (Containerlab's tools)",
  },
  subCommands: {
    netem: () => load(import("./netem.ts")),
    veth: () => load(import("./veth.ts")),
    vxlan: () => load(import("./vxlan.ts")),
    "disable-tx-offload": () => load(import("./tx-offload.ts")),
    cert: () => load(import("./cert.ts")),
    sshx: () => load(import("./sshx.ts")),
    gotty: () => load(import("./gotty.ts")),
    "api-server": () => load(import("./api-server.ts")),
    snapshot: () => load(import("./snapshot.ts")),
  },
});
