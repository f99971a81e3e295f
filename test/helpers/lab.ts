import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINES, type TestEngine } from "./engines.ts";
import { lab, sh, uniqueName } from "./env.ts";

/** A temp dir holding a topology file; `cleanup()` runs `lab down --cleanup` and removes the dir. */
export function labDir(prefix: string, engine: TestEngine = ENGINES.docker) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const name = uniqueName(prefix);
  return {
    dir,
    name,
    write(file: string, text: string) {
      writeFileSync(join(dir, file), text);
      return join(dir, file);
    },
    cleanup() {
      lab(["down", "--name", name, "--cleanup"], { env: engine.env });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A /24 in 172.30.0.0/16 that no Docker or Podman network uses yet, so parallel or leftover labs never
 * clash (both engines' bridges share the host's routing table).
 */
export function freeSubnet(): { v4: string; v6: string; third: number } {
  const used = [
    sh("docker network inspect $(docker network ls -q) --format '{{range .IPAM.Config}}{{.Subnet}} {{end}}'").stdout,
    sh("command -v podman >/dev/null && podman network ls --format '{{range .Subnets}}{{.Subnet}} {{end}}'").stdout,
  ].join(" ");
  for (let i = 0; i < 200; i++) {
    const third = 10 + Math.floor(Math.random() * 240);
    if (!used.includes(`172.30.${third}.`))
      return { v4: `172.30.${third}.0/24`, v6: `3fff:172:30:${third}::/64`, third };
  }
  throw new Error("no free 172.30.x.0/24 subnet");
}

/** Non-empty stderr lines: the CLI's error output, without blank padding. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** What `leftovers` reports for a lab that left nothing behind. */
export const NOTHING_LEFT = { containers: "", network: "", hosts: "0", netns: "0", hostIfs: [] as string[] };

/** What a lab left behind, by its labels and names. */
export function leftovers(
  labName: string,
  extra: { network?: string; hostIfs?: string[] } = {},
  engine: TestEngine = ENGINES.docker,
) {
  const { cli } = engine;
  return {
    containers: sh(`${cli} ps -aq --filter label=containerlab=${labName}`).stdout.trim(),
    network: extra.network && sh(`${cli} network inspect ${extra.network}`).code === 0 ? extra.network : "",
    hosts: sh(`grep -c 'CLAB-${labName}-' /etc/hosts || true`).stdout.trim(),
    netns: sh(`ls /run/netns 2>/dev/null | grep -c -- '-${labName}-' || true`).stdout.trim(),
    hostIfs: (extra.hostIfs ?? []).filter((i) => sh(`ip link show ${i}`).code === 0),
  };
}

/**
 * Removes a management network a test kept (lab down --keep-mgmt-net), with the DOCKER-USER rules
 * lab added for its bridge: removing only the network would leave them behind.
 */
export function removeKeptNetwork(network: string): void {
  const id = sh(`docker network inspect -f '{{.Id}}' ${network} 2>/dev/null`).stdout.trim().slice(0, 12);
  if (!id) return;
  for (const tool of ["iptables", "ip6tables"])
    for (const dir of ["-i", "-o"])
      sh(`${tool} -w -D DOCKER-USER ${dir} br-${id} -m comment --comment "set by lab" -j ACCEPT 2>/dev/null`);
  sh(`docker network rm ${network}`);
}
