import { describe, expect, test } from "bun:test";
import { srsimPostDeploy } from "./srsim-post-deploy.ts";
import type { PostDeployContext, RunningNode } from "./types.ts";

// The RPCs and commands below are Containerlab's, written out from its code (never lab's constants):
// nodes/sros/sros.go buildPKIImportXML (etree, as written), buildTLSProfileXML inside scrapligo's
// EditConfig("candidate", …) and Commit(), netconf/netconf.go SaveRunningConfig →
// CopyConfig("running", "startup"), and saveConfigWithAddr's classic commands.
const pki = (file: string, type: string) =>
  '<action xmlns="urn:ietf:params:xml:ns:yang:1"><admin xmlns="urn:nokia.com:sros:ns:yang:sr:oper-admin">' +
  `<system><security><pki><import><input-url>cf3:/${file}</input-url><output-file>${file}</output-file>` +
  `<type>${type}</type><format>pem</format></import></pki></security></system></admin></action>`;
const TLS_PROFILE =
  "<edit-config><target><candidate/></target><config>" +
  '<configure xmlns="urn:nokia.com:sros:ns:yang:sr:conf" xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">' +
  '<system><security><tls><cert-profile nc:operation="merge"><cert-profile-name>clab-grpc-certs</cert-profile-name>' +
  "<admin-state>enable</admin-state></cert-profile></tls></security></system></configure></config></edit-config>";
const COPY_RUNNING_TO_STARTUP = "<copy-config><target><startup/></target><source><running/></source></copy-config>";

/** A fake node: records what post-deploy does to it, in order. */
function fake(node: Partial<RunningNode>, opts: { booted?: boolean; log?: string[] } = {}) {
  const did: string[] = [];
  const ctx = {
    node: { name: "pe", mgmtIntf: "eth0", links: [], peers: [{ name: "pe", ipv4: "172.20.20.9" }], ...node },
    exec: async (cmd: string[]) => {
      did.push(`exec ${cmd.join(" ").split("\n")[0]}`);
      return { code: cmd[0] === "/usr/bin/pgrep" && !(opts.booted ?? true) ? 1 : 0, stdout: "", stderr: "" };
    },
    waitUntil: async (check: () => Promise<boolean>) => check(),
    portOpen: async (port: number) => {
      did.push(`port ${port}`);
      return true;
    },
    netconf: async (rpcs: string[]) => {
      did.push(`netconf ${rpcs.length}: ${rpcs.join(" | ")}`);
      return rpcs.map(() => "<ok/>");
    },
    cli: async (lines: string[]) => {
      did.push(`cli ${lines.join("; ")}`);
      return "";
    },
    info: () => {},
    warn: (m: string) => did.push(`warn ${m}`),
    followLog: (onLine: (l: string) => void) => {
      for (const l of opts.log ?? []) onLine(l);
      return () => did.push("log closed");
    },
  } as unknown as PostDeployContext;
  return { ctx, did };
}

const tls = { cert: "C", key: "K", anchor: "A" };
/** One NETCONF session with these RPCs, in order. */
const session = (rpcs: string[]) => `netconf ${rpcs.length}: ${rpcs.join(" | ")}`;

describe("SR-SIM post-deploy as nodes/sros PostDeploy", () => {
  test("model-driven: wait for the CPM, hosts, NETCONF, then save the running config as startup", async () => {
    const { ctx, did } = fake({ env: { NOKIA_SROS_SLOT: "A" } });
    await srsimPostDeploy(ctx);
    expect(did).toEqual([
      "exec /usr/bin/pgrep ^cpm$",
      "exec sh -c cat >> /etc/hosts <<'LAB_EOF'",
      "port 830",
      session([COPY_RUNNING_TO_STARTUP]),
      "log closed",
    ]);
  });

  test("with a certificate: PKI import of key and cert, the TLS profile enabled and committed, in one session", async () => {
    const { ctx, did } = fake({ env: {}, tls });
    await srsimPostDeploy(ctx);
    expect(did.slice(3, 5)).toEqual([
      session([pki("node.key", "key"), pki("node.crt", "certificate"), TLS_PROFILE, "<commit/>"]),
      session([COPY_RUNNING_TO_STARTUP]),
    ]);
  });

  test("classic: the profile and the save over the CLI", async () => {
    const { ctx, did } = fake({ env: { CLAB_SROS_CONFIG_MODE: "classic" }, tls });
    await srsimPostDeploy(ctx);
    expect(did.slice(3, 6)).toEqual([
      session([pki("node.key", "key"), pki("node.crt", "certificate")]),
      "cli /configure system security tls cert-profile clab-grpc-certs no shutdown",
      "cli /admin save; /bof persist on; /bof save",
    ]);
  });

  test("a full startup-config of the user's is not saved over; a standby slot is not configured", async () => {
    const full = fake({ env: {}, fullStartupConfig: true });
    await srsimPostDeploy(full.ctx);
    expect(full.did).toHaveLength(3);
    const b = fake({ env: { NOKIA_SROS_SLOT: "B" } });
    await srsimPostDeploy(b.ctx);
    expect(b.did).toHaveLength(3);
    // A distributed chassis whose only CPM is B is still configured.
    const onlyB = fake({ env: { NOKIA_SROS_SLOT: "B" }, distributed: true });
    await srsimPostDeploy(onlyB.ctx);
    expect(onlyB.did).toContain(session([COPY_RUNNING_TO_STARTUP]));
  });

  test("its log: MINOR and CRITICAL passed on; a rejected config ends it without saving over it", async () => {
    const { ctx, did } = fake(
      { env: {} },
      {
        log: ["\u001b[0mMINOR: CLI #2001 Invalid element", "Configuration load failed - using default configuration"],
      },
    );
    await expect(srsimPostDeploy(ctx)).rejects.toThrow("SR OS rejected the startup configuration");
    expect(did).toContain("warn SR OS says: [0mMINOR: CLI #2001 Invalid element");
    expect(did.some((d) => d.startsWith("netconf"))).toBe(false);
    expect(did.at(-1)).toBe("log closed");
  });

  test("a simulator that never boots is one clear reason", async () => {
    const { ctx } = fake({ env: {} }, { booted: false });
    await expect(srsimPostDeploy(ctx)).rejects.toThrow("never started its cpm, both or iom process");
  });
});
