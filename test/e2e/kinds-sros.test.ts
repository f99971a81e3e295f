// Nokia SR OS (vrnetlab) as Containerlab boots it: the launcher's arguments, a .partial
// startup-config and the user's SSH keys typed into the CLI once SSH answers (an SSH stand-in
// started in the node's network namespace while lab up waits for it), and save over NETCONF.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lab, labAsync, sh, waitFor } from "../helpers/env.ts";
import { freeSubnet, labDir, leftovers, NOTHING_LEFT } from "../helpers/lab.ts";
import { startNosSsh } from "../helpers/nos-ssh.ts";
import { buildStandin } from "../helpers/standin.ts";

const t = labDir("e2e-sros");
const subnet = freeSubnet();
const image = `vrnetlab/nokia_sros:lab-standin-${t.name}`;
const home = join(t.dir, "home");
let file = "";
const stops: (() => void)[] = [];
const env = { LAB_KVM_DEVICE: "/dev/null", HOME: home };
const container = `clab-${t.name}-pe1`;

beforeAll(() => {
  buildStandin(
    t.dir,
    image,
    {
      "launch.sh":
        '#!/bin/sh\nfor a in "$@"; do echo "$a"; done > /tmp/args\ntrap "exit 0" TERM\nwhile :; do sleep 1; done\n',
    },
    ['ENTRYPOINT ["/stand/launch.sh"]'],
  );
  // The deploying user's keys: one RSA key is what SR OS takes.
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh", "id_rsa.pub"), "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQtest user@host\n");
  writeFileSync(
    join(t.dir, "pe1.partial.cfg"),
    "/configure router interface lo0 ipv4 primary address 10.0.0.1 prefix-length 32\n",
  );
  file = t.write(
    "sros.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    pe1: { kind: nokia_sros, image: ${image}, type: sr-1s, startup-config: pe1.partial.cfg }
`,
  );
});

afterAll(() => {
  for (const stop of stops) stop();
  t.cleanup();
  sh(`docker rmi -f ${image}`);
});

describe("nokia_sros with a stand-in image", () => {
  test("the partial config and SSH keys are typed into the CLI once SSH answers", async () => {
    const up = labAsync(["up", "-t", file, "--post-deploy-timeout", "60"], { env });
    await waitFor(
      () => sh(`docker inspect -f '{{.State.Running}}' ${container}`).stdout.trim() === "true",
      60_000,
      "pe1",
    );
    const ssh = await startNosSsh(container, { port: 22, user: "admin", password: "admin", dir: t.dir });
    stops.push(ssh.stop);
    const r = await up;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("node pe1: the partial configuration and SSH keys configured");
    const log = readFileSync(ssh.log, "utf8").trim().split("\n");
    expect(log).toHaveLength(1);
    const typed = JSON.parse(log[0]?.replace(/^shell: /, "") ?? '""').split("\n");
    expect(typed).toEqual([
      "edit-config private",
      "/configure router interface lo0 ipv4 primary address 10.0.0.1 prefix-length 32",
      "/configure system security user-params attempts count 64",
      '/configure system security user-params local-user user "admin" public-keys rsa rsa-key 32 key-value AAAAB3NzaC1yc2EAAAADAQABAAAAgQtest',
      "commit",
      "/admin save",
      "/exit all",
      "quit-config",
    ]);
    expect(sh(`docker exec ${container} cat /tmp/args`).stdout.trim().split("\n")).toEqual([
      "--trace",
      "--connection-mode",
      "tc",
      "--hostname",
      "pe1",
      "--variant",
      "sr-1s",
    ]);
  }, 120_000);

  test("lab save sends NETCONF copy-config with SR OS's credentials", async () => {
    const netconf = await startNosSsh(container, { port: 830, user: "admin", password: "admin", dir: t.dir });
    stops.push(netconf.stop);
    const r = lab(["save", "-t", file, "--format", "json"], { env });
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ node: "pe1", status: "saved" });
    expect(readFileSync(netconf.log, "utf8")).toContain("<copy-config><target><startup/></target>");
  });

  test("lab down leaves nothing", () => {
    for (const stop of stops) stop();
    expect(lab(["down", "-t", file, "--cleanup"], { env }).code).toBe(0);
    expect(leftovers(t.name, { network: t.name })).toEqual(NOTHING_LEFT);
  });
});
